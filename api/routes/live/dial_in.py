"""A session's phone calls for the room's owner: the call detail records (decision 0019),
and the CDR the transaction history links to, as JSON or CSV (issue 10 section 3)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep
from api.responses.base import Answer
from api.responses.billing import DialInCall
from api.routes.rooms import own_room
from api.schemas import INT_MAX
from domain.errors import NotFoundError
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["dial-in"])


class CallRecord(Answer):
    """One call: from which number to which gateway number, when, and what it costs."""

    call_id: str
    caller: str
    gateway: str
    toll_free: bool
    role: str | None
    started_at: str
    ended_at: str | None
    duration_seconds: int | None
    billed_minutes: int | None
    cost: int | None


class SessionCalls(Answer):
    room_id: str
    session: int
    calls: list[CallRecord]
    toll_free_minutes: int
    toll_free_cost: int


@router.get("/{room_id}/sessions/{n}/calls", response_model=SessionCalls)
def calls(
    room_id: UUID,
    n: Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")],
    who: CurrentPrincipal,
    podium: PodiumDep,
) -> dict[str, Any]:
    """The phone calls into session ``n`` of the room: one call detail record each (number
    called from, gateway number, start, end, duration, toll-free or not, cost in cents by the
    per-minute rate). A call still connected has no end, duration or cost yet."""
    own_room(podium, who, room_id)
    records = podium.views.dial_in_calls.calls(str(room_id), n)
    minutes, cost = podium.views.dial_in_calls.toll_free_cost(str(room_id), n)
    return {
        "room_id": str(room_id),
        "session": n,
        "calls": records,
        "toll_free_minutes": minutes,
        "toll_free_cost": cost,
    }


class Cdr(Answer):
    room_id: str
    session: int
    currency: str
    calls: list[DialInCall]
    toll_free_minutes: int
    toll_free_cost: int


CDR_COLUMNS = tuple(DialInCall.model_fields)  # caller, dialled, toll_free, start, end, ...


def cdr_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Call detail records as the CDR names them (the number dialled is the gateway's)."""
    return [{**{k: r[k] for k in CDR_COLUMNS if k in r}, "dialled": r["gateway"]} for r in records]


def _session_calls(podium: Podium, room_id: UUID, n: int) -> list[dict[str, Any]]:
    """Session ``n``'s calls; a session that never started and had no calls is not found."""
    records = podium.views.dial_in_calls.calls(str(room_id), n)
    if not records and podium.views.attendance.session(str(room_id), n) is None:
        raise NotFoundError(f"the room has no session {n}")
    return records


def _csv(rows: list[dict[str, Any]], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CDR_COLUMNS, lineterminator="\r\n")
    writer.writeheader()  # RFC 4180's line ends, as spreadsheets expect
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


def _cdr(podium: Podium, who: CurrentPrincipal, room_id: UUID, n: int, as_csv: bool) -> Response:
    own_room(podium, who, room_id)
    rows = cdr_rows(_session_calls(podium, room_id, n))
    if as_csv:
        return _csv(rows, f"cdr_{room_id}_{n}.csv")
    minutes, cost = podium.views.dial_in_calls.toll_free_cost(str(room_id), n)
    body = {
        "room_id": str(room_id),
        "session": n,
        "currency": "USD",
        "calls": rows,
        "toll_free_minutes": minutes,
        "toll_free_cost": cost,
    }
    return JSONResponse(Cdr.model_validate(body).model_dump(mode="json"))


CSV_ANSWER = {200: {"content": {"text/csv": {}}}, **problems(404)}


@router.get(
    "/{room_id}/sessions/{n}/cdr",
    response_model=Cdr,
    responses=CSV_ANSWER,
)
def cdr(
    room_id: UUID,
    n: Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")],
    who: CurrentPrincipal,
    podium: PodiumDep,
    format: Annotated[Literal["json", "csv"], Query(description="csv: a CSV download")] = "json",
) -> Response:
    """Every dial-in of session ``n`` (the transaction history's CDR): caller number, number
    dialled, start, end, duration, billed minutes and cost in cents (a local number's is 0;
    a call still connected has no end or cost yet). ``?format=csv`` or ``cdr.csv``: the same
    rows as a CSV attachment."""
    return _cdr(podium, who, room_id, n, format == "csv")


@router.get("/{room_id}/sessions/{n}/cdr.csv", response_class=Response, responses=CSV_ANSWER)
def cdr_csv(
    room_id: UUID,
    n: Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")],
    who: CurrentPrincipal,
    podium: PodiumDep,
) -> Response:
    """Session ``n``'s CDR as a CSV attachment (``cdr?format=csv``)."""
    return _cdr(podium, who, room_id, n, as_csv=True)
