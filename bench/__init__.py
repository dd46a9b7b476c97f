"""Benchmarks of Podium's write path against the raw eventsourcing library, in one run.

Run with ``python -m bench`` (see ``bench/__main__.py``). Not part of the test suite.
"""
