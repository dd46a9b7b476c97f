"""A session's whiteboard for a late joiner: collaborate, and the marks since the last clear."""
