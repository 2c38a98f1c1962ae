"""Request and response models of the notifications API (`docs/api-conventions.md`)."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from common.api_types import ID_PATTERN, Page, PageQuery
from services.notifications.models.domain import (
    Category,
    Channel,
    DeliveryStatus,
    EmailMode,
    Kind,
    PortalPage,
    QuietHours,
    SuppressionReason,
)

ChannelChoices = dict[Category, dict[Channel, bool]]


def _local(value: time) -> time:
    """Quiet hours are wall-clock times in the person's time zone: an offset would make
    them comparable with nothing the planner holds."""
    if value.tzinfo is not None:
        raise ValueError("give a local time without an offset, e.g. 22:00")
    return value


MAX_VERSION = 2**53 - 2
"""The highest version a save starts from: the saved version + 1 stays an exact integer in
JavaScript and a DynamoDB number (38 digits); a larger one is no version that was read."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class InboxQuery(PageQuery):
    account_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="Only this account's notifications."
    )
    category: Category | None = Field(default=None, description="Only this category.")
    unread: bool | None = Field(default=None, description="true: unread only; false: read only.")


class NotificationTarget(_Model):
    """The portal page a notification opens (`link` is its path)."""

    page: PortalPage
    account_id: str | None = Field(description="The account of an account page.")
    reference: str | None = Field(description="The trade's or invoice's reference (detail pages).")


class NotificationView(_Model):
    notification_id: str
    account_id: str | None
    kind: Kind
    category: Category
    title: str
    summary: str
    occurred_at: AwareDatetime
    read: bool
    target: NotificationTarget
    link: str = Field(description="Where in the portal it points: the target's path.")


class NotificationPage(Page[NotificationView]):
    pass


class FactLine(_Model):
    label: str
    value: str


class DeliveryView(_Model):
    channel: Channel
    status: DeliveryStatus
    reason: str | None
    at: AwareDatetime
    due_at: AwareDatetime | None = Field(description="When a held or digest delivery goes out.")


class NotificationDetail(NotificationView):
    lines: list[FactLine]
    deliveries: list[DeliveryView] = Field(description="What became of it on each channel.")


class UnreadCount(_Model):
    unread: int = Field(ge=0)
    capped: bool = Field(description="More than `unread` (the count stops at 999).")


class ReadAllRequest(_Model):
    account_id: str | None = Field(default=None, pattern=ID_PATTERN)


class Marked(_Model):
    marked: int = Field(ge=0, description="How many were marked (at most 500 per call).")


LocalTime = Annotated[
    time,
    AfterValidator(_local),
    Field(description="A local time, HH:MM, without an offset (your time zone applies)."),
]


class QuietHoursBody(_Model):
    """A quiet window in your time zone: local start and end times, which must differ."""

    start: LocalTime
    end: LocalTime = Field(description="Before `start`: the window runs overnight.")

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHoursBody:
        QuietHours(start=self.start, end=self.end)
        return self


class PreferencesBody(_Model):
    channels: ChannelChoices = Field(
        default_factory=dict, description="Your choices; what you leave out is inherited."
    )
    email_mode: EmailMode = "immediate"
    digest_hour: int = Field(default=8, ge=0, le=23, description="Local hour of the digest.")
    quiet_hours: QuietHoursBody | None = None
    muted_accounts: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(
        default_factory=list, max_length=200, description="Accounts whose notices you mute."
    )
    version: int = Field(
        ge=0, le=MAX_VERSION, description="The version you read (409 if it moved on)."
    )


class SuppressionView(_Model):
    reason: SuppressionReason
    at: AwareDatetime
    detail: str


class EmailStatus(_Model):
    address: str | None = Field(description="Where your email notices go (from your account).")
    suppressed: SuppressionView | None = Field(
        description="Why email is stopped (a hard bounce or a spam complaint), if it is."
    )


class PreferencesView(PreferencesBody):
    email: EmailStatus
    push_subscriptions: int = Field(ge=0)
    locked_categories: list[Category] = Field(description="Always on, on every channel.")


class AccountDefaultsBody(_Model):
    channels: ChannelChoices
    version: int = Field(ge=0, le=MAX_VERSION)


class AccountDefaultsView(AccountDefaultsBody):
    account_id: str


class PushKeys(_Model):
    p256dh: str = Field(min_length=80, max_length=100, pattern=r"^[A-Za-z0-9_-]+=*$")
    auth: str = Field(min_length=16, max_length=32, pattern=r"^[A-Za-z0-9_-]+=*$")


class PushSubscriptionBody(_Model):
    endpoint: str = Field(min_length=10, max_length=2048, pattern=r"^https?://")
    keys: PushKeys
    label: str = Field(default="", max_length=100)


class PushSubscriptionView(_Model):
    subscription_id: str = Field(
        description="The first 32 hex digits of the SHA-256 of the endpoint: a browser knows "
        "its own subscription's id from its endpoint (to find or remove it)."
    )
    push_service: str = Field(description="The push service's origin.")
    label: str
    created_at: AwareDatetime


class PushSubscriptionPage(Page[PushSubscriptionView]):
    pass


class VapidKey(_Model):
    public_key: str = Field(description="The applicationServerKey to subscribe with (base64url).")


class UnsubscribeView(_Model):
    channel: Literal["email"] = "email"
    categories: list[Category]
    done: bool = Field(description="false: only described (GET); true: switched off (POST).")
