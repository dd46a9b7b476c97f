"""Rooms and who may enter them: rooms, tokens, registrations, invitations, admissions."""
