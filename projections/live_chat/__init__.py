"""Each live session's chat: its history (deletions kept, marked) and whether it is on."""
