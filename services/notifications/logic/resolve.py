"""Stage 1, resolve: an occurrence -> who is told, on which channels, when.

Exactly one notification per (occurrence, person, channel), whatever the delivery does:
- the recipients and channel decisions are planned once and kept (`OccurrencePlan`): a
  duplicated, replayed or retried event reuses the plan, so a replay months later cannot
  reach people who joined since, and a crash between steps resumes the same plan;
- each notification's id is derived from the occurrence and the person, and created only
  if absent, so re-running the stage writes nothing twice;
- what is due now goes to the render stage (duplicates there are stopped by the dispatch
  claim); what waits (quiet hours, digest) is kept as due entries for the schedules.

Recipients come from the access projection as it is when the event is processed: members
whose permissions cover the kind (a revoked member is no longer there) and assigned CAMs
(told only what they opted into); a notice about one person goes to that person only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from services.notifications.logic.choices import NOT_SENT, QUEUED, plan_channels
from services.notifications.logic.ports import (
    ChannelPlan,
    DueEntry,
    OccurrencePlan,
    Ports,
    RecipientPlan,
)
from services.notifications.models.domain import (
    Channel,
    ChannelDelivery,
    Contact,
    DeliveryStatus,
    Notification,
    Occurrence,
    Person,
)

RETENTION_DAYS = 180
"""Inbox items expire this long after they were created (DynamoDB TTL); an event older
than this is not told at all (a replay of the bus archive does not notify again)."""
RENDER_BATCH = 100
HOLD, DIGEST = "hold", "digest"


def notification_id(occurrence: Occurrence, subject: str) -> str:
    """Time-ordered and derived, so a retry finds the notification it made before."""
    stamp = occurrence.occurred_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = hashlib.sha256(f"{occurrence.occurrence_id}|{subject}".encode()).hexdigest()
    return f"{stamp}-{digest[:20]}"


def recipients(ports: Ports, occurrence: Occurrence) -> list[tuple[str, bool]]:
    """(subject, is a CAM) of everyone the occurrence may concern."""
    if occurrence.subject is not None:
        return [(occurrence.subject, False)]
    permissions = occurrence.rule.permissions
    if occurrence.account_id is None or not permissions:
        return []
    roster = ports.roster.roster(occurrence.account_id)
    members = roster.members_with(*permissions)
    cams = [cam for cam in roster.assigned_cams() if cam not in set(members)]
    return [(m, False) for m in members] + [(c, True) for c in cams]


def make_plan(ports: Ports, occurrence: Occurrence, now: datetime) -> OccurrencePlan:
    wanted = recipients(ports, occurrence)
    people = ports.store.people([subject for subject, _ in wanted])
    defaults = (
        ports.store.account_defaults(occurrence.account_id) if occurrence.account_id else None
    )
    planned = []
    for subject, cam in wanted:
        person = people.get(subject) or Person(contact=Contact(subject=subject))
        channels = plan_channels(occurrence, person, defaults, now, cam=cam)
        if all(p.status == NOT_SENT for p in channels.values()):
            continue  # switched off everywhere (or a CAM who did not opt in): nothing to keep
        planned.append(RecipientPlan(subject, channels))
    return OccurrencePlan(occurrence, planned, now)


def notification_of(plan: OccurrencePlan, recipient: RecipientPlan) -> Notification:
    occurrence = plan.occurrence
    return Notification(
        notification_id=notification_id(occurrence, recipient.subject),
        subject=recipient.subject,
        account_id=occurrence.account_id,
        kind=occurrence.kind,
        occurrence_id=occurrence.occurrence_id,
        occurred_at=occurrence.occurred_at,
        created_at=plan.planned_at,
        facts=occurrence.facts,
        deliveries={
            channel: ChannelDelivery(
                status=DeliveryStatus(p.status),
                reason=p.reason,
                at=plan.planned_at,
                due_at=p.due_at,
            )
            for channel, p in recipient.channels.items()
        },
    )


def due_entries(plan: OccurrencePlan, recipient: RecipientPlan) -> Iterable[DueEntry]:
    nid = notification_id(plan.occurrence, recipient.subject)
    for channel, p in recipient.channels.items():
        if p.status == QUEUED and p.due_at is not None:
            kind = DIGEST if p.reason == DIGEST else HOLD
            yield DueEntry(kind, recipient.subject, nid, channel, p.due_at)


def due_now(p: ChannelPlan) -> bool:
    return p.status == QUEUED and p.due_at is None


def resolve(ports: Ports, occurrence: Occurrence, account_name: str | None = None) -> int:
    """Plan (once), create the notifications (once each), hand what is due to render.
    Returns how many people the occurrence reaches."""
    now = ports.clock()
    if occurrence.occurred_at < now - timedelta(days=RETENTION_DAYS):
        return 0
    plan = ports.store.plan(occurrence.occurrence_id)
    if plan is None:
        plan = ports.store.put_plan(make_plan(ports, occurrence, now))
    notifications = [notification_of(plan, r) for r in plan.recipients]
    due = [entry for r in plan.recipients for entry in due_entries(plan, r)]
    ports.store.create(notifications, due)
    items = [
        {
            "subject": r.subject,
            "notification_id": notification_id(plan.occurrence, r.subject),
            "channels": [c.value for c, p in r.channels.items() if due_now(p)],
        }
        for r in plan.recipients
        if any(due_now(p) for c, p in r.channels.items() if c is not Channel.INBOX)
    ]
    if items:
        name = account_name
        if name is None and occurrence.account_id is not None:
            name = ports.store.account_name(occurrence.account_id)
        ports.queues.render(render_messages(plan.occurrence, name, items))
    return len(plan.recipients)


def render_messages(
    occurrence: Occurrence, account_name: str | None, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Render-stage messages for one occurrence, `RENDER_BATCH` people each."""
    head = {"occurrence": occurrence.model_dump(mode="json"), "account_name": account_name}
    return [
        {**head, "items": items[start : start + RENDER_BATCH]}
        for start in range(0, len(items), RENDER_BATCH)
    ]
