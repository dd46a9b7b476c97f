"""What happens inside a running session, one module per concern (decision 0014).

Per-session aggregates hold what presenters change; streams created per item or per person hold
what many people do at once. Every created event carries ``room_id`` and ``session``.
"""
