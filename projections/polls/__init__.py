"""A room's polls and tests: definitions, live results, each person's answers and score."""
