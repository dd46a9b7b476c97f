"""The read side: one package per read model (projection: event to rows; view: queries).

Read models are derived: each can be dropped and rebuilt from the event log. Nothing here
imports the write side (``commands``).
"""
