"""The write side: one service per bounded context over one eventsourcing Application."""
