"""Request bodies, one schema per purpose, and the edge's typed values.

Every integer the panel takes (path, query or body) is one of the bounded types here, so none
can exceed what SQLite's INTEGER and PostgreSQL's BIGINT hold (``tests/fuzz`` checks the whole
contract for an unbounded one). A JSON body's integers are strict (``"5"`` and ``true`` are
refused) but ``1.0`` is the integer 1, as JSON Schema's ``integer`` says; ``1.5`` is refused.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.api_key import SESSION_LABELS

# The ceiling of every integer: below what SQLite's INTEGER and PostgreSQL's BIGINT hold
# (2**63 - 1), and exact as a float, which is how FastAPI writes a body's bounds in the OpenAPI
# document (2**63 - 1 would be written rounded up, past BIGINT).
INT_MAX = 10**18


def _integral(value: object) -> object:
    """A JSON number with no fraction (``1.0``) is that integer; anything else is left as it is
    for the strict check to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# After the constraints in ``Annotated``: before them, pydantic documents ``ge``/``le`` as
# unknown keys instead of ``minimum``/``maximum``.
Integral = BeforeValidator(_integral)
# Query and path values (text in the URL, so not strict): positions, counts, event numbers.
Position = Annotated[int, Field(ge=1, le=INT_MAX)]
# Body values.
WholeNumber = Annotated[int, Field(strict=True, ge=-INT_MAX, le=INT_MAX), Integral]
Count = Annotated[int, Field(strict=True, ge=1, le=INT_MAX), Integral]
Cents = Annotated[
    int, Field(strict=True, gt=0, le=1_000_000, description="amount in cents"), Integral
]
Quantity = Annotated[int, Field(strict=True, ge=1, le=1000), Integral]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, Field(min_length=8, max_length=256)]


# C0 control characters but tab, line feed and carriage return, and DEL: no name, address or
# text needs them, PostgreSQL cannot store NUL, and XML cannot carry most of them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control(value: Any) -> None:
    if isinstance(value, str):
        if CONTROL.search(value):
            raise PydanticCustomError("control_characters", "must not contain control characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control(key)
            _refuse_control(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_control(item)


class Body(BaseModel):
    """A request body: unknown fields refused, and no text anywhere in it (keys of maps
    included) with a control character."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def no_control_characters(cls, value: Any) -> Any:
        _refuse_control(value)
        return value


class SignUp(Body):
    name: Name
    email: EmailStr
    password: Password
    nonprofit: bool = False


class LogIn(Body):
    email: EmailStr
    password: Annotated[str, Field(max_length=256)]


class PaymentMethodIn(Body):
    kind: Literal["card", "paypal"]
    number: Annotated[str, Field(max_length=32)] | None = None
    email: EmailStr | None = None


class Subscribe(Body):
    plan_id: Annotated[str, Field(max_length=40)]
    cycle: Literal["monthly", "annual"] = "monthly"


class Upgrade(Body):
    plan_id: Annotated[str, Field(max_length=40)]


class Downgrade(Body):
    plan_id: Annotated[str, Field(max_length=40)]
    cycle: Literal["monthly", "annual"] = "monthly"


class PromoCode(Body):
    code: Annotated[str, Field(min_length=1, max_length=40)]


class Funds(Body):
    amount: Cents


class AddOnIn(Body):
    add_on: Literal["camera_feed", "room_session", "storage", "extra_seats"]
    quantity: Quantity = 1


class PackagesIn(Body):
    package_size: Count
    quantity: Quantity = 1


class SubaccountIn(Body):
    page_name: Name
    user_name: Name
    email: EmailStr
    package_size: Count


class Resize(Body):
    package_size: Count


class MemberIn(Body):
    email: EmailStr


class ApiKeyIn(Body):
    label: Name = "api"

    @field_validator("label")
    @classmethod
    def not_a_session_label(cls, label: str) -> str:
        if label in SESSION_LABELS:
            raise ValueError(f"{label!r} is reserved for keys issued by logging in")
        return label


class PasswordResetIn(Body):
    email: EmailStr


class SetPassword(Body):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    password: Password


class ChangePassword(Body):
    current_password: Annotated[str, Field(max_length=256)]
    new_password: Password
