"""Transactional outbox: an event is written in the same DynamoDB transaction as the
state change it reports; the table's stream carries it to the bus (see outbox_relay).

An outbox row is the durable copy of the fact. It is written without an expiry; the relay
(or `python -m infra.ops.republish`) marks it `published_at` once the event is on the bus
and only then gives it `expires_at` (the tables' TTL attribute), `OUTBOX_RETENTION` later.
So a row the relay could not publish never expires: it stays recoverable from the outbox
itself, whatever happened to the stream (24 h retention) or the relay's DLQ (metadata only).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from contracts.envelope import EventEnvelope

OUTBOX_MARKER = "outbox"
"""Attribute present (value "1") only on outbox items; the relay ignores everything else."""
OUTBOX_PK_PREFIX = "OUTBOX#"
OUTBOX_SK = "OUTBOX"
OCCURRED_AT = "occurred_at"
PUBLISHED_AT = "published_at"
EXPIRES_AT = "expires_at"

OUTBOX_RETENTION = timedelta(days=35)
"""How long a published row stays: as long as DynamoDB point-in-time recovery reaches back
(35 days), and longer than a subscription DLQ keeps a message (14 days), so every fact a
consumer may still be missing can be re-published from the outbox (`infra.ops.republish`)
or rebuilt from it (`services.portfolio.rebuild --outbox-table`). Older history: the bus
archive (365 days) and a replay (docs/reliability.md)."""


def outbox_key(event_id: str) -> dict[str, dict[str, str]]:
    """The outbox row's key (low-level attribute format)."""
    return {"pk": {"S": f"{OUTBOX_PK_PREFIX}{event_id}"}, "sk": {"S": OUTBOX_SK}}


def outbox_item(envelope: EventEnvelope[Any]) -> dict[str, Any]:
    """The outbox item (plain Python types, for a boto3 resource/TypeSerializer)."""
    return {
        "pk": f"{OUTBOX_PK_PREFIX}{envelope.event_id}",
        "sk": OUTBOX_SK,
        OUTBOX_MARKER: "1",
        "detail_type": envelope.detail_type,
        "source": envelope.source,
        OCCURRED_AT: envelope.occurred_at.isoformat(),
        "envelope": envelope.model_dump_json(),
    }


def outbox_put(table_name: str, envelope: EventEnvelope[Any]) -> dict[str, Any]:
    """A TransactWriteItems `Put` for the envelope (low-level client attribute format).

    The condition makes a re-sent event id a transaction failure, not a second event.
    """
    item = outbox_item(envelope)
    return {
        "Put": {
            "TableName": table_name,
            "Item": {key: {"S": value} for key, value in item.items()},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def is_outbox_image(image: dict[str, Any]) -> bool:
    """A stream image or low-level item that is an outbox row."""
    return OUTBOX_MARKER in image


def published_item(image: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The outbox row (low-level format) marked published at `at`; it expires
    `OUTBOX_RETENTION` later. Outbox rows never change otherwise, so writing the whole
    image back is safe (a relay retry or a republish writes the same content)."""
    return {
        **image,
        PUBLISHED_AT: {"S": at.isoformat()},
        EXPIRES_AT: {"N": str(int((at + OUTBOX_RETENTION).timestamp()))},
    }


def is_published(item: dict[str, Any]) -> bool:
    return PUBLISHED_AT in item
