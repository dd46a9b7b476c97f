"""The media plane: an SFU on aiortc that forwards encoded frames, steered by the room feed
(decision 0022)."""
