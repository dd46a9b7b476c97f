"""Admission, session, call and engagement events to the attendance tables (decision 0027).

Per attendance (one person in one session): every join with the client it came from, the time
present (closed visits summed; a visit still open when its session ends closes at the end),
and counts of what the person did. The client's browser, system, device and country are read
from the join event, where the command wrote them: this projection asks no parser and no IP
database, so a rebuild gives exactly the rows the live run gave.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.utils import get_topic

from domain.admission import Admission
from domain.live.calls import Call
from domain.live.chat import ChatMessage
from domain.live.cta import CtaClick
from domain.live.polls import Poll, PollAnswer
from domain.live.questions import Question
from domain.live_session import LiveSession
from projections.store import Cursor

JOINS: dict[type, str] = {
    Admission.Admitted: "admitted",
    Admission.Returned: "returned",
    Admission.Reentered: "reentered",
}
# What a person did, counted on their attendance: event class -> column.
COUNTED: dict[type, str] = {
    Question.Asked: "questions",
    ChatMessage.Sent: "chat_messages",
    CtaClick.Clicked: "ctas_clicked",  # one per call to action clicked, however often
}
CLIENT_KEYS = ("user_agent", "browser", "os", "device", "ip", "country")


def attendance_of(room_id: Any, session: int, email: str) -> str:
    return str(Admission.id_for(room_id, session, email))


def _seconds(since: str, until: datetime) -> int:
    return max(int((until - datetime.fromisoformat(since)).total_seconds()), 0)


class AttendanceProjection:
    """attendance_sessions, attendances, attendance_joins, attendance_calls."""

    name: str = "attendance"
    topics: tuple[str, ...] = tuple(
        get_topic(cls)
        for cls in (
            *JOINS,
            Admission.Left,
            Admission.Rated,
            LiveSession.Started,
            LiveSession.Ended,
            *COUNTED,
            Call.Dialled,
            Call.Joined,
            Call.Ended,
            Poll.Opened,
            Poll.Closed,
            PollAnswer.Answered,
            PollAnswer.Changed,
        )
    )
    tables: tuple[str, ...] = (
        "attendance_sessions",
        "attendances",
        "attendance_joins",
        "attendance_calls",
        "attendance_polls",
        "attendance_poll_answers",
    )

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, Admission.Admitted):
            self._admitted(cursor, event, position)
        if type(event) in JOINS:
            self._joined(cursor, event, position)
        elif isinstance(event, Admission.Left):
            self._close(cursor, str(event.originator_id), event.at)
        elif isinstance(event, Admission.Rated):
            cursor.execute(
                "UPDATE attendances SET rating = %s, rating_comment = %s WHERE attendance_id = %s",
                (str(event.rating), event.comment, str(event.originator_id)),
            )
        elif (column := COUNTED.get(type(event))) is not None:
            cursor.execute(
                f"UPDATE attendances SET {column} = {column} + 1 "  # noqa: S608 - ours
                "WHERE attendance_id = %s",
                (attendance_of(event.room_id, event.session, event.email),),
            )
        elif isinstance(event, LiveSession.Started):
            cursor.execute(
                "INSERT INTO attendance_sessions (session_id, room_id, session, session_ref, "
                "started_at) VALUES (%s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.n,
                    position,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, LiveSession.Ended):
            self._ended(cursor, event)
        elif isinstance(event, Call.Dialled | Call.Joined | Call.Ended):
            self._call(cursor, event)
        elif isinstance(
            event, Poll.Opened | Poll.Closed | PollAnswer.Answered | PollAnswer.Changed
        ):
            self._poll(cursor, event)

    @staticmethod
    def _admitted(cursor: Cursor, event: Admission.Admitted, position: int) -> None:
        cursor.execute(
            "INSERT INTO attendances (attendance_id, room_id, session, position, email, "
            "nickname, role, via, joined_at, present_since, joins) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0)",
            (
                str(event.originator_id),
                str(event.room_id),
                event.session,
                position,
                event.email,
                event.nickname,
                event.role,
                event.via,
                event.at.isoformat(),
                event.at.isoformat(),
            ),
        )

    @staticmethod
    def _joined(cursor: Cursor, event: Any, position: int) -> None:
        attendance_id = str(event.originator_id)
        client: dict[str, str] = event.client or {}
        seen = [client.get(key, "") for key in CLIENT_KEYS]
        cursor.execute(
            "INSERT INTO attendance_joins (position, attendance_id, kind, joined_at, user_agent, "
            "browser, os, device, ip, country, country_from) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                position,
                attendance_id,
                JOINS[type(event)],
                event.at.isoformat(),
                *seen,
                client.get("country_from", ""),
            ),
        )
        # The latest join's client describes the attendance (a phone join has none: kept).
        latest = ", ".join(f"{key} = %s" for key in CLIENT_KEYS) + ", " if client else ""
        reopen = ", present_since = %s" if isinstance(event, Admission.Reentered) else ""
        cursor.execute(
            f"UPDATE attendances SET {latest}joins = joins + 1{reopen} "  # noqa: S608 - ours
            "WHERE attendance_id = %s",
            (
                *(seen if client else ()),
                *((event.at.isoformat(),) if reopen else ()),
                attendance_id,
            ),
        )

    @staticmethod
    def _close(cursor: Cursor, attendance_id: str, at: datetime) -> None:
        """The visit open since ``present_since`` ends at ``at`` (no open visit: nothing)."""
        cursor.execute(
            "SELECT present_since FROM attendances WHERE attendance_id = %s", (attendance_id,)
        )
        row = cursor.fetchone()
        if row is None or row["present_since"] is None:
            return
        cursor.execute(
            "UPDATE attendances SET seconds_present = seconds_present + %s, left_at = %s, "
            "present_since = NULL WHERE attendance_id = %s",
            (_seconds(row["present_since"], at), at.isoformat(), attendance_id),
        )
        cursor.execute(
            "UPDATE attendance_joins SET left_at = %s WHERE attendance_id = %s AND left_at IS NULL",
            (at.isoformat(), attendance_id),
        )

    def _ended(self, cursor: Cursor, event: LiveSession.Ended) -> None:
        cursor.execute(
            "SELECT room_id, session FROM attendance_sessions WHERE session_id = %s",
            (str(event.originator_id),),
        )
        row = cursor.fetchone()
        if row is not None:
            self._end_session(cursor, row["room_id"], int(row["session"]), event.at)

    def _end_session(self, cursor: Cursor, room_id: str, session: int, at: datetime) -> None:
        cursor.execute(
            "UPDATE attendance_sessions SET ended_at = %s WHERE room_id = %s AND session = %s",
            (at.isoformat(), room_id, session),
        )
        cursor.execute(
            "SELECT attendance_id FROM attendances WHERE room_id = %s AND session = %s "
            "AND present_since IS NOT NULL",
            (room_id, session),
        )
        for row in cursor.fetchall():
            self._close(cursor, row["attendance_id"], at)

    def _call(self, cursor: Cursor, event: Any) -> None:
        call_id = str(event.originator_id)
        if isinstance(event, Call.Dialled):
            cursor.execute(
                "INSERT INTO attendance_calls (call_id, caller, toll_free, dialled_at) "
                "VALUES (%s, %s, %s, %s)",
                (call_id, event.caller, event.toll_free, event.at.isoformat()),
            )
        elif isinstance(event, Call.Joined):
            cursor.execute(
                "UPDATE attendance_calls SET attendance_id = %s, joined_at = %s WHERE call_id = %s",
                (
                    attendance_of(event.room_id, event.session, event.email),
                    event.at.isoformat(),
                    call_id,
                ),
            )
        else:
            cursor.execute(
                "UPDATE attendance_calls SET ended_at = %s WHERE call_id = %s",
                (event.at.isoformat(), call_id),
            )

    @staticmethod
    def _poll(cursor: Cursor, event: Any) -> None:
        """Answers count, and score, only while their poll is open (as in the polls model)."""
        if isinstance(event, Poll.Opened | Poll.Closed):
            switched, is_open = str(event.originator_id), isinstance(event, Poll.Opened)
            cursor.execute("DELETE FROM attendance_polls WHERE poll_id = %s", (switched,))
            cursor.execute(
                "INSERT INTO attendance_polls (poll_id, open) VALUES (%s, %s)", (switched, is_open)
            )
            return
        answered = str(event.poll_id) if isinstance(event, PollAnswer.Answered) else None
        cursor.execute(
            "SELECT p.open FROM attendance_polls p WHERE p.poll_id = COALESCE(%s, "
            "(SELECT a.poll_id FROM attendance_poll_answers a WHERE a.answer_id = %s))",
            (answered, str(event.originator_id)),
        )
        row = cursor.fetchone()
        if row is None or not row["open"]:
            return  # the log put it after the close: not counted
        if isinstance(event, PollAnswer.Changed):
            cursor.execute(
                "UPDATE attendance_poll_answers SET points = %s WHERE answer_id = %s",
                (event.points, str(event.originator_id)),
            )
            return
        attendance_id = attendance_of(event.room_id, event.session, event.email)
        cursor.execute(
            "INSERT INTO attendance_poll_answers (answer_id, attendance_id, poll_id, points) "
            "VALUES (%s, %s, %s, %s)",
            (str(event.originator_id), attendance_id, answered, event.points),
        )
        cursor.execute(
            "UPDATE attendances SET poll_answers = poll_answers + 1 WHERE attendance_id = %s",
            (attendance_id,),
        )
