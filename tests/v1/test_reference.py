"""Time zones, phone gateways and contacts, as the gem and the example clients ask for them."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.v1.helpers import FORM, api_key, body, error, php_headers


def test_gem_time_zone_list_with_trailing_slash(client: TestClient, podium: Podium) -> None:
    """The gem's ``time_zone_list/`` GET with a form Content-Type and no body: an array."""
    key = api_key(podium)
    zones = body(
        client.request(
            "GET",
            "/v1/time_zone_list/",
            content=b"",
            headers={"X-Api-Key": key, "Content-Type": FORM},
        ),
        200,
    )
    assert isinstance(zones, list)
    assert len(zones) > 400
    assert all(isinstance(z, str) for z in zones)
    assert {"Europe/Moscow", "America/New_York", "UTC"} <= set(zones)


def test_country_time_zones_in_any_case(client: TestClient, podium: Podium) -> None:
    """``us``, ``US`` and ``ru.json`` name countries; an unknown code lists nothing."""
    headers = {"X-Api-Key": api_key(podium)}
    lower = body(client.get("/v1/time_zone_list/us", headers=headers), 200)
    upper = body(client.get("/v1/time_zone_list/US.json", headers=headers), 200)
    assert lower == upper
    assert "America/Chicago" in lower
    assert "Europe/Moscow" in body(client.get("/v1/time_zone_list/ru.json", headers=headers), 200)
    assert body(client.get("/v1/time_zone_list/zz.json", headers=headers), 200) == []


def test_phone_gateways(client: TestClient, podium: Podium) -> None:
    """Objects with ``code``, ``location``, ``value`` and ``geo``, all strings."""
    headers = {"X-Api-Key": api_key(podium)}
    gateways = body(client.get("/v1/phone_gateways.json", headers=headers), 200)
    assert gateways
    for gateway in gateways:
        assert set(gateway) == {"code", "location", "value", "geo"}
        assert all(isinstance(value, str) for value in gateway.values())
    assert "Warsaw" in {g["location"] for g in gateways}


def test_contacts_saved_and_updated(client: TestClient, podium: Podium) -> None:
    """PHP's contact form saves; the same email again updates (JSON body this time)."""
    key = api_key(podium)
    form = (
        "email=jd%40example.com&firstname=John&lastname=Dee&phone=%2B1234567890"
        "&company=My+company&country=US"
    )
    assert body(client.post("/v1/contacts.json", content=form, headers=php_headers(key)), 200) == {
        "status": "OK"
    }
    update = json.dumps({"email": "jd@example.com", "firstname": "Johnny", "lastname": "Dee"})
    headers = {"X-Api-Key": key, "Content-Type": "application/json"}
    assert body(client.post("/v1/contacts", content=update, headers=headers), 200) == {
        "status": "OK"
    }
    account_id = str(podium.accounts.authenticate(key).account_id)
    [contact] = podium.views.contacts.contacts(account_id)
    assert (contact["email"], contact["first_name"], contact["company"]) == (
        "jd@example.com",
        "Johnny",
        "My company",
    )


def test_bad_contacts_are_422(client: TestClient, podium: Podium) -> None:
    """A missing or invalid email, or a missing name, names the parameter."""
    key = api_key(podium)
    for form, field in (
        ("firstname=A&lastname=B", "email"),
        ("email=nope&firstname=A&lastname=B", "email"),
        ("email=a%40example.com&lastname=B", "firstname"),
    ):
        found = error(client.post("/v1/contacts", content=form, headers=php_headers(key)), 422)
        assert found["errors"][0]["name"] == field
