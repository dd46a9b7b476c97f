"""The account timeline: every event of an account, most recent first."""
