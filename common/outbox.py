"""Transactional outbox: an event is written in the same DynamoDB transaction as the
state change it reports; the table's stream carries it to the bus (see outbox_relay).
"""

from __future__ import annotations

from typing import Any

from contracts.envelope import EventEnvelope

OUTBOX_MARKER = "outbox"
"""Attribute present (value "1") only on outbox items; the relay ignores everything else."""

OUTBOX_TTL_SECONDS = 7 * 24 * 3600


def outbox_item(envelope: EventEnvelope[Any]) -> dict[str, Any]:
    """The outbox item (plain Python types, for a boto3 resource/TypeSerializer)."""
    expires = int(envelope.occurred_at.timestamp()) + OUTBOX_TTL_SECONDS
    return {
        "pk": f"OUTBOX#{envelope.event_id}",
        "sk": "OUTBOX",
        OUTBOX_MARKER: "1",
        "detail_type": envelope.detail_type,
        "source": envelope.source,
        "envelope": envelope.model_dump_json(),
        "expires_at": expires,
    }


def outbox_put(table_name: str, envelope: EventEnvelope[Any]) -> dict[str, Any]:
    """A TransactWriteItems `Put` for the envelope (low-level client attribute format).

    The condition makes a re-sent event id a transaction failure, not a second event.
    """
    item = outbox_item(envelope)
    return {
        "Put": {
            "TableName": table_name,
            "Item": {
                key: ({"N": str(value)} if isinstance(value, int) else {"S": value})
                for key, value in item.items()
            },
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
