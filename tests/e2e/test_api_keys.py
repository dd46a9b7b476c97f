"""API keys: sent as X-Api-Key or Authorization: Bearer, issued for integrations, revoked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import auth, expect, head, member, problem, trial_owner


def issue(client: TestClient, key: str, label: str = "crm sync") -> dict[str, str]:
    body = expect(client.post("/api-keys", json={"label": label}, headers=auth(key)), 201)
    return {"id": str(body["id"]), "api_key": str(body["api_key"]), "prefix": str(body["prefix"])}


def test_a_key_is_accepted_in_either_header(client: TestClient, subtests: pytest.Subtests) -> None:
    """X-Api-Key and Authorization: Bearer (any case, stray spaces) both identify the caller."""
    owner = trial_owner(client, "owner@example.com")
    for headers in (
        {"X-Api-Key": owner.key},
        {"Authorization": f"Bearer {owner.key}"},
        {"Authorization": f"bearer  {owner.key} "},
    ):
        with subtests.test(headers=list(headers)):
            shown = expect(client.get("/account", headers=headers), 200)
            assert shown["account_id"] == owner.account_id


def test_an_issued_key_works_and_is_shown_only_once(client: TestClient) -> None:
    """POST /api-keys answers with the key and its prefix; the key then authenticates."""
    owner = trial_owner(client, "owner@example.com")
    issued = issue(client, owner.key)
    assert issued["api_key"].startswith("pdm_")
    assert issued["api_key"].startswith(issued["prefix"])
    assert issued["api_key"] != owner.key
    shown = expect(client.get("/account", headers=auth(issued["api_key"])), 200)
    assert shown["account_id"] == owner.account_id


def test_a_revoked_key_no_longer_authenticates(client: TestClient) -> None:
    """After DELETE /api-keys/{id} the key gets 401; other keys keep working."""
    owner = trial_owner(client, "owner@example.com")
    issued = issue(client, owner.key)
    revoked = expect(client.delete(f"/api-keys/{issued['id']}", headers=auth(owner.key)), 200)
    assert revoked == {"id": issued["id"], "revoked": True}
    refused = problem(client.get("/account", headers=auth(issued["api_key"])), 401)
    assert "revoked" in refused["detail"]
    expect(client.get("/account", headers=auth(owner.key)), 200)


def test_a_session_key_can_revoke_itself(client: TestClient) -> None:
    """Logging out is revoking the session's own key, by the id the log-in gave."""
    trial_owner(client, "owner@example.com")
    session = expect(
        client.post(
            "/sessions", json={"email": "owner@example.com", "password": "correct horse battery"}
        ),
        201,
    )
    key = str(session["api_key"])
    expect(client.delete(f"/api-keys/{session['api_key_id']}", headers=auth(key)), 200)
    problem(client.get("/account", headers=auth(key)), 401)


def test_the_owner_may_revoke_a_members_key_but_not_the_reverse(
    client: TestClient, podium: Podium
) -> None:
    """A member may revoke only its own keys; the owner may revoke any of the account's."""
    owner = trial_owner(client, "owner@example.com")
    colleague = member(client, podium, owner, "member@example.com")
    owners_key, members_key = issue(client, owner.key), issue(client, colleague.key)
    before = head(podium)
    problem(client.delete(f"/api-keys/{owners_key['id']}", headers=colleague.headers), 403)
    assert head(podium) == before
    expect(client.get("/account", headers=auth(owners_key["api_key"])), 200)
    expect(client.delete(f"/api-keys/{members_key['id']}", headers=owner.headers), 200)
    problem(client.get("/account", headers=auth(members_key["api_key"])), 401)


def test_another_accounts_key_is_not_found(client: TestClient) -> None:
    """Revoking a key of another account is a 404, as for a key that never existed."""
    mine = trial_owner(client, "mine@example.com")
    theirs = trial_owner(client, "theirs@example.com")
    their_key = issue(client, theirs.key)
    problem(client.delete(f"/api-keys/{their_key['id']}", headers=mine.headers), 404)
    expect(client.get("/account", headers=auth(their_key["api_key"])), 200)


def test_no_valid_key_is_a_401_with_a_challenge(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    """No key, an empty, unknown or non-API key: 401 problem+json with WWW-Authenticate."""
    for name, headers in {
        "none": {},
        "empty": {"X-Api-Key": ""},
        "unknown": {"X-Api-Key": "pdm_made-up"},
        "basic-auth": {"Authorization": "Basic b3duZXI6cGFzc3dvcmQ="},
    }.items():
        with subtests.test(name):
            response = client.get("/account", headers=headers)
            problem(response, 401)
            assert response.headers["www-authenticate"] == "ApiKey"
