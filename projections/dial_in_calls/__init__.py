"""Call detail records of the phone gateway (decision 0019)."""
