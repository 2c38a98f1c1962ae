"""What identity stores: accounts, memberships, CAMs, preferences, audit entries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from common.access import AccountStatus
from common.time_zones import is_time_zone
from services.identity.logic.roles import RoleName, permissions_for


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Account(_Record):
    account_id: str
    name: str
    status: AccountStatus
    created_at: AwareDatetime
    created_by: str


class CreationReceipt(_Record):
    """The first answer to an account creation sent with an Idempotency-Key: a retry by
    the same caller with the same key and body until `expires_at` answers `account`."""

    caller: str
    idempotency_key: str
    fingerprint: str
    """SHA-256 of the request's body: the key answers only the body it was first sent with."""
    account: Account
    answered_at: AwareDatetime
    expires_at: AwareDatetime

    def live(self, now: datetime) -> bool:
        return now < self.expires_at


class MembershipStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"


class Membership(_Record):
    account_id: str
    subject: str
    email: str
    role: RoleName
    status: MembershipStatus
    invited_by: str
    invited_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    activated_at: AwareDatetime | None = None

    @property
    def permissions(self) -> list[str]:
        return permissions_for(self.role)

    def expired(self, now: datetime) -> bool:
        return (
            self.status is MembershipStatus.INVITED
            and self.expires_at is not None
            and self.expires_at <= now
        )


class Cam(_Record):
    subject: str
    email: str
    name: str
    created_at: AwareDatetime
    created_by: str


class CamAssignment(_Record):
    account_id: str
    subject: str
    assigned_at: AwareDatetime
    assigned_by: str


DateFormat = Literal["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD-MM-YYYY"]
NumberFormat = Literal["1,234.56", "1.234,56", "1 234,56", "1'234.56"]
LandingView = Literal[
    "portfolio", "trades", "documents", "billing", "usage_targets", "notifications"
]
SUPPORTED_CURRENCIES = frozenset(
    {"EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "SGD", "AUD", "CAD"}
)


class PreferenceValues(BaseModel):
    """Personalization settings, validated field by field (a 422 names the field)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    locale: str = Field(
        default="en-GB",
        pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$",
        description="BCP 47 language tag, e.g. en-GB, nl-NL.",
    )
    timezone: str = Field(default="UTC", description="IANA time zone, e.g. Europe/Amsterdam.")
    date_format: DateFormat = "YYYY-MM-DD"
    number_format: NumberFormat = "1,234.56"
    default_currency: str = Field(default="EUR", description="ISO 4217 code.")
    landing_view: LandingView = "portfolio"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError(f"unknown IANA time zone {value!r}")
        return value

    @field_validator("default_currency")
    @classmethod
    def _supported_currency(cls, value: str) -> str:
        if value not in SUPPORTED_CURRENCIES:
            raise ValueError(f"unsupported currency; use one of {sorted(SUPPORTED_CURRENCIES)}")
        return value


class Preferences(_Record):
    subject: str
    values: PreferenceValues
    version: int = Field(ge=0, description="0 until first saved.")


class AuditOutcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


class AuditLink(_Record):
    """An audit entry without the chain it belongs to (what the audit API shows)."""

    seq: int = Field(ge=1)
    entry_id: str
    actor: str
    action: str
    target: str
    account_id: str | None
    at: AwareDatetime
    request_hash: str
    outcome: AuditOutcome
    prev_hash: str
    hash: str


class AuditEntry(AuditLink):
    """One link of an account's audit chain; `hash` covers every other field."""

    chain: str


class ChainHead(_Record):
    seq: int
    hash: str
