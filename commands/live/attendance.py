"""The attendance credential: what a join hands back, naming the room, session and person.

Signed with the deployment secret (HMAC, like the autologin hashes), so proving who acts in a
session (leaving it, acting in the room) needs no key and no storage (decision 0012).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

import orjson

from domain.access import WrongSecretError

MAC_DIGITS = 32


class Attendance:
    """Signs and reads the credential that lets a joined person leave their session."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"attendance:{secret}".encode()).digest()

    def credential(self, room_id: UUID, session: int, email: str) -> str:
        payload = orjson.dumps([room_id.hex, session, email])
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._mac(body)}"

    def read(self, room_id: UUID, credential: str) -> tuple[int, str]:
        """The (session, email) a credential names; refused if forged or for another room."""
        body, _, mac = credential.partition(".")
        if not hmac.compare_digest(mac.encode(), self._mac(body).encode()):
            raise WrongSecretError("the attendance credential is not valid")
        room_hex, session, email = orjson.loads(base64.urlsafe_b64decode(body + "=="))
        if room_hex != room_id.hex:
            raise WrongSecretError("the attendance credential is for another room")
        return int(session), str(email)

    def _mac(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), "sha256").hexdigest()[:MAC_DIGITS]
