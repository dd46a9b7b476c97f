"""Each live session's calls to action: which is shown, and who clicked them how often."""
