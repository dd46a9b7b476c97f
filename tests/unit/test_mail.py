"""The outbox message: delivery and exponential back-off between failed attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.mail import CLAIM_LEASE, OutgoingMail

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def new_mail() -> OutgoingMail:
    return OutgoingMail("ann@acme.example", "Welcome", "Hello", "welcome", AT)


def test_a_queued_message_is_due_at_once() -> None:
    """Queued: undelivered, no attempts yet, first attempt due when queued."""
    mail = new_mail()
    assert (mail.delivered, mail.attempts, mail.next_attempt_at) == (False, 0, AT)


def test_failed_attempts_back_off_from_30_seconds_doubling_to_an_hour() -> None:
    """Retries wait 30 s, 60 s, 120 s ... doubling, never more than an hour."""
    mail = new_mail()
    waits = []
    now = AT
    for _ in range(10):
        mail.attempt_failed("421 try later", now)
        waits.append(mail.next_attempt_at - now)
        now = mail.next_attempt_at
    expected_seconds = [min(30 * 2**n, 3600) for n in range(10)]
    assert waits == [timedelta(seconds=s) for s in expected_seconds]
    assert expected_seconds[:4] == [30, 60, 120, 240]
    assert expected_seconds[-3:] == [3600, 3600, 3600]
    assert mail.attempts == 10


def test_backoff_is_capped_even_after_many_attempts() -> None:
    """After a hundred failures (about four days of hourly retries) the wait is still one hour."""
    mail = new_mail()
    for _ in range(100):
        mail.attempt_failed("down", AT)
    assert mail.attempts == 100
    assert mail.next_attempt_at == AT + timedelta(hours=1)


def test_failure_reason_is_truncated() -> None:
    """Only the first 500 characters of an error are kept in the event."""
    mail = new_mail()
    mail.collect_events()
    mail.attempt_failed("x" * 2000, AT)
    [failed] = mail.collect_events()
    assert isinstance(failed, OutgoingMail.AttemptFailed)
    assert failed.error == "x" * 500


def test_delivery_is_recorded_once() -> None:
    """A delivered message stays delivered; a second report records nothing."""
    mail = new_mail()
    mail.collect_events()
    mail.delivered_at(AT)
    mail.delivered_at(AT + timedelta(seconds=5))
    assert mail.delivered
    assert len(mail.collect_events()) == 1


def test_one_claim_at_a_time_until_it_lapses() -> None:
    """A live claim refuses a second; at the lease's end the message can be claimed again."""
    mail = new_mail()
    mail.collect_events()
    assert mail.claim("a", AT)
    assert not mail.claim("b", AT + CLAIM_LEASE - timedelta(seconds=1))
    assert mail.claimed_by == "a"
    assert mail.claim("b", AT + CLAIM_LEASE)
    assert mail.claimed_by == "b"
    assert [type(e) for e in mail.collect_events()] == [OutgoingMail.Claimed] * 2


def test_a_finished_attempt_releases_its_claim() -> None:
    """A failure frees the message for its retry (when due); a delivery ends all claims."""
    mail = new_mail()
    assert mail.claim("a", AT)
    mail.attempt_failed("timeout", AT)
    assert mail.claimed_until is None
    assert not mail.claim("b", AT + timedelta(seconds=29))  # backing off: not due yet
    assert mail.claim("b", AT + timedelta(seconds=30))
    mail.delivered_at(AT + timedelta(seconds=31))
    mail.collect_events()
    assert not mail.claim("c", AT + timedelta(hours=2))
    assert mail.collect_events() == []
