"""A room's live sessions: when each started and how it ended."""
