"""Endpoints that come with the live room: answered 501 Not Implemented, after the key check.

Recordings and the file library need what comes later (recording files, uploads). Until
then a client gets ClickMeeting's error body with 501, which the PHP, Python and Ruby
examples report as "Not Implemented".
"""

from __future__ import annotations

from fastapi import APIRouter

from api.v1.deps import CallerDep
from api.v1.errors import V1Error

router = APIRouter()

LATER = (
    (("GET", "DELETE"), "/conferences/{room_id:number}/recordings"),
    (("DELETE",), "/conferences/{room_id:number}/recordings/{recording_id:number}"),
    (("GET",), "/recordings"),
    (("GET", "POST"), "/file-library"),
    (("GET", "DELETE"), "/file-library/{file_id:number}"),
    (("GET",), "/file-library/{file_id:number}/download"),
    (("GET", "POST"), "/file-library/conferences/{room_id:number}"),
)


def not_yet(who: CallerDep) -> None:
    """501 with ClickMeeting's error body (a valid key is still required)."""
    raise V1Error(501, "this endpoint comes with the live room and is not available yet")


for methods, path in LATER:
    router.add_api_route(path, not_yet, methods=list(methods))
