"""The mail outbox: every queued message and the state of its delivery."""
