"""Domain objects <-> DynamoDB items (plain Python values for boto3's serializer)."""

from __future__ import annotations

import json
import zlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.notifications.adapters import keys
from services.notifications.logic.ports import (
    ChannelPlan,
    DueEntry,
    OccurrencePlan,
    OpenInvoice,
    RecipientPlan,
)
from services.notifications.logic.resolve import RETENTION_DAYS
from services.notifications.models.domain import (
    KIND_RULES,
    STATUS_RANK,
    Channel,
    ChannelDelivery,
    Contact,
    DeliveryStatus,
    Kind,
    Notification,
    Occurrence,
    Person,
    PersonPreferences,
    PushSubscription,
    Suppression,
)

PLAN_DAYS = RETENTION_DAYS + 10
CONTACT_FIELDS = ("email", "locale", "timezone", "date_format", "number_format", "default_currency")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def delivery_item(delivery: ChannelDelivery) -> dict[str, Any]:
    return _clean(
        {
            "status": delivery.status.value,
            "rank": STATUS_RANK[delivery.status],
            "reason": delivery.reason,
            "at": keys.instant(delivery.at),
            "due_at": keys.instant(delivery.due_at) if delivery.due_at else None,
            "provider_id": delivery.provider_id,
            "detail": delivery.detail,
        }
    )


def notification_item(n: Notification) -> dict[str, Any]:
    pk = keys.person_pk(n.subject)
    sort_key = keys.notification_sk(n.notification_id)
    item: dict[str, Any] = {
        "pk": pk,
        "sk": sort_key,
        "nsk": sort_key,
        "nid": n.notification_id,
        "subject": n.subject,
        "account_id": n.account_id,
        "kind": n.kind.value,
        "category": KIND_RULES[n.kind].category.value,
        "occurrence_id": n.occurrence_id,
        "occurred_at": keys.instant(n.occurred_at),
        "created_at": keys.instant(n.created_at),
        "facts": dict(n.facts),
        "read": n.read,
        "archived": n.archived,
        "deliveries": {c.value: delivery_item(d) for c, d in n.deliveries.items()},
        "expires_at": keys.expires(n.created_at, RETENTION_DAYS),
    }
    if n.in_inbox and not n.archived:
        item["inbox_pk"] = pk
        if not n.read:
            item["unread_pk"] = pk
        if n.account_id:
            item["acct_pk"] = keys.account_inbox_pk(n.subject, n.account_id)
    return _clean(item)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def notification_of(item: dict[str, Any]) -> Notification:
    deliveries = {}
    for channel, raw in (item.get("deliveries") or {}).items():
        deliveries[Channel(channel)] = ChannelDelivery(
            status=DeliveryStatus(raw["status"]),
            reason=raw.get("reason"),
            at=datetime.fromisoformat(raw["at"]),
            due_at=_time(raw.get("due_at")),
            provider_id=raw.get("provider_id"),
            detail=raw.get("detail"),
        )
    return Notification(
        notification_id=item["nid"],
        subject=item["subject"],
        account_id=item.get("account_id"),
        kind=Kind(item["kind"]),
        occurrence_id=item["occurrence_id"],
        occurred_at=datetime.fromisoformat(item["occurred_at"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        facts={k: str(v) for k, v in (item.get("facts") or {}).items()},
        read=bool(item.get("read")),
        archived=bool(item.get("archived")),
        deliveries=deliveries,
    )


def due_item(entry: DueEntry) -> dict[str, Any]:
    return {
        "pk": keys.person_pk(entry.subject),
        "sk": keys.due_sk(entry.kind, entry.notification_id, entry.channel.value),
        "due_pk": keys.due_shard(entry.kind, entry.subject),
        "due_sk": f"{keys.instant(entry.due_at)}#{entry.subject}#{entry.notification_id}"
        f"#{entry.channel.value}",
        "kind": entry.kind,
        "subject": entry.subject,
        "nid": entry.notification_id,
        "channel": entry.channel.value,
        "due_at": keys.instant(entry.due_at),
        "expires_at": keys.expires(entry.due_at, 30),
    }


def due_of(item: dict[str, Any]) -> DueEntry:
    return DueEntry(
        kind=item["kind"],
        subject=item["subject"],
        notification_id=item["nid"],
        channel=Channel(item["channel"]),
        due_at=datetime.fromisoformat(item["due_at"]),
    )


def person_of(subject: str, item: dict[str, Any] | None) -> Person:
    if item is None:
        return Person(contact=Contact(subject=subject))
    contact = Contact(subject=subject, **{f: item[f] for f in CONTACT_FIELDS if item.get(f)})
    preferences = (
        PersonPreferences.model_validate_json(item["preferences"])
        if item.get("preferences")
        else PersonPreferences()
    )
    raw = item.get("suppression")
    suppression = Suppression.model_validate(raw) if raw else None
    return Person(
        contact=contact,
        preferences=preferences,
        suppression=suppression,
        push_subscriptions=int(item.get("push_subscriptions", 0)),
    )


def plan_item(plan: OccurrencePlan) -> dict[str, Any]:
    body = {
        "occurrence": plan.occurrence.model_dump(mode="json"),
        "planned_at": keys.instant(plan.planned_at),
        "recipients": [
            {
                "s": r.subject,
                "c": {
                    c.value: [p.status, p.reason, keys.instant(p.due_at) if p.due_at else None]
                    for c, p in r.channels.items()
                },
            }
            for r in plan.recipients
        ],
    }
    return {
        "pk": keys.plan_pk(plan.occurrence.occurrence_id),
        "sk": "PLAN",
        "plan": zlib.compress(json.dumps(body, separators=(",", ":")).encode()),
        "recipients": len(plan.recipients),
        "expires_at": keys.expires(plan.occurrence.occurred_at, PLAN_DAYS),
    }


def plan_of(item: dict[str, Any]) -> OccurrencePlan:
    raw = item["plan"]
    body = json.loads(zlib.decompress(bytes(getattr(raw, "value", raw))))
    return OccurrencePlan(
        occurrence=Occurrence.model_validate(body["occurrence"]),
        planned_at=datetime.fromisoformat(body["planned_at"]),
        recipients=[
            RecipientPlan(
                r["s"],
                {
                    Channel(c): ChannelPlan(status, reason, _time(due))
                    for c, (status, reason, due) in r["c"].items()
                },
            )
            for r in body["recipients"]
        ],
    )


def subscription_item(subscription: PushSubscription) -> dict[str, Any]:
    return {
        "pk": keys.person_pk(subscription.subject),
        "sk": f"PUSH#{subscription.subscription_id}",
        "subscription_id": subscription.subscription_id,
        "subject": subscription.subject,
        "endpoint": subscription.endpoint,
        "p256dh": subscription.p256dh,
        "auth": subscription.auth,
        "label": subscription.label,
        "created_at": keys.instant(subscription.created_at),
    }


def subscription_of(item: dict[str, Any]) -> PushSubscription:
    return PushSubscription(
        subscription_id=item["subscription_id"],
        subject=item["subject"],
        endpoint=item["endpoint"],
        p256dh=item["p256dh"],
        auth=item["auth"],
        label=item.get("label", ""),
        created_at=datetime.fromisoformat(item["created_at"]),
    )


def invoice_of(item: dict[str, Any]) -> OpenInvoice:
    return OpenInvoice(
        account_id=item["account_id"],
        reference=item["reference"],
        due_date=date.fromisoformat(item["due_date"]),
        facts=json.loads(item.get("facts", "{}")),
        owed=Decimal(str(item["owed"])) if "owed" in item else None,
    )
