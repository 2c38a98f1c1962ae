"""From DynamoDB stream records to EventBridge entries: the relay every outbox uses.

In the cloud this code runs behind the table's stream (event source mapping with
ReportBatchItemFailures and an on-failure DLQ); locally the runtime's stream poller
calls the same handler with the same event shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from common.outbox import OUTBOX_MARKER

PUT_EVENTS_MAX_ENTRIES = 10


@dataclass(frozen=True)
class RelayEntry:
    sequence_number: str
    entry: dict[str, Any]


def entries_from_stream(records: Iterable[dict[str, Any]], bus_name: str) -> list[RelayEntry]:
    """PutEvents entries for the outbox INSERTs among stream records, in stream order."""
    entries = []
    for record in records:
        if record.get("eventName") != "INSERT":
            continue
        image = record["dynamodb"].get("NewImage", {})
        if OUTBOX_MARKER not in image:
            continue
        entries.append(
            RelayEntry(
                sequence_number=record["dynamodb"]["SequenceNumber"],
                entry={
                    "Source": image["source"]["S"],
                    "DetailType": image["detail_type"]["S"],
                    "Detail": image["envelope"]["S"],
                    "EventBusName": bus_name,
                },
            )
        )
    return entries
