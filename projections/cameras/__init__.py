"""Who is on each session's stage, showing a camera or an avatar."""
