"""/v1 against its own OpenAPI document (``/v1/openapi.json``): schemathesis sends generated
requests for every operation with a real key and checks that none is a 5xx, that each status
is documented and that each body matches the documented ClickMeeting shape."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tests.fuzz.conftest import Target, stopped_read_models
from tests.fuzz.test_panel_contract import CHECKS, SETTINGS, takes_input


def fuzz(operation: Any, mode: GenerationMode, target: Target, path: dict[str, Any] | None) -> None:
    """Generated requests for one operation; an endpoint documented as 501 (it comes with the
    live room) is allowed its 501, and checked for everything else."""
    checks = CHECKS
    if "501" in operation.definition.raw["responses"]:
        checks = [check for check in CHECKS if check is not not_a_server_error]

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    def run(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers={"X-Api-Key": target.key}, checks=checks)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_v1_operation_keeps_its_contract(
    target: Target, mode: GenerationMode, subtests: pytest.Subtests
) -> None:
    """No generated /v1 request gets a 5xx; statuses and bodies are the documented ones."""
    schema = schemathesis.openapi.from_asgi("/v1/openapi.json", target.app)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "schemathesis cannot read some operations"
    for operation in operations:
        aims: list[dict[str, Any] | None] = [None]
        if "{room_id}" in operation.path and operation.method.upper() != "DELETE":
            aims.append({"room_id": target.room_number})
        for path in aims:
            if mode is GenerationMode.NEGATIVE and not takes_input(
                operation, besides_path=path is not None
            ):
                continue
            with subtests.test(operation=operation.label, aimed=path):
                fuzz(operation, mode, target, path)
    assert stopped_read_models(target) == []
