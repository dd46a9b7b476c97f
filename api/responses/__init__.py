"""What the panel answers on success, as typed schemas for the OpenAPI document.

Each names the keys a client can rely on, with their types; an answer may carry more (read
models grow), so every schema allows other keys. Routes that build a ``JSONResponse`` (a
command's answer) are documented by them without being re-validated; routes that return a dict
are validated against them, so a read model that drifts fails the suite, not a client. The
fuzzer checks every answer it sees against these.

One module per resource, as api/routes/ has; every schema derives from ``base.Answer``.
"""
