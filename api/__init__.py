"""The HTTP API (FastAPI): Podium's own resources; OpenAPI at /docs."""
