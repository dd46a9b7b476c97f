"""One signed POST to a real receiver on loopback: refusals, timeouts, signatures (0034)."""

from __future__ import annotations

from podium.webhook_http import HttpSender, signature, verify
from tests.integration.webhook_receiver import receiver


def test_a_private_target_is_refused_when_delivering_unless_allowed() -> None:
    """Loopback is refused before connecting (nothing arrives) unless private targets are on."""
    with receiver() as hook:
        refused = HttpSender(timeout=2, allow_private=False).post(hook.url, b"{}", {})
        assert refused.code is None
        assert refused.error is not None
        assert "private" in refused.error
        assert hook.received == []
        sent = HttpSender(timeout=2, allow_private=True).post(hook.url, b"{}", {})
        assert sent.delivered
        assert len(hook.received) == 1


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt() -> None:
    """The timeout ends the attempt with an error and no status code."""
    with receiver() as hook:
        hook.hold.clear()
        answer = HttpSender(timeout=0.3, allow_private=True).post(hook.url, b"{}", {})
        assert answer.code is None
        assert answer.error is not None
        assert "timed out" in answer.error.lower()
        assert not answer.delivered
        hook.hold.set()


def test_a_non_2xx_answer_is_a_failure_with_its_code() -> None:
    with receiver() as hook:
        hook.fail, hook.fail_status = 1, 503
        answer = HttpSender(timeout=2, allow_private=True).post(hook.url, b"{}", {})
        assert answer.code == 503
        assert not answer.delivered


def test_the_signature_covers_the_timestamp_and_the_body() -> None:
    """Stripe's scheme: another timestamp, body or secret does not verify."""
    header = signature(["whsec_a"], 1_700_000_000, b'{"id":1}')
    assert verify(header, "whsec_a", b'{"id":1}')
    assert not verify(header, "whsec_b", b'{"id":1}')
    assert not verify(header, "whsec_a", b'{"id":2}')
    forged = header.replace("t=1700000000", "t=1700000001")
    assert not verify(forged, "whsec_a", b'{"id":1}')
