"""Password reset by emailed link, activation links, and changing a password."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import CurrentPrincipal, PodiumDep, respond
from api.schemas import ChangePassword, PasswordResetIn, SetPassword

router = APIRouter(tags=["passwords"])


@router.post("/password-reset", status_code=202)
def request_reset(body: PasswordResetIn, podium: PodiumDep) -> JSONResponse:
    """Email a reset link; the answer is the same whether or not the email has a login."""
    return respond(podium, podium.accounts.request_password_reset(str(body.email)))


@router.post("/password-reset/confirm")
def confirm_reset(body: SetPassword, podium: PodiumDep) -> JSONResponse:
    """Set a new password with the token from the reset link."""
    return respond(podium, podium.accounts.set_password(body.token, body.password))


@router.post("/activation")
def activate(body: SetPassword, podium: PodiumDep) -> JSONResponse:
    """Set the first password of an invited member or a new subaccount (which activates it)."""
    return respond(podium, podium.accounts.set_password(body.token, body.password))


@router.put("/me/password")
def change_password(body: ChangePassword, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    result = podium.accounts.change_password(who, body.current_password, body.new_password)
    return respond(podium, result)
