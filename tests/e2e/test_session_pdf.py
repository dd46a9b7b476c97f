# ruff: noqa: RUF001 - Cyrillic headings on purpose
"""The session's PDF report (issue 10 section 4): asked for over v1's ``generate-pdf``, made by
the report worker, downloaded with the API key; read back as a PDF reader would."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from domain.session_report import REPORT_LANGUAGES
from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.report_headings import HEADINGS
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.pdf_text import page_count, text_of
from tests.e2e.test_attendance import WINDOWS_CHROME, gateway_on, join_from, scripted_session
from tests.e2e.test_live_sessions import end, start
from tests.v1.helpers import error
from workers.report_policies import RenderSessionReport

__all__ = ["gateway_on"]  # the telephony secret the scripted session's caller needs
POLICY = "render_session_report"


def session_ids(client: TestClient, room: Json, key: str) -> list[int]:
    listed = client.get(f"/v1/conferences/{room['number']}/sessions", headers={"X-Api-Key": key})
    return [s["id"] for s in listed.json()]


@pytest.fixture
def scripted(client: TestClient, podium: Podium, clock: ManualClock) -> tuple[Json, Caller]:
    """The attendance test's session (four browsers, a caller, chat, a test, a CTA), ended:
    the room with its session's v1 id and path, and the owner."""
    owner, room = scripted_session(client, podium, clock)
    sid = session_ids(client, room, owner.key)[0]
    return {**room, "sid": sid, "base": f"/v1/conferences/{room['number']}/sessions/{sid}"}, owner


def ask(client: TestClient, room: Json, key: str, lang: str) -> Json:
    response = client.get(f"{room['base']}/generate-pdf/{lang}.json", headers={"X-Api-Key": key})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: Json = response.json()
    return body


def download(client: TestClient, url: str, key: str) -> bytes:
    response = client.get(urlsplit(url).path, headers={"X-Api-Key": key})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    content: bytes = response.content
    return content


def test_a_report_is_asked_for_once_made_by_the_worker_and_downloaded(
    client: TestClient, podium: Podium, scripted: tuple[Json, Caller]
) -> None:
    """NEW at the first ask, and asking again appends nothing; the worker makes it; then
    FINISHED with a url that downloads a PDF holding the German headings and every
    attendee, the poll and the call to action; the session detail shows it."""
    room, owner = scripted
    key = owner.key
    assert ask(client, room, key, "de") == {"status": "NEW", "progress": 0}
    before = head(podium)
    assert ask(client, room, key, "de") == {"status": "NEW", "progress": 0}
    assert head(podium) == before  # the same report: nothing new was recorded

    podium.policies.catch_up()
    assert podium.policies.failures() == {}
    done = ask(client, room, key, "de")
    assert (done["status"], done["progress"]) == ("FINISHED", 100)
    assert done["url"].endswith(f"{room['base']}/pdf/de")

    pdf = download(client, done["url"], key)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) >= 1
    text = text_of(pdf)
    for heading in ("title", "attendees", "time", "device", "rating", "polls", "ctas"):
        assert HEADINGS["de"][heading] in text
    for name in ("Ann", "Bob", "Cara", "Dan", "ann@example.com", "+48 600 100 301"):
        assert name in text
    assert "Product Launch" in text  # the event's name
    assert "Capitals" in text
    assert "Buy now" in text
    assert "1:00:00" in text  # Ann was there the whole hour
    assert "Great session" in text  # her exit comment

    detail = client.get(room["base"], headers={"X-Api-Key": key}).json()
    assert detail["pdf"]["de"] == {"status": "FINISHED", "url": done["url"], "progress": 100}
    assert detail["pdf"]["en"]["generate_pdf_url"].endswith(f"{room['base']}/generate-pdf/en")

    before = head(podium)
    podium.policies.rewind(POLICY, 0)
    podium.policies.catch_up()  # the worker again: nothing more is recorded
    assert head(podium) == before
    assert download(client, done["url"], key) == pdf


