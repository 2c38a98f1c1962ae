"""The outbox relay's Lambda handler: DynamoDB stream records in, EventBridge events out.

Triggered by an outbox table's stream (`outbox_relay.RELAY_MAPPING`: ReportBatchItemFailures,
bisect on error, retries until the record is on the bus or 6 h old). Entries go out in
PutEvents calls within the API's limits, in stream order; botocore retries a failed call
(standard mode), and entries EventBridge refuses as transient are retried here a few times
with backoff and jitter. If some still fail, the relay reports the first of them and every
later record, so the stream retries from there: nothing is skipped, and a retry re-sends as
few as possible (consumers de-duplicate on event id).

An entry EventBridge refuses as malformed (`POISON_ENTRY_ERRORS`), or an outbox row the
relay cannot read, is parked: logged, counted (`OutboxEventsParked`, alarmed) and left
unpublished in the outbox, so it cannot block the shard and stays recoverable
(`python -m infra.ops.republish`). Published rows are marked in the outbox (`published_at`,
and from then on they expire; see `common.outbox`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from common.observability import observability
from common.outbox import published_item
from common.outbox_relay import (
    POISON_ENTRY_ERRORS,
    RelayEntry,
    backoff_seconds,
    parse_stream,
    put_events_chunks,
    table_name_from_stream_arn,
)
from common.settings import EventBusSettings, load_settings

obs = observability("outbox-relay")

ENTRY_RETRIES = 3
ENTRY_RETRY_BASE_SECONDS = 0.2
ENTRY_RETRY_CAP_SECONDS = 2.0
BATCH_WRITE_MAX_ITEMS = 25
MARK_ATTEMPTS = 3


@cache
def _settings() -> EventBusSettings:
    return load_settings(EventBusSettings)


@cache
def _events_client() -> Any:
    return boto3.client("events", config=Config(retries={"mode": "standard", "max_attempts": 5}))


@cache
def _dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=Config(retries={"mode": "standard", "max_attempts": 5}))


class Published:
    """One chunk's outcome: entries on the bus, parked ones, and those still failing."""

    def __init__(self) -> None:
        self.published: list[RelayEntry] = []
        self.parked: list[RelayEntry] = []
        self.failed: list[RelayEntry] = []


def relay(
    records: list[dict[str, Any]],
    bus_name: str,
    events: Any,
    dynamodb: Any | None = None,
    sleep: Any = time.sleep,
) -> list[str]:
    """Publish the outbox inserts among `records`; the sequence numbers to retry.

    With `dynamodb`, published rows are marked in their outbox table."""
    if not records:
        return []
    table = table_name_from_stream_arn(records[0]["eventSourceARN"])
    obs.metrics.add_dimension(name="table", value=table)
    parsed = parse_stream(records, bus_name)
    for sequence in parsed.malformed:
        _park_log("unreadable outbox row", sequence, None)
    published: list[RelayEntry] = []
    parked = len(parsed.malformed)
    remaining: list[RelayEntry] = []
    done = 0
    for chunk in put_events_chunks(parsed.entries):
        outcome = publish_entries(chunk, events, sleep)
        published += outcome.published
        parked += len(outcome.parked)
        if outcome.failed:
            first = next(i for i, e in enumerate(chunk) if e is outcome.failed[0])
            remaining = parsed.entries[done + first :]
            break
        done += len(chunk)
    if parked:
        obs.metrics.add_metric(name="OutboxEventsParked", unit="Count", value=parked)
    if published:
        _report_published(published)
        if dynamodb is not None:
            mark_published(dynamodb, table, published)
    if not remaining:
        return []
    obs.metrics.add_metric(name="OutboxRelayFailures", unit="Count", value=len(remaining))
    obs.logger.warning(
        "PutEvents failed; the stream will retry", extra={"failed_entries": len(remaining)}
    )
    return [e.sequence_number for e in remaining]


