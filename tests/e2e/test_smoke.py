"""The shortest path through the API, on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_sign_up_log_in_and_read_the_account(client: TestClient) -> None:
    """A new account starts on the trial and its owner can read it with a session key."""
    signed = client.post(
        "/accounts",
        json={"name": "Acme", "email": "owner@acme.example.com", "password": "password1"},
    )
    assert signed.status_code == 201
    session = client.post(
        "/sessions", json={"email": "owner@acme.example.com", "password": "password1"}
    )
    assert session.status_code == 201
    account = client.get("/account", headers={"X-Api-Key": session.json()["api_key"]})
    assert account.status_code == 200
    assert account.json()["status"] == "trial"
    assert account.json()["limits"]["max_attendees"] == 25
