"""Password reset by emailed link, activation links, and changing a password."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import CurrentPrincipal, IdempotencyHeader, PodiumDep, respond, scoped
from api.responses.accounts import Accepted, LoginChanged
from api.schemas import ChangePassword, PasswordResetIn, SetPassword
from api.throttle import PASSWORD_RESET
from commands.unit_of_work import Idempotency

router = APIRouter(tags=["passwords"])


def link(idem: tuple[str, str] | None) -> Idempotency | None:
    """A link's key is scoped by the link: the fingerprint covers the token, so the same key
    with another link is a different request (422), not a replay."""
    return scoped(idem, "password-link")


@router.post(
    "/password-reset",
    status_code=202,
    response_model=Accepted,
    responses=problems(429),
    dependencies=[PASSWORD_RESET],
)
def request_reset(
    body: PasswordResetIn, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Email a reset link; the answer is the same whether or not the email has a login.

    Under an Idempotency-Key a retry sends no second link."""
    email = str(body.email).lower()
    result = podium.accounts.request_password_reset(email, scoped(idem, f"reset:{email}"))
    return respond(podium, result)


@router.post("/password-reset/confirm", response_model=LoginChanged)
def confirm_reset(body: SetPassword, podium: PodiumDep, idem: IdempotencyHeader) -> JSONResponse:
    """Set a new password with the token from the reset link; it ends the login's sessions.

    Under an Idempotency-Key a retry gets the first answer, not "link already used"."""
    return respond(podium, podium.accounts.set_password(body.token, body.password, link(idem)))


@router.post("/activation", response_model=LoginChanged)
def activate(body: SetPassword, podium: PodiumDep, idem: IdempotencyHeader) -> JSONResponse:
    """Set the first password of an invited member or a new subaccount (which activates it)."""
    return respond(podium, podium.accounts.set_password(body.token, body.password, link(idem)))


@router.put("/me/password", response_model=LoginChanged)
def change_password(body: ChangePassword, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """Set a new password; every session of this login ends, this one too (log in again).
    API keys made for integrations keep working."""
    result = podium.accounts.change_password(who, body.current_password, body.new_password)
    return respond(podium, result)
