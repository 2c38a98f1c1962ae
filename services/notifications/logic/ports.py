"""What the notifications logic needs from the outside world; adapters/ implements these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from common.access import AccessRoster, AccessSource
from services.notifications.models.domain import (
    AccountDefaults,
    Channel,
    ChannelDelivery,
    Notification,
    Occurrence,
    Person,
    PersonPreferences,
    PushSubscription,
    Suppression,
)


class VersionMoved(Exception):
    """Someone saved a newer version first (the caller answers 409)."""


@dataclass(frozen=True)
class ChannelPlan:
    """What resolve decided for one channel of one person."""

    status: str
    reason: str | None = None
    due_at: datetime | None = None


@dataclass(frozen=True)
class RecipientPlan:
    subject: str
    channels: dict[Channel, ChannelPlan]


@dataclass(frozen=True)
class OccurrencePlan:
    """Who is told about an occurrence, decided once: a duplicate or a replay of the event
    (or a retry after a crash) reuses it, so the recipients never change."""

    occurrence: Occurrence
    recipients: list[RecipientPlan]
    planned_at: datetime


@dataclass(frozen=True)
class DueEntry:
    """A channel of a notification waiting for a time: the end of quiet hours (`hold`) or
    the person's digest (`digest`)."""

    kind: str
    subject: str
    notification_id: str
    channel: Channel
    due_at: datetime


@dataclass(frozen=True)
class InboxFilter:
    account_id: str | None = None
    category: str | None = None
    unread: bool | None = None


@dataclass(frozen=True)
class InboxPage:
    items: list[Notification]
    after: str | None
    """The last notification id read (to continue after), None when the list is done."""


@dataclass(frozen=True)
class Outcome:
    """What became of one (notification, channel): the record stage applies it."""

    subject: str
    notification_id: str
    channel: Channel
    status: str
    reason: str | None = None
    provider_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class MailedNotices:
    """What one email (one provider message id) told one person: a digest or a released
    quiet-hours email carries several notifications."""

    subject: str
    notification_ids: tuple[str, ...]


@dataclass(frozen=True)
class OpenInvoice:
    account_id: str
    reference: str
    due_date: date
    facts: dict[str, str] = field(default_factory=dict)
    owed: Decimal | None = None
    """Gross less payments when last told (None: tracked before this was kept)."""


class Store(Protocol):
    # people ---------------------------------------------------------------------------
    def people(self, subjects: Sequence[str]) -> dict[str, Person]: ...
    def update_contact(
        self, subject: str, group: str, values: dict[str, str], version: int
    ) -> bool: ...
    def save_preferences(self, subject: str, preferences: PersonPreferences) -> None: ...
    def set_suppression(self, subject: str, suppression: Suppression | None) -> None: ...
    # accounts -------------------------------------------------------------------------
    def account_name(self, account_id: str) -> str | None: ...
    def put_account_name(self, account_id: str, name: str) -> None: ...
    def account_defaults(self, account_id: str) -> AccountDefaults: ...
    def save_account_defaults(self, defaults: AccountDefaults) -> None: ...
    # resolve --------------------------------------------------------------------------
    def plan(self, occurrence_id: str) -> OccurrencePlan | None: ...
    def put_plan(self, plan: OccurrencePlan) -> OccurrencePlan: ...
    def create(self, notifications: Sequence[Notification], due: Sequence[DueEntry]) -> None: ...
    def keep_newest_version(
        self, account_id: str, entity: str, reference: str, version: int
    ) -> int | None:
        """Keeps `version` as the entity's newest told, and answers the first version ever
        told of it; None (nothing kept) when a newer one is kept already. The same version
        again is kept: a retried event resumes."""
        ...

    # notifications --------------------------------------------------------------------
    def notification(self, subject: str, notification_id: str) -> Notification | None: ...
    def notifications(self, keys: Sequence[tuple[str, str]]) -> list[Notification]: ...
    def inbox(
        self, subject: str, where: InboxFilter, after: str | None, budget: int
    ) -> InboxPage: ...
    def unread(self, subject: str, limit: int) -> list[tuple[str | None, str]]: ...
    def set_read(self, subject: str, notification_id: str, read: bool) -> bool: ...
    def archive(self, subject: str, notification_id: str) -> bool: ...
    # delivery -------------------------------------------------------------------------
    def claim(
        self, keys: Sequence[tuple[str, str]], channel: Channel, now: datetime, lease_seconds: int
    ) -> list[tuple[str, str]]: ...
    def release(self, keys: Sequence[tuple[str, str]], channel: Channel) -> None: ...
    def record(self, outcomes: Sequence[Outcome], now: datetime) -> int: ...
    def deliveries_of_message(self, provider_id: str) -> MailedNotices | None: ...
    def due(self, kind: str, until: datetime, limit: int) -> list[DueEntry]: ...
    def drop_due(self, entries: Sequence[DueEntry]) -> None: ...
    # push subscriptions ---------------------------------------------------------------
    def push_subscriptions(self, subject: str) -> list[PushSubscription]: ...
    def add_push_subscription(self, subscription: PushSubscription, limit: int) -> bool: ...
    def remove_push_subscription(self, subject: str, subscription_id: str) -> bool: ...
    # invoices (the overdue scan) ------------------------------------------------------
    def track_invoice(self, invoice: OpenInvoice, version: int, open_: bool) -> None: ...
    def overdue_invoices(self, today: date, limit: int) -> list[OpenInvoice]: ...
    def credit_invoice(
        self, account_id: str, invoice: str, credit_note: str, version: int, amount: Decimal
    ) -> None:
        """Keep what a credit note (at its newest version) takes off an invoice."""
        ...

    def invoice_credits(self, account_id: str, invoice: str) -> Decimal: ...
    def invoice_told(self, invoice: OpenInvoice) -> None: ...


class StageQueues(Protocol):
    """Sends work to the next stage (each a queue with its DLQ)."""

    def render(self, messages: Sequence[dict[str, Any]]) -> None: ...
    def email(self, messages: Sequence[dict[str, Any]]) -> None: ...
    def push(self, messages: Sequence[dict[str, Any]]) -> None: ...
    def record(self, messages: Sequence[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class SentMail:
    message_id: str


class Mailer(Protocol):
    def send_raw(self, to: str, raw: bytes) -> SentMail: ...


@dataclass(frozen=True)
class PushAnswer:
    status: int
    """The push service's HTTP status (201 accepted; 404/410 gone; 0: no answer)."""


class PushSender(Protocol):
    def send(
        self,
        subscription: PushSubscription,
        payload: bytes,
        *,
        ttl: int,
        urgency: str,
        topic: str,
    ) -> PushAnswer: ...

    def public_key(self) -> str: ...


class Signer(Protocol):
    """HMAC over bytes with one of the service's declared secrets."""

    def sign(self, payload: bytes) -> bytes: ...


class Cursors(Protocol):
    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str: ...

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]: ...


Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Links:
    """Where what we send points to: the portal (SPA) and this service's own API."""

    portal_url: str
    api_url: str
    mail_sender: str


@dataclass(frozen=True)
class Ports:
    store: Store
    access: AccessSource
    roster: AccessRoster
    queues: StageQueues
    clock: Clock
    links: Links
    cursors: Cursors
    unsubscribe: Signer
    mailer: Mailer | None = None
    push: PushSender | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryView:
    channel: Channel
    delivery: ChannelDelivery
