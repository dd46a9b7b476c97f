"""Request bodies, one schema per purpose. Responses are the commands' and views' dicts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from domain.api_key import SESSION_LABELS

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, Field(min_length=8, max_length=256)]
Cents = Annotated[int, Field(strict=True, gt=0, le=1_000_000, description="amount in cents")]
Quantity = Annotated[int, Field(strict=True, ge=1, le=1000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    package_size: int
    quantity: Quantity = 1


class SubaccountIn(Body):
    page_name: Name
    user_name: Name
    email: EmailStr
    package_size: int


class Resize(Body):
    package_size: int


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
