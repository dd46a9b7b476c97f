"""What a telephony provider does: signed call reports POSTed raw to /telephony/calls.

The signature is computed here from the documented scheme (HMAC-SHA256 over
``<timestamp>.<body>``), not with Podium's own helper, as a provider's client would.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect
from tests.e2e.test_live_sessions import permanent_room

SECRET = "telephony-shared-secret-for-tests"
LOCAL = "+48 555 0148"  # Warsaw, a city number of the gateway
TOLL_FREE = "+48 800 555 0199"
_deliveries = itertools.count(1)


def signed(body: bytes, at: int, secret: str = SECRET) -> dict[str, str]:
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Telephony-Timestamp": str(at),
        "Telephony-Signature": f"v1={mac}",
        "Content-Type": "application/json",
    }


class Phone:
    """One phone call through the provider: each report a fresh delivery, signed now."""

    def __init__(self, client: TestClient, podium: Podium, call_id: str, number: str) -> None:
        self.client, self.podium, self.call_id, self.number = client, podium, call_id, number

    def body(self, kind: str, **fields: Any) -> bytes:
        report = {"event_id": f"ev-{next(_deliveries)}", "type": kind, "call_id": self.call_id}
        return json.dumps(report | fields).encode()

    def deliver(self, body: bytes) -> Response:
        at = int(self.podium.clock.now().timestamp())
        response: Response = self.client.post(
            "/telephony/calls", content=body, headers=signed(body, at)
        )
        return response

    def report(self, kind: str, *, status: int = 200, **fields: Any) -> Json:
        return expect(self.deliver(self.body(kind, **fields)), status)

    def dial(self, gateway: str = LOCAL) -> Json:
        fields: dict[str, Any] = {"from": self.number, "to": gateway}
        return self.report("call.started", **fields)

    def pin(self, pin: object, status: int = 200) -> Json:
        return self.report("call.pin", status=status, digits=str(pin))

    def press(self, key: str, status: int = 200) -> Json:
        return self.report("call.digit", status=status, digits=key)

    def hang_up(self) -> Json:
        return self.report("call.ended")


def spoken(answer: Json) -> str:
    return " ".join(a["text"] for a in answer["actions"] if a["action"] == "talk")


def then(answer: Json) -> dict[str, Any]:
    """The last action of an answer: what the gateway does after speaking."""
    last: dict[str, Any] = answer["actions"][-1]
    return last


def phone_room(client: TestClient, owner: Caller, seats: int = 5, **settings: Any) -> Json:
    """A permanent room with the phone gateway on; its PINs as the panel shows them."""
    room = permanent_room(client, owner, seats)
    changes = {"phone_gateway": True} | settings
    path = f"/rooms/{room['room_id']}"
    expect(client.patch(path, json=changes, headers=owner.headers), 200)
    return expect(client.get(path, headers=owner.headers), 200)


def call_records(client: TestClient, owner: Caller, room: Json, n: int = 1) -> Json:
    path = f"/rooms/{room['room_id']}/sessions/{n}/calls"
    return expect(client.get(path, headers=owner.headers), 200)
