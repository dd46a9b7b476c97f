"""The telephony provider's webhook: phone calls into rooms, in the providers' style (0019).

The provider POSTs one JSON report per call event (``call.started``, ``call.pin``,
``call.digit``, ``call.ended``) and does what the answer's ``actions`` say (speak, collect a PIN
or a key, hold music, mute, hang up). Every delivery is signed with the shared secret
(``PODIUM_TELEPHONY_SECRET``), as the large payment and telephony APIs sign theirs:

    Telephony-Timestamp: <unix seconds>
    Telephony-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>

A missing, stale (more than ``telephony_tolerance_seconds`` off this server's clock, either
way) or wrong signature is refused before the body is read as JSON, and nothing is written.
Several ``v1=`` values, comma-separated, are accepted while a secret is being rotated.
``event_id`` is the delivery's id: a retried delivery answers the first answer and does nothing
again. A refusal (an unknown key, an action the room refuses) is a 4xx problem that still
carries ``actions``, so the caller hears why.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from api.contract import problems
from api.deps import PodiumDep, respond
from api.errors import problem, status_of
from commands.live.dial_in import HANGUP, collect, talk
from commands.unit_of_work import Idempotency, Result
from domain.errors import DomainError, InvalidRequestError, NotFoundError
from domain.live.calls import CallOverError, PinFirstError
from podium.bootstrap import Podium

router = APIRouter(prefix="/telephony", tags=["dial-in"])

TIMESTAMP = "Telephony-Timestamp"
SIGNATURE = "Telephony-Signature"
SCOPE = "telephony"


class CallReport(BaseModel):
    """One event of one call, as the provider reports it."""

    model_config = ConfigDict(populate_by_name=True)

    event_id: str = Field(min_length=1, max_length=100, description="this delivery's id")
    type: Literal["call.started", "call.pin", "call.digit", "call.ended"]
    call_id: str = Field(min_length=1, max_length=100, description="the provider's call id")
    caller: str | None = Field(
        default=None, alias="from", max_length=40, description="the number calling"
    )
    to: str | None = Field(default=None, max_length=40, description="the gateway number called")
    digits: str | None = Field(default=None, max_length=32, description="the PIN, or one key")


class CallAnswer(BaseModel):
    """What the gateway does next, and the call as it stands."""

    call_id: str
    actions: list[dict[str, Any]]
    state: dict[str, Any]


class SignatureError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex signature of a delivery: HMAC-SHA256 over ``<timestamp>.<body>``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: str, tolerance: int, now: datetime, timestamp: str | None, signature: str | None,
    body: bytes,
) -> None:  # fmt: skip
    """Refuse a delivery not signed with ``secret`` within ``tolerance`` seconds of ``now``."""
    if not timestamp or not signature:
        raise SignatureError(401, f"sign each delivery: the {TIMESTAMP} and {SIGNATURE} headers")
    try:
        signed_at = datetime.fromtimestamp(int(timestamp), UTC)
    except (ValueError, OverflowError, OSError):
        raise SignatureError(401, f"{TIMESTAMP} must be whole seconds since 1970") from None
    skew = abs((now - signed_at).total_seconds())
    if skew > tolerance:
        raise SignatureError(
            403,
            f"the delivery was signed {int(skew)} s away from this server's time (at most "
            f"{tolerance} s): refused as a possible replay; check the clock and sign it again",
        )
    wanted = expected_signature(secret, timestamp, body)
    offered = [part.strip().removeprefix("v1=") for part in signature.split(",") if "v1=" in part]
    if not any(hmac.compare_digest(wanted.encode(), o.encode()) for o in offered):
        raise SignatureError(
            403, "the signature does not match the body: sign it with the shared telephony secret"
        )


def refusal(report: CallReport, error: DomainError) -> JSONResponse:
    """A refused report, as a problem that still tells the gateway what to say and do next:
    a refused key leaves the caller at the menu; a refused call is hung up."""
    detail = str(error)
    then: list[dict[str, Any]] = [HANGUP]
    if isinstance(error, PinFirstError):
        then = [collect("pin")]
    elif report.type == "call.digit" and not isinstance(error, CallOverError | NotFoundError):
        then = [collect("digit")]
    elif report.type == "call.ended":
        then = []
    return problem(status_of(error), detail, actions=[talk(detail), *then])


@router.post(
    "/calls",
    response_model=CallAnswer,
    responses=problems(401, 403, 404, 409, 422),
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": CallReport.model_json_schema()}}}
    },
)
async def call_event(
    request: Request,
    podium: PodiumDep,
    timestamp: Annotated[str | None, Header(alias=TIMESTAMP)] = None,
    signature: Annotated[str | None, Header(alias=SIGNATURE)] = None,
) -> JSONResponse:
    """One event of a phone call (started, PIN, key, ended), signed by the provider; the answer
    says what to speak and do. Retried deliveries (same ``event_id``) answer the first answer."""
    settings = podium.settings
    if not settings.telephony_secret:
        # Not a 5xx: nothing is wrong with the server; the webhook is simply not there.
        return problem(404, "the phone gateway is off: set PODIUM_TELEPHONY_SECRET to turn it on")
    body = await request.body()
    try:
        verify(
            settings.telephony_secret,
            settings.telephony_tolerance_seconds,
            podium.clock.now(),
            timestamp,
            signature,
            body,
        )
    except SignatureError as error:
        refused = problem(error.status, error.detail)
        if error.status == 401:  # not the API key the panel's 401s ask for
            refused.headers["WWW-Authenticate"] = (
                f'Signature realm="telephony", headers="{SIGNATURE}"'
            )
        return refused
    try:
        report = CallReport.model_validate_json(body)
    except ValidationError as error:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
        )
        return problem(422, f"not a call report: {detail}")
    idem = Idempotency(SCOPE, report.event_id, hashlib.sha256(body).hexdigest())
    try:
        result = await run_in_threadpool(dispatch, podium, report, idem)
    except DomainError as error:
        return refusal(report, error)
    return respond(podium, result)


def dispatch(podium: Podium, report: CallReport, idem: Idempotency) -> Result:
    """The report's command (run in a worker thread: the event store is synchronous), once its
    fields are those its type needs."""
    dial_in = podium.dial_in
    if report.type == "call.started":
        if not report.caller or not report.to:
            raise InvalidRequestError("call.started needs from (the caller) and to (the number)")
        return dial_in.started(report.call_id, report.caller, report.to, idem)
    if report.type == "call.pin":
        if not report.digits:
            raise InvalidRequestError("call.pin needs digits: the PIN the caller typed")
        return dial_in.pin(report.call_id, report.digits, idem)
    if report.type == "call.digit":
        if not report.digits:
            raise InvalidRequestError("call.digit needs digits: the one key pressed")
        return dial_in.digit(report.call_id, report.digits, idem)
    return dial_in.ended(report.call_id, idem)
