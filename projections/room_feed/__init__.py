"""The live room feed read model (decision 0020)."""
