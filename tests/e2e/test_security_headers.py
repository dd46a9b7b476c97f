"""Security headers: nosniff, no framing and a strict policy everywhere; no-store on every
answer but public reference data; a policy on the documentation pages that lets them load what
they need and nothing else; HSTS only when Podium is served over HTTPS."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from podium.bootstrap import Podium
from tests.e2e.helpers import PASSWORD, trial_owner

SCRIPT_SRC = re.compile(r'<script src="([^"]+)"')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
STYLESHEET = re.compile(
    r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"'
)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def assert_hardened(response: Response) -> None:
    """The headers every answer carries."""
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def answers(client: TestClient) -> dict[str, Response]:
    """A spread of answers: with keys, personal data, errors of each kind, both APIs."""
    owner = trial_owner(client, "owner@acme.example")
    return {
        "log-in (an API key)": client.post(
            "/sessions", json={"email": owner.email, "password": PASSWORD}
        ),
        "account (personal data)": client.get("/account", headers=owner.headers),
        "transactions": client.get("/account/transactions", headers=owner.headers),
        "401": client.get("/account"),
        "404": client.get("/no/such/page/here"),
        "422": client.post("/accounts", json={}),
        "v1 conferences": client.get("/v1/conferences/active", headers={"X-Api-Key": owner.key}),
        "v1 401": client.get("/v1/conferences/active"),
        "v1 reference (keyed)": client.get(
            "/v1/time_zone_list.json", headers={"X-Api-Key": owner.key}
        ),
        "a write to a reference path": client.post("/plans"),
        "health": client.get("/health"),
    }


def test_every_answer_is_hardened_and_not_stored(client: TestClient) -> None:
    """Answers with keys, personal data or errors, on both APIs, carry nosniff, no framing,
    a strict policy, and Cache-Control: no-store."""
    for name, response in answers(client).items():
        assert_hardened(response)
        assert response.headers["cache-control"] == "no-store", name
        assert response.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        ), name


def test_public_reference_data_may_be_cached(client: TestClient) -> None:
    """Plans, time zones and dial-in numbers (public, the same for everyone) are not marked
    no-store, but are hardened like every answer."""
    for path in ("/plans", "/time-zones", "/time-zones/PL", "/dial-in-numbers"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_hardened(response)
        assert "no-store" not in response.headers.get("cache-control", ""), path


def test_no_hsts_over_plain_http(client: TestClient) -> None:
    """Without the HTTPS setting there is no Strict-Transport-Security (it would lock a
    plain-HTTP development server out of browsers)."""
    assert "strict-transport-security" not in client.get("/plans").headers


def test_hsts_when_served_behind_https(podium: Podium) -> None:
    """With ``behind_https`` every answer carries Strict-Transport-Security for a year."""
    podium.settings = podium.settings.model_copy(update={"behind_https": True})
    with TestClient(create_app(podium)) as client:
        for response in (client.get("/plans"), client.get("/account"), client.get("/docs")):
            assert "max-age=31536000" in response.headers["strict-transport-security"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_documentation_pages_may_load_what_they_need_only(client: TestClient, path: str) -> None:
    """Each page's policy allows the origins of the scripts and stylesheets it loads and the
    hash of its inline script, no inline script otherwise, no framing; the page's document
    is reachable on Podium's own origin."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-frame-options"] == "DENY"
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    html = response.text
    scripts = SCRIPT_SRC.findall(html)
    assert scripts
    for src in scripts:
        assert origin(src) in policy["script-src"], src
    for script in INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    for found in STYLESHEET.findall(html):
        href = found[0] or found[1]
        assert origin(href) in policy["style-src"], href
    assert policy["connect-src"] == ["'self'"]
    assert client.get("/openapi.json").status_code == 200
