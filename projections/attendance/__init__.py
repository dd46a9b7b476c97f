"""Attendance: who was in each session, when, on what device, from where, and what they did."""
