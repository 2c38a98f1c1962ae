"""The outbox relay's Lambda handler: DynamoDB stream records in, EventBridge events out.

Triggered by an outbox table's stream (ReportBatchItemFailures). Entries go out in
PutEvents calls of at most 10, in stream order. At the first failure (a failed entry or a
failed call) the relay stops and reports that record and every later one, so the stream
is retried from there: an event is never lost, and a retry re-sends as few as possible
(consumers de-duplicate on event id).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from common.observability import observability
from common.outbox_relay import PUT_EVENTS_MAX_ENTRIES, RelayEntry, entries_from_stream
from common.settings import EventBusSettings

obs = observability("outbox-relay")


@cache
def _settings() -> EventBusSettings:
    return EventBusSettings()


@cache
def _events_client() -> Any:
    return boto3.client("events")


def relay(records: list[dict[str, Any]], bus_name: str, events: Any) -> list[str]:
    """Publish the outbox inserts among `records`; the sequence numbers to retry."""
    entries = entries_from_stream(records, bus_name)
    for start in range(0, len(entries), PUT_EVENTS_MAX_ENTRIES):
        failed_at = _first_failure(entries[start : start + PUT_EVENTS_MAX_ENTRIES], events)
        if failed_at is not None:
            remaining = entries[start + failed_at :]
            obs.metrics.add_metric(name="OutboxRelayFailures", unit="Count", value=len(remaining))
            obs.logger.warning(
                "PutEvents failed; the stream will retry",
                extra={"failed_entries": len(remaining)},
            )
            return [e.sequence_number for e in remaining]
    obs.metrics.add_metric(name="OutboxEventsRelayed", unit="Count", value=len(entries))
    if entries:
        obs.logger.info(
            "relayed outbox events",
            extra={"detail_types": sorted({e.entry["DetailType"] for e in entries})},
        )
    return []


def _first_failure(chunk: list[RelayEntry], events: Any) -> int | None:
    try:
        answer = events.put_events(Entries=[e.entry for e in chunk])
    except (ClientError, BotoCoreError):
        obs.logger.exception("PutEvents call failed")
        return 0
    if not answer.get("FailedEntryCount"):
        return None
    for index, result in enumerate(answer.get("Entries", [])):
        if result.get("ErrorCode"):
            obs.logger.warning(
                "PutEvents entry rejected", extra={"error_code": result.get("ErrorCode")}
            )
            return index
    return 0


@obs.logger.inject_lambda_context
@obs.tracer.capture_lambda_handler
@obs.metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed = relay(event.get("Records", []), _settings().event_bus_name, _events_client())
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
