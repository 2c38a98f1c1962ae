"""Which channels tell one person about one occurrence, and when.

For each channel, the first rule that speaks decides:
1. security notices are always on (nobody can switch them off);
2. a person who muted the account hears nothing of it;
3. the person's own choice for the category and channel;
4. a CAM hears only what they opted into (account defaults are for members);
5. the account's defaults, set by its admin;
6. on.
Then, for email and push: no address / no browser subscription / a suppressed address
stops the channel, and a non-critical notice waits for the end of quiet hours (email and
push) or for the daily digest (email, when chosen).
"""

from __future__ import annotations

from datetime import datetime

from services.notifications.logic.ports import ChannelPlan
from services.notifications.logic.timing import digest_time, quiet_until
from services.notifications.models.domain import (
    ALWAYS_ON,
    AccountDefaults,
    Category,
    Channel,
    DeliveryStatus,
    Occurrence,
    Person,
)

QUEUED = DeliveryStatus.QUEUED.value
NOT_SENT = DeliveryStatus.NOT_SENT.value


def channel_on(
    person: Person,
    category: Category,
    channel: Channel,
    account_id: str | None,
    defaults: AccountDefaults | None,
    *,
    cam: bool,
) -> tuple[bool, str | None]:
    """(on, why not) for one channel, by the rules above."""
    if category in ALWAYS_ON:
        return True, None
    preferences = person.preferences
    if account_id is not None and account_id in preferences.muted_accounts:
        return False, "account_muted"
    own = preferences.channels.get(category, {}).get(channel)
    if own is not None:
        return own, None if own else "switched_off"
    if cam:
        return False, "cam_not_opted_in"
    default = defaults.channels.get(category, {}).get(channel) if defaults else None
    if default is not None:
        return default, None if default else "account_default_off"
    return True, None


def plan_channels(
    occurrence: Occurrence,
    person: Person,
    defaults: AccountDefaults | None,
    now: datetime,
    *,
    cam: bool = False,
) -> dict[Channel, ChannelPlan]:
    rule = occurrence.rule
    plans: dict[Channel, ChannelPlan] = {}
    for channel in Channel:
        on, why = channel_on(
            person, rule.category, channel, occurrence.account_id, defaults, cam=cam
        )
        if channel is Channel.EMAIL and not rule.email:
            plans[channel] = ChannelPlan(NOT_SENT, "mailed_by_identity")
        elif not on:
            plans[channel] = ChannelPlan(NOT_SENT, why)
        elif channel is Channel.INBOX:
            plans[channel] = ChannelPlan(DeliveryStatus.DELIVERED.value)
        else:
            plans[channel] = _timed(occurrence, person, channel, now)
    return plans


def _timed(occurrence: Occurrence, person: Person, channel: Channel, now: datetime) -> ChannelPlan:
    contact = person.contact
    if channel is Channel.EMAIL:
        if not contact.email:
            return ChannelPlan(NOT_SENT, "no_address")
        if person.suppression is not None:
            return ChannelPlan(DeliveryStatus.SUPPRESSED.value, person.suppression.reason.value)
    if channel is Channel.PUSH and person.push_subscriptions == 0:
        return ChannelPlan(NOT_SENT, "no_subscription")
    if occurrence.rule.critical:
        return ChannelPlan(QUEUED)
    preferences = person.preferences
    if channel is Channel.EMAIL and preferences.email_mode == "daily_digest":
        at = digest_time(now, preferences.digest_hour, preferences.quiet_hours, contact.timezone)
        return ChannelPlan(QUEUED, "digest", at)
    held_until = quiet_until(now, preferences.quiet_hours, contact.timezone)
    if held_until is not None:
        return ChannelPlan(QUEUED, "quiet_hours", held_until)
    return ChannelPlan(QUEUED)
