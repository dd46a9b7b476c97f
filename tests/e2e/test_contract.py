"""Answers match the documented contract: the status a route documents for success is the one
it gives, and a JSON integer is an integer however it is written (``1.0`` is 1, as JSON Schema's
``integer`` says; ``1.5``, ``"1"`` and ``true`` are not)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.helpers import expect, paying_owner, problem, transactions, trial_owner


def test_saving_a_contact_is_201_when_new_and_200_when_updated(client: TestClient) -> None:
    """POST /contacts creates with 201 and updates the same email with 200, both documented."""
    owner = trial_owner(client, "book@example.com")
    contact = {"email": "ann@example.com", "first_name": "Ann"}
    created = expect(client.post("/contacts", json=contact, headers=owner.headers), 201)
    updated = client.post("/contacts", json=contact | {"company": "Acme"}, headers=owner.headers)
    assert expect(updated, 200)["contact_id"] == created["contact_id"]
    documented = client.get("/openapi.json").json()["paths"]["/contacts"]["post"]["responses"]
    assert {"200", "201"} <= set(documented)


def test_an_integral_json_number_is_an_integer(client: TestClient) -> None:
    """``{"amount": 100.0}`` adds 100 cents, like ``100``; 100.5 and "100" are refused."""
    owner = paying_owner(client, "funds@example.com")
    expect(client.post("/account/funds", json={"amount": 100.0}, headers=owner.headers), 200)
    newest = transactions(client, owner)[0]
    assert newest["amount"] == 100
    for amount in (100.5, "100", True):
        refused = problem(
            client.post("/account/funds", json={"amount": amount}, headers=owner.headers), 422
        )
        assert "amount" in refused["detail"]
    documented = client.get("/openapi.json").json()["components"]["schemas"]["Funds"]
    assert documented["properties"]["amount"]["type"] == "integer"
