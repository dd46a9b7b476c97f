"""The panel's Statistics tab (issue 10 §2): an account's events, sessions, attendees, where
they came from and on what, and dial-in use; now, or as of any past instant (decision 0028).

`GET /statistics` answers JSON, `GET /statistics/{table}.csv` one table of it as CSV, both with
the same filters: `from` and `to` (ISO instants with an offset: sessions started, and events
scheduled, in [from, to)), `room_id`, and `as_of` (what the statistics said at that instant).
Only the caller's account's rooms are counted.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep
from api.responses.statistics import Statistics
from domain.errors import InvalidRequestError, NotFoundError
from podium.bootstrap import Podium
from projections.attendance.projection import AttendanceProjection
from projections.rooms.projection import RoomsProjection
from projections.statistics.as_of import PastStatistics, PastStatisticsBusy
from projections.statistics.view import COLUMNS, TABLES, Filters, StatisticsView

router = APIRouter(prefix="/statistics", tags=["statistics"])
READ = (RoomsProjection.name, AttendanceProjection.name)  # the read models the answer comes from
Table = Literal[TABLES]  # type: ignore[valid-type] # a Literal of the table names, spelt once
Instant = Annotated[str | None, Query(description="an ISO 8601 instant with its offset")]
FROM = Query(alias="from", description="sessions started at or after (ISO instant)")
TO = Query(alias="to", description="sessions started before (ISO instant)")


def instant(name: str, value: str | None) -> datetime | None:
    """``value`` as an aware datetime; a missing offset or a malformed text is refused."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(f"{name} is not an ISO 8601 instant: {value!r}") from None
    if parsed.tzinfo is None:
        raise InvalidRequestError(f"{name} needs an offset (Z or +hh:mm): {value!r}")
    return parsed


def past_statistics(podium: Podium) -> PastStatistics:
    """One per process: its scratch stores are cached across requests."""
    found = podium.extras.get("past_statistics")
    if not isinstance(found, PastStatistics):
        found = PastStatistics(
            podium.store.recorder,
            podium.store.mapper.to_domain_event,
            lambda: [RoomsProjection(), AttendanceProjection()],
        )
        podium.extras["past_statistics"] = found
    return found


def gather(
    podium: Podium,
    account_id: str,
    start: str | None,
    end: str | None,
    room: UUID | None,
    as_of: str | None,
) -> dict[str, Any]:
    """The statistics answer: live from the read store, or from the log cut at ``as_of``;
    ``position`` is the last log position the answer includes."""
    filters = Filters(instant("from", start), instant("to", end), str(room) if room else None)
    if filters.start and filters.end and filters.start >= filters.end:
        raise InvalidRequestError(f"from ({start}) must be before to ({end})")
    if room is not None:
        found = podium.views.rooms.room(str(room))
        if found is None or found["account_id"] != account_id:
            raise NotFoundError("room not found")
    moment = instant("as_of", as_of)
    if moment is None:
        podium.projector.wait_for(
            podium.store.recorder.max_notification_id() or 0,
            timeout=podium.settings.read_your_writes_timeout,
            catch_up=podium.settings.project_inline,
        )
        states = podium.projector.states()  # where the read models are, caught up or not
        position = min(states[name].position for name in READ)
        view, now = StatisticsView(podium.read_store), podium.clock.now()
    else:
        now = podium.clock.now()
        if moment > now:
            raise InvalidRequestError(f"as_of {as_of} is in the future (it is {now.isoformat()})")
        opened = podium.views.accounts.account(account_id)
        if opened is None or moment < datetime.fromisoformat(opened["opened_at"]):
            raise InvalidRequestError(f"as_of {as_of} is before the account existed")
        past = past_statistics(podium)
        position = past.position_at(moment)
        try:
            view, now = past.view_at(position), moment
        except PastStatisticsBusy as busy:
            raise HTTPException(503, f"{busy}; ask again", {"Retry-After": "5"}) from None
    answer = view.statistics(account_id, now, filters)
    return {**answer, "as_of": moment.isoformat() if moment else None, "position": position}


@router.get("", response_model=Statistics, responses=problems(404, 422, 503))
def statistics(
    who: CurrentPrincipal,
    podium: PodiumDep,
    start: Annotated[str | None, FROM] = None,
    end: Annotated[str | None, TO] = None,
    room_id: UUID | None = None,
    as_of: Instant = None,
) -> dict[str, Any]:
    """Totals, events per month, meetings vs webinars, attendees by country, device, browser
    and system, every attendee's time present, client, rating and poll score, and dial-in use
    per session."""
    return gather(podium, str(who.account_id), start, end, room_id, as_of)


@router.get(
    "/{table}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problems(404, 422, 503)},
)
def statistics_csv(
    table: Table,
    who: CurrentPrincipal,
    podium: PodiumDep,
    start: Annotated[str | None, FROM] = None,
    end: Annotated[str | None, TO] = None,
    room_id: UUID | None = None,
    as_of: Instant = None,
) -> Response:
    """One table of `GET /statistics` as CSV (a header row, then a row per entry)."""
    rows: list[dict[str, Any]] = gather(podium, str(who.account_id), start, end, room_id, as_of)[
        table
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[table])
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="statistics_{table}.csv"'},
    )
