"""The OpenAPI documents themselves: what the fuzzers rely on, checked on the whole document at
once so a new route cannot slip past (an unbounded integer, an undocumented error shape)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.helpers import expect

INT64_MAX = 2**63 - 1
Json = dict[str, Any]


def panel_document(client: TestClient) -> Json:
    document: Json = expect(client.get("/openapi.json"), 200)
    return document


def schemas_in(node: Any, where: str = "") -> Iterator[tuple[str, Json]]:
    """Every schema object nested in ``node``, with where it is."""
    if isinstance(node, dict):
        if "type" in node or "anyOf" in node:
            yield where, node
        for key, value in node.items():
            yield from schemas_in(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from schemas_in(value, f"{where}/{n}")


def request_side(document: Json) -> Iterator[tuple[str, Json]]:
    """The schemas of what clients send: parameters and request bodies, and every component
    they refer to (followed through ``$ref``)."""
    components = document["components"]["schemas"]
    pending = [
        (
            f"{method.upper()} {path}",
            [operation.get("parameters", []), operation.get("requestBody", {})],
        )
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]
    seen: set[str] = set()
    while pending:
        where, node = pending.pop()
        yield from schemas_in(node, where)
        for ref in refs_in(node):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                pending.append((name, components[name]))


def refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


def test_every_integer_a_client_sends_is_bounded_to_bigint(client: TestClient) -> None:
    """Each integer in a parameter or body has a minimum and maximum SQLite and PostgreSQL hold."""
    unbounded = [
        where
        for where, schema in request_side(panel_document(client))
        if schema.get("type") == "integer" and not fits_bigint(schema)
    ]
    assert unbounded == []


def fits_bigint(schema: Json) -> bool:
    """Whether the integer schema has both bounds, within BIGINT."""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    return low is not None and high is not None and low >= -INT64_MAX - 1 and high <= INT64_MAX


def test_every_error_is_documented_as_a_problem(client: TestClient) -> None:
    """Each 4xx/5xx of each operation is application/problem+json with the Problem schema."""
    document = panel_document(client)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert {"type", "title", "status", "detail"} <= set(
        document["components"]["schemas"]["Problem"]["properties"]
    )
    wrong = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    content = response.get("content", {})
                    schema = content.get("application/problem+json", {}).get("schema")
                    if set(content) != {"application/problem+json"} or schema != {
                        "$ref": "#/components/schemas/Problem"
                    }:
                        wrong.append(f"{method.upper()} {path} {status}")
            assert "500" in operation["responses"], f"{method} {path}"
    assert wrong == []


def test_authenticated_operations_document_401_and_owner_only_ones_403(
    client: TestClient,
) -> None:
    """An operation with a security requirement lists 401; owner-only ones list 403."""
    document = panel_document(client)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                assert "401" in operation["responses"], f"{method} {path}"
    assert "403" in document["paths"]["/subaccounts"]["get"]["responses"]
    assert "403" in document["paths"]["/account/funds"]["post"]["responses"]
    assert "402" in document["paths"]["/account/funds"]["post"]["responses"]
    assert "403" not in document["paths"]["/contacts"]["get"]["responses"]


def test_the_idempotency_key_documents_its_length(client: TestClient) -> None:
    """Every Idempotency-Key parameter says 1 to 255 characters."""
    document = panel_document(client)
    keys = [
        parameter["schema"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"].lower() == "idempotency-key"
    ]
    assert len(keys) > 20
    for schema in keys:
        text = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "string")
        assert (text["minLength"], text["maxLength"]) == (1, 255)


def test_the_v1_document_describes_clickmeetings_wire_format(client: TestClient) -> None:
    """/v1/openapi.json is served without a key, with form bodies and the error body; the
    panel's docs do not link it."""
    document = expect(client.get("/v1/openapi.json"), 200)
    create = document["paths"]["/conferences"]["post"]
    form = create["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert {"name", "room_type", "permanent_room", "access_type"} <= set(form["required"])
    assert "settings[phonegateway_enabled]" in form["properties"]
    assert create["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(document["components"]["schemas"]["Error"]["required"]) == {
        "code",
        "name",
        "errors",
    }
    assert "/v1/openapi.json" not in client.get("/docs").text
    assert "/v1" not in str(panel_document(client)["paths"])


def test_every_success_answer_is_a_typed_schema(client: TestClient) -> None:
    """Each 2xx of each operation names a schema (a component), not an untyped object; only
    /health and /health/ready, whose shape belongs to the health report, are exempt, and
    files (a recording, a chat zip), which name their media types instead of JSON."""
    document = panel_document(client)
    untyped = [
        f"{method.upper()} {path} {status}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if int(status) < 300
        and not path.startswith("/health")
        and not is_file(response)
        and "$ref" not in response.get("content", {}).get("application/json", {}).get("schema", {})
    ]
    assert untyped == []
    files = [
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if is_file(operation["responses"].get("200", {}))
    ]
    assert "/account/recordings/{recording_id}/file" in files  # the exemption is used, not idle


def is_file(response: dict[str, Any]) -> bool:
    """A 2xx whose content names only non-JSON media types: a download."""
    types = set(response.get("content", {}))
    return bool(types) and "application/json" not in types