def test_each_language_has_its_own_headings(
    client: TestClient, podium: Podium, scripted: tuple[Json, Caller]
) -> None:
    """en, pl, ru, de, es: each report carries its language's headings (Polish and Cyrillic
    letters read back as written) and none of another's title."""
    room, owner = scripted
    key = owner.key
    for lang in REPORT_LANGUAGES:
        ask(client, room, key, lang)
    podium.policies.catch_up()
    assert podium.policies.failures() == {}
    for lang in REPORT_LANGUAGES:
        assert set(HEADINGS[lang]) == set(HEADINGS["en"])
        text = text_of(download(client, ask(client, room, key, lang)["url"], key))
        assert HEADINGS[lang]["title"] in text
        assert HEADINGS[lang]["max_visitors"] in text
        others = {HEADINGS[o]["title"] for o in REPORT_LANGUAGES if o != lang}
        assert not any(title in text for title in others)
    assert "Отчёт о сессии" in text_of(download(client, ask(client, room, key, "ru")["url"], key))
    assert "Najwięcej jednocześnie" in text_of(
        download(client, ask(client, room, key, "pl")["url"], key)
    )


def test_names_in_any_script_print_as_written(
    client: TestClient, podium: Podium, clock: ManualClock, scripted: tuple[Json, Caller]
) -> None:
    """Attendees named in Polish and Russian appear in the report as they wrote their names."""
    room, owner = scripted
    start(client, owner, room)  # the permanent room's second session
    for email, name in (("lucja@example.com", "Łucja Żak"), ("piotr@example.com", "Пётр Иванов")):
        join_from(client, room, email, WINDOWS_CHROME, "81.2.69.142", nickname=name)
    clock.advance(timedelta(minutes=15))
    end(client, owner, room)
    second = session_ids(client, room, owner.key)[-1]
    base = f"/v1/conferences/{room['number']}/sessions/{second}"
    again = {**room, "base": base}
    assert ask(client, again, owner.key, "ru")["status"] == "NEW"
    podium.policies.catch_up()
    text = text_of(download(client, ask(client, again, owner.key, "ru")["url"], owner.key))
    assert "Łucja Żak" in text
    assert "Пётр Иванов" in text
    assert "0:15:00" in text
    assert "Ann" not in text  # the first session's people are not this one's


class FailingOnce:
    """A storage whose first put fails, as a full disk or an unreachable bucket would."""

    def __init__(self, real: object) -> None:
        self.real, self.failed = real, False

    def put(self, key: str, source: Path) -> int:
        if not self.failed:
            self.failed = True
            raise OSError("no space left on device")
        size: int = self.real.put(key, source)  # type: ignore[attr-defined]
        return size

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_a_report_the_worker_could_not_store_stays_in_progress_until_resumed(
    client: TestClient, podium: Podium, scripted: tuple[Json, Caller]
) -> None:
    """The store fails: the report says IN PROGRESS, its url is not there, the policy is
    stopped (health shows it); resumed after the fix, it finishes, recorded once."""
    room, owner = scripted
    key = owner.key
    worker = next(p for p in podium.policies.policies if isinstance(p, RenderSessionReport))
    worker.storage = FailingOnce(worker.storage)  # type: ignore[assignment]
    ask(client, room, key, "en")
    podium.policies.catch_up()
    assert set(podium.policies.failures()) == {POLICY}
    assert ask(client, room, key, "en") == {"status": "IN PROGRESS", "progress": 0}
    detail = client.get(room["base"], headers={"X-Api-Key": key}).json()
    assert detail["pdf"]["en"]["status"] == "IN PROGRESS"
    error(client.get(f"{room['base']}/pdf/en", headers={"X-Api-Key": key}), 404)

    podium.policies.resume(POLICY)
    podium.policies.catch_up()
    assert podium.policies.failures() == {}
    done = ask(client, room, key, "en")
    assert done["status"] == "FINISHED"
    assert HEADINGS["en"]["title"] in text_of(download(client, done["url"], key))


