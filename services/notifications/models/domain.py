"""What the notifications service knows: kinds and categories of notifications, channels,
the notification with its per-channel delivery records, people's contact data (from
identity's events) and preferences (from this service's API)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from common.access import Action, Area, permission


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Category(StrEnum):
    """What people switch on and off (per channel) and unsubscribe from."""

    TRADES = "trades"
    DELIVERIES = "deliveries"
    RETIREMENTS = "retirements"
    BILLING = "billing"
    DOCUMENTS = "documents"
    ACCESS = "access"
    SECURITY = "security"


class Kind(StrEnum):
    TRADE_EXECUTED = "trade_executed"
    TRADE_AMENDED = "trade_amended"
    TRADE_CANCELLED = "trade_cancelled"
    DELIVERY_COMPLETED = "delivery_completed"
    DELIVERY_FAILED = "delivery_failed"
    RETIREMENT_COMPLETED = "retirement_completed"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_PAID = "invoice_paid"
    INVOICE_OVERDUE = "invoice_overdue"
    TRADE_CONFIRMATION_AVAILABLE = "trade_confirmation_available"
    BILLING_DOCUMENT_AVAILABLE = "billing_document_available"
    REDEMPTION_STATEMENT_AVAILABLE = "redemption_statement_available"
    MONTHLY_STATEMENT_AVAILABLE = "monthly_statement_available"
    ACCESS_INVITED = "access_invited"
    ACCESS_ROLE_CHANGED = "access_role_changed"
    ACCESS_REMOVED = "access_removed"
    CAM_ASSIGNED = "cam_assigned"
    MFA_ENABLED = "mfa_enabled"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a kind of notice, not a secret


class PortalPage(StrEnum):
    """The portal page a notification opens (`logic/links.py` maps kinds to them; the web
    app's `notifications/links.ts` maps them to its routes, both against one table)."""

    TRADE = "trade"
    INVOICE = "invoice"
    RETIREMENTS = "retirements"
    DOCUMENTS = "documents"
    ACCOUNT = "account"
    MY_INVITATIONS = "my_invitations"
    SECURITY = "security"
    HOME = "home"


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    PUSH = "push"


Urgency = Literal["very-low", "low", "normal", "high"]


class KindRule(_Record):
    """How one kind is told: who may hear of it and how urgently."""

    category: Category
    permissions: tuple[str, ...]
    """What a member needs in the account to be told, all of it (none: the notice concerns
    one person, named by the event, and goes only to them)."""
    critical: bool = False
    """Skips quiet hours and the digest."""
    push_urgency: Urgency = "normal"
    push_ttl_seconds: int = Field(ge=0, le=2_419_200)
    email: bool = True
    """False where another mail already says it (identity mails the invitation itself)."""

    def allows(self, held: Iterable[str]) -> bool:
        """Whether a member holding `held` may be told (a personal notice: anybody named)."""
        return set(self.permissions) <= set(held)


def _read(area: Area) -> str:
    return permission(area, Action.READ)


HOUR = 3600


def _document_rule(*areas: Area) -> KindRule:
    return KindRule(
        category=Category.DOCUMENTS,
        permissions=tuple(_read(area) for area in areas),
        push_urgency="low",
        push_ttl_seconds=72 * HOUR,
    )


KIND_RULES: dict[Kind, KindRule] = {
    Kind.TRADE_EXECUTED: KindRule(
        category=Category.TRADES, permissions=(_read(Area.TRADES),), push_ttl_seconds=6 * HOUR
    ),
    Kind.TRADE_AMENDED: KindRule(
        category=Category.TRADES, permissions=(_read(Area.TRADES),), push_ttl_seconds=6 * HOUR
    ),
    Kind.TRADE_CANCELLED: KindRule(
        category=Category.TRADES,
        permissions=(_read(Area.TRADES),),
        push_urgency="high",
        push_ttl_seconds=24 * HOUR,
    ),
    Kind.DELIVERY_COMPLETED: KindRule(
        category=Category.DELIVERIES,
        permissions=(_read(Area.PORTFOLIO),),
        push_urgency="low",
        push_ttl_seconds=24 * HOUR,
    ),
    Kind.DELIVERY_FAILED: KindRule(
        category=Category.DELIVERIES,
        permissions=(_read(Area.PORTFOLIO),),
        critical=True,
        push_urgency="high",
        push_ttl_seconds=24 * HOUR,
    ),
    Kind.RETIREMENT_COMPLETED: KindRule(
        category=Category.RETIREMENTS,
        permissions=(_read(Area.PORTFOLIO),),
        push_urgency="low",
        push_ttl_seconds=24 * HOUR,
    ),
    Kind.INVOICE_ISSUED: KindRule(
        category=Category.BILLING,
        permissions=(_read(Area.BILLING),),
        push_urgency="low",
        push_ttl_seconds=72 * HOUR,
    ),
    Kind.INVOICE_PAID: KindRule(
        category=Category.BILLING,
        permissions=(_read(Area.BILLING),),
        push_urgency="very-low",
        push_ttl_seconds=72 * HOUR,
    ),
    Kind.INVOICE_OVERDUE: KindRule(
        category=Category.BILLING, permissions=(_read(Area.BILLING),), push_ttl_seconds=24 * HOUR
    ),
    # A document is told to those who may read it: the areas of its kind, as the documents
    # service decides downloads (an invoice never reaches a trader through the documents area).
    Kind.TRADE_CONFIRMATION_AVAILABLE: _document_rule(Area.TRADES),
    Kind.BILLING_DOCUMENT_AVAILABLE: _document_rule(Area.BILLING),
    Kind.REDEMPTION_STATEMENT_AVAILABLE: _document_rule(Area.PORTFOLIO),
    Kind.MONTHLY_STATEMENT_AVAILABLE: _document_rule(Area.PORTFOLIO, Area.BILLING),
    Kind.ACCESS_INVITED: KindRule(
        category=Category.ACCESS, permissions=(), push_ttl_seconds=72 * HOUR, email=False
    ),
    Kind.ACCESS_ROLE_CHANGED: KindRule(
        category=Category.ACCESS, permissions=(), push_ttl_seconds=24 * HOUR
    ),
    Kind.ACCESS_REMOVED: KindRule(
        category=Category.ACCESS, permissions=(), push_ttl_seconds=24 * HOUR
    ),
    Kind.CAM_ASSIGNED: KindRule(
        category=Category.ACCESS, permissions=(), push_ttl_seconds=24 * HOUR
    ),
    Kind.MFA_ENABLED: KindRule(
        category=Category.SECURITY,
        permissions=(),
        critical=True,
        push_urgency="high",
        push_ttl_seconds=24 * HOUR,
    ),
    Kind.PASSWORD_CHANGED: KindRule(
        category=Category.SECURITY,
        permissions=(),
        critical=True,
        push_urgency="high",
        push_ttl_seconds=24 * HOUR,
    ),
}

ALWAYS_ON = frozenset({Category.SECURITY})
"""Categories nobody can switch off (security notices), on every channel."""


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    SUPPRESSED = "suppressed"
    NOT_SENT = "not_sent"


STATUS_RANK: dict[DeliveryStatus, int] = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.BOUNCED: 4,
    DeliveryStatus.SUPPRESSED: 5,
    DeliveryStatus.NOT_SENT: 5,
}
"""Outcomes only move up: a late or repeated report never takes a delivery back."""


