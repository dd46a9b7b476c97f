"""The panel's OpenAPI document says what the API answers, errors included.

Every error is ``application/problem+json`` (``api.errors.Problem``), and each operation lists
the error statuses it can give. Most follow from how the route is built, so they are derived
from it rather than written by hand (and cannot drift from it):

401, 403...  what its dependencies raise (``api.errors.answers``: the API key, the owner check)
400  it takes a body (unparsable JSON)       413  its body is too large
404  a path names something (it may not be there, or not be yours)
409  it writes (a rule refuses it now, or the write met another one and gave up)
422  it takes any parameter or body          500  every route: the last resort's answer

What a command adds beyond these (402 for a charge, 403 for a refused join, 429 for the
throttled doors) a route declares with ``responses=problems(...)``. The fuzzer in
``tests/fuzz`` checks every status it meets against this document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api.errors import PROBLEM, TITLES, FieldProblem, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for error statuses, each a Problem as problem+json."""
    return {
        status: {"description": TITLES[status], "content": {PROBLEM: {"schema": PROBLEM_REF}}}
        for status in statuses
    }


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _has_params(dependant: Dependant) -> bool:
    own = (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.body_params
    )
    return bool(own) or any(_has_params(sub) for sub in dependant.dependencies)


def derived_statuses(route: APIRoute) -> set[int]:
    """The error statuses that follow from the route's dependencies, parameters and method."""
    statuses = {500}
    for call in _calls(route.dependant):
        statuses |= getattr(call, "podium_statuses", set())
    if route.dependant.path_params:
        statuses.add(404)
    if route.body_field is not None:
        statuses |= {400, 413}
    if _has_params(route.dependant):
        statuses.add(422)
    if (route.methods or set()) & WRITES:
        statuses.add(409)
    return statuses


def declare_errors(router: APIRouter) -> None:
    """Add each route's derived error statuses to what it declares itself."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            for status, response in problems(*sorted(derived_statuses(route))).items():
                route.responses.setdefault(status, response)


def _problem_schemas() -> dict[str, Any]:
    template = "#/components/schemas/{model}"
    schemas: dict[str, Any] = {"FieldProblem": FieldProblem.model_json_schema()}
    schema = Problem.model_json_schema(ref_template=template)
    schema.pop("$defs", None)
    schemas["Problem"] = schema
    return schemas


def install(app: FastAPI) -> None:
    """Serve the OpenAPI document with the Problem schema every error response refers to."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            document.setdefault("components", {}).setdefault("schemas", {}).update(
                _problem_schemas()
            )
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
