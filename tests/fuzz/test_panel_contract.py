"""The panel against its own OpenAPI document: schemathesis generates requests for every
operation (valid ones and invalid ones), sends them with a real account's key, and checks that
none is answered 5xx, that every status is one the document lists for the operation, and that
every body matches the schema documented for it.

Afterwards no read model may have stopped at an event (an accepted request that no read model
can hold answers 2xx, so only this shows it).

``FUZZ_EXAMPLES`` (default 10) is the number of generated requests per operation and mode; the
run is derandomized, so CI sends the same requests every time (raise it to look further).
"""

from __future__ import annotations

import os
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.fuzz.conftest import Target, stopped_read_models

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # no shrinking: report as found
)


def takes_input(operation: Any, *, besides_path: bool = False) -> bool:
    """Whether the operation has parameters, a body or a key that a request could get wrong
    (``besides_path``: other than its path parameters)."""
    raw = operation.definition.raw
    parameters = [p for p in raw.get("parameters", ()) if not besides_path or p["in"] != "path"]
    return bool(parameters or raw.get("requestBody") or raw.get("security"))


def aimed(operation: Any, target: Target) -> dict[str, Any] | None:
    """Path parameters naming the target's own room, for an operation about a room (except
    deleting it, which would leave the rest nothing to aim at); None for the others."""
    if operation.method.upper() == "DELETE" and operation.path == "/rooms/{room_id}":
        return None
    if "{room_id}" in operation.path:
        return {"room_id": target.room_id}
    if "{number}" in operation.path:
        return {"number": target.room_number}
    return None


def fuzz(
    operation: Any, mode: GenerationMode, target: Target, path: dict[str, Any] | None = None
) -> None:
    """Send ``EXAMPLES`` generated requests for one operation; the first failure raises."""

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    def run(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers={"X-Api-Key": target.key}, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_keeps_its_contract(
    target: Target, mode: GenerationMode, subtests: pytest.Subtests
) -> None:
    """No generated request gets a 5xx or stops a read model; statuses and bodies are the
    documented ones."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", target.app)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "schemathesis cannot read some operations"
    assert len(operations) > 60  # every operation, not a filtered few
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not takes_input(operation):
            continue  # nothing in the request can be invalid
        with subtests.test(operation=operation.label):
            fuzz(operation, mode, target)
        path = aimed(operation, target)
        if path is not None and (
            mode is GenerationMode.POSITIVE or takes_input(operation, besides_path=True)
        ):
            with subtests.test(operation=operation.label, aimed=path):
                fuzz(operation, mode, target, path)
    assert stopped_read_models(target) == []