def publish_entries(chunk: list[RelayEntry], events: Any, sleep: Any = time.sleep) -> Published:
    """Put one chunk (within PutEvents limits) on the bus; transient refusals are retried
    `ENTRY_RETRIES` times with backoff and jitter, poison entries are parked."""
    outcome = Published()
    pending = list(chunk)
    for attempt in range(ENTRY_RETRIES + 1):
        if attempt:
            sleep(
                backoff_seconds(attempt, base=ENTRY_RETRY_BASE_SECONDS, cap=ENTRY_RETRY_CAP_SECONDS)
            )
        errors = _put(pending, events)
        still: list[RelayEntry] = []
        for entry, code in zip(pending, errors, strict=True):
            if code is None:
                outcome.published.append(entry)
            elif code in POISON_ENTRY_ERRORS:
                _park_log("EventBridge refused the entry", entry.sequence_number, code, entry)
                outcome.parked.append(entry)
            else:
                still.append(entry)
        pending = still
        if not pending:
            return outcome
    outcome.failed = pending
    return outcome


def _put(chunk: list[RelayEntry], events: Any) -> list[str | None]:
    """Per entry: None when EventBridge took it, else its error code."""
    if len(chunk) == 1 and chunk[0].size > 256 * 1024:
        return ["InvalidArgument"]  # EventBridge refuses an entry over 256 KB
    try:
        answer = events.put_events(Entries=[e.entry for e in chunk])
    except (ClientError, BotoCoreError) as exc:
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else "Unavailable"
        obs.logger.warning("PutEvents call failed", extra={"error_code": code})
        return [code] * len(chunk)
    results = answer.get("Entries", [])
    if len(results) != len(chunk):
        return ["InternalFailure"] * len(chunk)
    return [result.get("ErrorCode") for result in results]


def _park_log(why: str, sequence: str, code: str | None, entry: RelayEntry | None = None) -> None:
    obs.logger.error(
        f"{why}: parked in the outbox (republish after the fix)",
        extra={
            "sequence_number": sequence,
            "error_code": code,
            "event_id": entry.event_id if entry else None,
            "detail_type": entry.entry["DetailType"] if entry else None,
        },
    )


def _report_published(published: list[RelayEntry]) -> None:
    obs.metrics.add_metric(name="OutboxEventsRelayed", unit="Count", value=len(published))
    created = [e.created_epoch for e in published if e.created_epoch is not None]
    if created:
        delay = max(0.0, time.time() - min(created))
        obs.metrics.add_metric(name="OutboxPublishDelay", unit="Seconds", value=delay)
    obs.logger.info(
        "relayed outbox events",
        extra={"detail_types": sorted({e.entry["DetailType"] for e in published})},
    )


def mark_published(dynamodb: Any, table: str, published: list[RelayEntry]) -> int:
    """Mark the rows published; the number left unmarked. Best effort: an unmarked row is
    only re-sent by a later `republish --unpublished`, which consumers absorb."""
    now = datetime.now(UTC)
    requests = [{"PutRequest": {"Item": published_item(e.image, now)}} for e in published]
    unmarked = 0
    for start in range(0, len(requests), BATCH_WRITE_MAX_ITEMS):
        pending = requests[start : start + BATCH_WRITE_MAX_ITEMS]
        for attempt in range(MARK_ATTEMPTS):
            if attempt:
                time.sleep(backoff_seconds(attempt, base=0.05, cap=0.5))
            try:
                answer = dynamodb.batch_write_item(RequestItems={table: pending})
            except (ClientError, BotoCoreError):
                continue
            pending = answer.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                break
        unmarked += len(pending)
    if unmarked:
        obs.metrics.add_metric(name="OutboxMarkFailures", unit="Count", value=unmarked)
        obs.logger.warning("published rows left unmarked", extra={"rows": unmarked})
    return unmarked


@obs.logger.inject_lambda_context
@obs.tracer.capture_lambda_handler
@obs.metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed = relay(
        event.get("Records", []),
        _settings().event_bus_name,
        _events_client(),
        _dynamodb_client(),
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