class Occurrence(_Record):
    """Something to tell people about: built from one event (or the overdue scan)."""

    occurrence_id: str = Field(description="The event id (or the scan's stable id).")
    kind: Kind
    account_id: str | None
    subject: str | None = Field(
        default=None, description="For notices about one person: who (else None)."
    )
    occurred_at: AwareDatetime
    facts: dict[str, str] = Field(default_factory=dict)
    correlation_id: str

    @property
    def rule(self) -> KindRule:
        return KIND_RULES[self.kind]


class Contact(_Record):
    """What identity's events say about a person (never read from identity)."""

    subject: str
    email: str | None = None
    locale: str = "en-GB"
    timezone: str = "UTC"
    date_format: str = "YYYY-MM-DD"
    number_format: str = "1,234.56"
    default_currency: str = "EUR"


EMPTY_QUIET_WINDOW = "start and end must differ: a quiet window cannot be empty"


class QuietHours(_Record):
    start: time = Field(description="Local time the quiet window starts (HH:MM).")
    end: time = Field(description="Local time it ends; before `start` means overnight.")

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError(EMPTY_QUIET_WINDOW)
        return self


EmailMode = Literal["immediate", "daily_digest"]


class PersonPreferences(_Record):
    """A person's choices; `channels` holds only what they set (the rest is inherited)."""

    channels: dict[Category, dict[Channel, bool]] = Field(default_factory=dict)
    email_mode: EmailMode = "immediate"
    digest_hour: int = Field(default=8, ge=0, le=23)
    quiet_hours: QuietHours | None = None
    muted_accounts: list[str] = Field(default_factory=list, max_length=200)
    version: int = Field(default=0, ge=0)


class AccountDefaults(_Record):
    """What an account's admin set for its members (they override it for themselves)."""

    account_id: str
    channels: dict[Category, dict[Channel, bool]] = Field(default_factory=dict)
    version: int = Field(default=0, ge=0)


class SuppressionReason(StrEnum):
    HARD_BOUNCE = "hard_bounce"
    COMPLAINT = "complaint"


class Suppression(_Record):
    reason: SuppressionReason
    at: AwareDatetime
    detail: str = ""


class Person(_Record):
    """One person as this service sees them: contact data, choices, suppression."""

    contact: Contact
    preferences: PersonPreferences = PersonPreferences()
    suppression: Suppression | None = None
    push_subscriptions: int = Field(default=0, ge=0)


class ChannelDelivery(_Record):
    """The delivery record of one (event, person, channel)."""

    status: DeliveryStatus
    reason: str | None = None
    at: AwareDatetime
    due_at: AwareDatetime | None = None
    """Held (quiet hours) or waiting for the digest: when it goes out."""
    provider_id: str | None = None
    detail: str | None = None


class Notification(_Record):
    notification_id: str
    subject: str
    account_id: str | None
    kind: Kind
    occurrence_id: str
    occurred_at: AwareDatetime
    created_at: AwareDatetime
    facts: dict[str, str]
    read: bool = False
    archived: bool = False
    deliveries: dict[Channel, ChannelDelivery]

    @property
    def category(self) -> Category:
        return KIND_RULES[self.kind].category

    @property
    def in_inbox(self) -> bool:
        inbox = self.deliveries.get(Channel.INBOX)
        return inbox is not None and inbox.status is DeliveryStatus.DELIVERED


class PushSubscription(_Record):
    subscription_id: str
    subject: str
    endpoint: str
    p256dh: str
    auth: str
    label: str = ""
    created_at: datetime