def test_bad_report_requests_get_clickmeetings_errors(
    client: TestClient, podium: Podium, clock: ManualClock, scripted: tuple[Json, Caller]
) -> None:
    """A language not offered, an unknown session, another account's session, a session
    still running, a report not made yet, no key: 4xx in ClickMeeting's shape."""
    room, owner = scripted
    key = owner.key
    headers = {"X-Api-Key": key}
    found = error(client.get(f"{room['base']}/generate-pdf/fr", headers=headers), 422)
    assert found["errors"][0]["name"] == "lang"
    assert "en, pl, ru, de, es" in found["errors"][0]["message"]
    error(client.get(f"{room['base']}/pdf/fr", headers=headers), 422)
    error(client.get(f"{room['base']}/pdf/en", headers=headers), 404)  # never asked for
    other = f"/v1/conferences/{room['number']}/sessions/{room['sid'] + 1}"
    error(client.get(f"{other}/generate-pdf/en", headers=headers), 404)
    error(client.get(f"{room['base']}/generate-pdf/en"), 401)

    ask(client, room, key, "en")
    podium.policies.catch_up()
    stranger = trial_owner(client, "stranger@example.com")
    theirs = {"X-Api-Key": stranger.key}
    error(client.get(f"{room['base']}/generate-pdf/en", headers=theirs), 404)
    error(client.get(f"{room['base']}/pdf/en", headers=theirs), 404)
    error(client.get(f"{room['base']}/pdf/en"), 401)

    start(client, owner, room)  # the permanent room's next session
    running = session_ids(client, room, key)[-1]
    path = f"/v1/conferences/{room['number']}/sessions/{running}/generate-pdf/en"
    assert "still running" in error(client.get(path, headers=headers), 422)["errors"][0]["message"]


def test_the_panel_asks_for_and_downloads_the_same_report(
    client: TestClient, podium: Podium, scripted: tuple[Json, Caller]
) -> None:
    """The panel's conventions (session number, problem+json): 202 while made, the same
    report as v1's (one per session and language), 200 with a url once made; bad input 4xx."""
    room, owner = scripted
    path = f"/rooms/{room['room_id']}/sessions/1/pdf"
    problem(client.get(f"{path}/es", headers=owner.headers), 404)  # not asked for yet
    asked = expect(client.post(f"{path}/es", headers=owner.headers), 202)
    assert (asked["status"], asked["progress"], asked["url"]) == ("NEW", 0, None)
    before = head(podium)
    expect(client.post(f"{path}/es", headers=owner.headers), 202)
    assert ask(client, room, owner.key, "es")["status"] == "NEW"  # v1 sees the same report
    assert head(podium) == before
    podium.policies.catch_up()
    done = expect(client.post(f"{path}/es", headers=owner.headers), 200)
    assert (done["status"], done["progress"]) == ("FINISHED", 100)
    assert done["pages"] >= 1
    assert expect(client.get(f"{path}/es", headers=owner.headers), 200) == done
    panel = client.get(done["url"], headers=owner.headers)
    assert panel.headers["content-type"] == "application/pdf"
    assert len(panel.content) == done["size"]
    assert panel.content == download(client, ask(client, room, owner.key, "es")["url"], owner.key)
    assert HEADINGS["es"]["title"] in text_of(panel.content)

    problem(client.post(f"{path}/fr", headers=owner.headers), 422)
    problem(client.get(f"{path}/fr/file", headers=owner.headers), 422)
    problem(client.get(f"{path}/en/file", headers=owner.headers), 404)
    problem(client.post(f"/rooms/{room['room_id']}/sessions/9/pdf/en", headers=owner.headers), 404)
    stranger = trial_owner(client, "stranger@example.com")
    problem(client.post(f"{path}/es", headers=stranger.headers), 404)
    problem(client.get(done["url"], headers=stranger.headers), 404)
    start(client, owner, room)
    running = f"/rooms/{room['room_id']}/sessions/2/pdf/en"
    assert "still running" in problem(client.post(running, headers=owner.headers), 409)["detail"]
