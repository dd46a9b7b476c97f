"""A session's stage for a late joiner: the presentation and page, the video and where it is."""
