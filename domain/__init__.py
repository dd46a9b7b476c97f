"""Podium's domain: aggregates, events, value objects and policies.

Pure: imports only the standard library and ``eventsourcing.domain``. No I/O, no environment,
no clock reads; every time a rule needs is passed in.
"""
