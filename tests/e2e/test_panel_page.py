"""The panel page as served: ``/`` leads to it, its assets and nothing else, its security
policy, and the vendored charting library byte for byte what its package holds (what the page
does is tested in Chromium: tests/browser/test_panel_page.py)."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient

from api.routes.panel_page import ASSETS

# api/static/panel/vendor/README.md: chart.js 4.6.1, dist/chart.umd.min.js.
VENDORED = "87364cc2b2a76a6684929e7d6b80b18a897794db38400caff1fcf1791c6925d2"


def test_the_front_door_leads_to_the_panel_page(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/panel"
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe" not in policy  # nothing inline, nothing evaluated
    for name in ("panel.js", "charts.js", "panel.css", "vendor/chart.umd.min.js"):
        assert f"/panel/assets/{name}" in page.text or name in ("charts.js",)


@pytest.mark.parametrize("name", sorted(ASSETS))
def test_every_asset_is_served_with_its_type(client: TestClient, name: str) -> None:
    response = client.get(f"/panel/assets/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{ASSETS[name]}; charset=utf-8"
    assert response.content


def test_the_vendored_chart_library_is_the_packaged_file(client: TestClient) -> None:
    served = client.get("/panel/assets/vendor/chart.umd.min.js").content
    assert hashlib.sha256(served).hexdigest() == VENDORED


@pytest.mark.parametrize(
    "name",
    ["index.html", "vendor/README.md", "%2e%2e/room/room.js", "vendor%2F..%2Fpanel.js", "x.js"],
)
def test_nothing_else_under_the_folder_is_served(client: TestClient, name: str) -> None:
    response = client.get(f"/panel/assets/{name}")
    assert response.status_code == 404
    assert "the page's assets are" in response.json()["detail"], response.text
