"""A DynamoDB stream event source mapping, locally: the outbox relay's trigger.

Per outbox table one thread walks the stream's shards (parents before children, new shards
picked up as they appear) and invokes the relay function with the real Lambda DynamoDB
stream event, following the mapping's settings (`common.outbox_relay.StreamMapping`, the
same value the CDK mapping is built from), as Lambda does:
- filter criteria: only matching records are delivered (the others count as done);
- ReportBatchItemFailures: the batch is checkpointed before the lowest failed sequence
  number and retried from there;
- a function error (or an unreachable function) fails the whole batch; with bisect on, the
  batch is split in two and the halves retried (splitting uses no retry attempt);
- retries wait with exponential backoff and jitter, and go on until the records pass, or
  (when set) `max_retry_attempts` is used up, or they are older than
  `max_record_age_seconds`; then the mapping's on-failure destination (the relay DLQ)
  receives what Lambda sends it: metadata about the batch (shard, sequence numbers,
  arrival times), never the records. The records' outbox rows stay unpublished.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from common.outbox_relay import RELAY_MAPPING, StreamMapping, backoff_seconds
from infra.local.invoke import REGION, Invoker, function_arn

log = logging.getLogger("scts.local.stream")

IDLE_SECONDS = 0.2
RETRY_BASE_SECONDS = 0.2
RETRY_CAP_SECONDS = 5.0
_STALE_ITERATOR_ERRORS = ("TrimmedDataAccessException", "ExpiredIteratorException")


def lambda_stream_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record -> the record shape Lambda delivers (epoch-second timestamps)."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", REGION),
        "dynamodb": dynamodb,
        "eventSourceARN": stream_arn,
    }


def matches_filter(pattern: Any, value: Any) -> bool:
    """Lambda filter criteria, the subset the mappings use: nested objects whose leaves
    are lists of exact values."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            matches_filter(p, value.get(k)) for k, p in pattern.items()
        )
    if isinstance(pattern, list):
        return value in pattern
    raise ValueError(f"unsupported filter pattern {pattern!r}")


def first_failed_index(payload: Any, records: list[dict[str, Any]]) -> int | None:
    """Index of the first record to retry, or None when the whole batch succeeded."""
    if not isinstance(payload, dict) or not payload.get("batchItemFailures"):
        return None if isinstance(payload, dict | type(None)) else 0
    positions = {r["dynamodb"]["SequenceNumber"]: i for i, r in enumerate(records)}
    indexes = []
    for failure in payload["batchItemFailures"]:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if identifier not in positions:
            return 0  # unknown identifier: Lambda retries the whole batch
        indexes.append(positions[identifier])
    return min(indexes)


def _iso(epoch: Any) -> str | None:
    if not isinstance(epoch, int | float):
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    iterator: str | None = None
    closed: bool = False
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    """Failed invocations of the records at the head of `pending` (bisecting uses none)."""
    invocations: int = 0
    limit: int | None = None
    """Records per invocation while bisecting (None: the mapping's batch size)."""
    not_before: float = 0.0
    """Monotonic time before which the shard waits (retry backoff)."""
    checkpoint: str | None = None  # sequence number of the last record done with


class StreamPoller:
    """Delivers one table stream's records to one function until stopped."""

    def __init__(
        self,
        streams: Any,
        sqs: Any,
        invoker: Invoker,
        *,
        stream_arn: str,
        function_name: str,
        dlq_url: str,
        stop: threading.Event,
        mapping: StreamMapping = RELAY_MAPPING,
        retry_base_seconds: float = RETRY_BASE_SECONDS,
        retry_cap_seconds: float = RETRY_CAP_SECONDS,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self._streams = streams
        self._sqs = sqs
        self._invoker = invoker
        self._stream_arn = stream_arn
        self._function_name = function_name
        self._dlq_url = dlq_url
        self._stop = stop
        self._mapping = mapping
        self._retry_base = retry_base_seconds
        self._retry_cap = retry_cap_seconds
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - retry jitter, not a secret
        self._shards: dict[str, _Shard] = {}

    def _discover(self) -> None:
        start: str | None = None
        while True:
            kwargs: dict[str, Any] = {"StreamArn": self._stream_arn}
            if start:
                kwargs["ExclusiveStartShardId"] = start
            description = self._streams.describe_stream(**kwargs)["StreamDescription"]
            for shard in description.get("Shards", []):
                if shard["ShardId"] not in self._shards:
                    self._shards[shard["ShardId"]] = _Shard(
                        shard["ShardId"], shard.get("ParentShardId")
                    )
            start = description.get("LastEvaluatedShardId")
            if not start:
                return

    def _ready(self, shard: _Shard) -> bool:
        parent = self._shards.get(shard.parent_id or "")
        return not shard.closed and (parent is None or (parent.closed and not parent.pending))

    def _iterator(self, shard: _Shard) -> str:
        """From the checkpoint, or the oldest record when nothing was read yet."""
        position: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": shard.checkpoint}
            if shard.checkpoint
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator: str = self._streams.get_shard_iterator(
            StreamArn=self._stream_arn, ShardId=shard.shard_id, **position
        )["ShardIterator"]
        return iterator

    def _fetch(self, shard: _Shard) -> None:
        if shard.iterator is None:
            shard.iterator = self._iterator(shard)
        try:
            answer = self._streams.get_records(
                ShardIterator=shard.iterator, Limit=self._mapping.batch_size
            )
        except ClientError as exc:
            # DynamoDB Local invalidates an iterator taken on an empty shard once records
            # arrive (TrimmedDataAccessException); iterators also expire. Re-take it.
            if exc.response["Error"]["Code"] not in _STALE_ITERATOR_ERRORS:
                raise
            shard.iterator = self._iterator(shard)
            answer = self._streams.get_records(
                ShardIterator=shard.iterator, Limit=self._mapping.batch_size
            )
        records = [lambda_stream_record(r, self._stream_arn) for r in answer.get("Records", [])]
        wanted = [r for r in records if self._wanted(r)]
        if records and not wanted:
            shard.checkpoint = records[-1]["dynamodb"]["SequenceNumber"]
        shard.pending.extend(wanted)
        shard.iterator = answer.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True

    def _wanted(self, record: dict[str, Any]) -> bool:
        filters = self._mapping.filters
        return not filters or any(matches_filter(f, record) for f in filters)

    def _deliver(self, shard: _Shard) -> None:
        self._expire(shard)
        if not shard.pending:
            return
        batch = shard.pending[: shard.limit or self._mapping.batch_size]
        result = self._invoker.invoke(self._function_name, {"Records": batch})
        shard.invocations += 1
        if result.failed:
            if self._mapping.bisect_on_error and len(batch) > 1:
                shard.limit = max(1, len(batch) // 2)
                log.warning(
                    "%s: function error on %d records; bisecting",
                    self._function_name,
                    len(batch),
                )
                return
            self._retry(shard, batch, 0, result.payload)
            return
        retry_from = first_failed_index(result.payload, batch)
        if retry_from is None:
            self._done(shard, len(batch))
            return
        if retry_from:
            self._done(shard, retry_from)
        self._retry(shard, shard.pending[: len(batch) - retry_from], retry_from, result.payload)

    def _retry(
        self, shard: _Shard, failing: list[dict[str, Any]], advanced: int, response: Any
    ) -> None:
        if advanced:
            shard.attempts = 0
        shard.attempts += 1
        log.warning(
            "%s: %d stream records failed (attempt %d); retrying",
            self._function_name,
            len(failing),
            shard.attempts,
        )
        limit = self._mapping.max_retry_attempts
        if limit is not None and shard.attempts > limit:
            self._to_dlq(shard, failing, "RetryAttemptsExhausted", response)
            self._done(shard, len(failing))
            return
        delay = backoff_seconds(
            shard.attempts, base=self._retry_base, cap=self._retry_cap, rng=self._rng
        )
        shard.not_before = time.monotonic() + delay

    def _expire(self, shard: _Shard) -> None:
        """Records older than the mapping's maximum age go to the DLQ (metadata) unprocessed."""
        oldest_allowed = self._clock() - self._mapping.max_record_age_seconds
        expired = 0
        for record in shard.pending:
            created = record["dynamodb"].get("ApproximateCreationDateTime")
            if not isinstance(created, int | float) or created >= oldest_allowed:
                break
            expired += 1
        if expired:
            self._to_dlq(shard, shard.pending[:expired], "RecordAgeExceeded", None)
            self._done(shard, expired)

    def _done(self, shard: _Shard, count: int) -> None:
        """The first `count` pending records are finished with: checkpoint after them."""
        shard.checkpoint = shard.pending[count - 1]["dynamodb"]["SequenceNumber"]
        shard.pending = shard.pending[count:]
        shard.attempts, shard.limit = 0, None

    def _to_dlq(
        self, shard: _Shard, records: list[dict[str, Any]], condition: str, response: Any
    ) -> None:
        """What Lambda sends a stream mapping's on-failure destination: metadata only."""
        first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
        error = response.get("errorType") if isinstance(response, dict) else None
        message = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": function_arn(self._function_name),
                "condition": condition,
                "approximateInvokeCount": shard.invocations,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled" if error else None,
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard.shard_id,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": _iso(first.get("ApproximateCreationDateTime")),
                "approximateArrivalOfLastRecord": _iso(last.get("ApproximateCreationDateTime")),
                "batchSize": len(records),
                "streamArn": self._stream_arn,
            },
        }
        self._sqs.send_message(QueueUrl=self._dlq_url, MessageBody=json.dumps(message))
        log.error(
            "%s: %d stream records given up (%s); their outbox rows stay unpublished: "
            "python -m infra.ops.republish --unpublished",
            self._function_name,
            len(records),
            condition,
        )

    def poll_once(self) -> int:
        """Fetch and deliver what is available on every ready shard; records delivered."""
        self._discover()
        delivered = 0
        for shard in list(self._shards.values()):
            if not self._ready(shard) and not shard.pending:
                continue
            if time.monotonic() < shard.not_before:
                continue
            if not shard.pending and not shard.closed:
                self._fetch(shard)
            if shard.pending:
                delivered += len(shard.pending)
                self._deliver(shard)
        return delivered

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                if not self.poll_once():
                    self._stop.wait(IDLE_SECONDS)
                elif self._waiting():
                    self._stop.wait(min(IDLE_SECONDS, self._waiting()))
            except Exception:
                log.exception("stream poller for %s failed; retrying", self._stream_arn)
                self._stop.wait(1)

    def _waiting(self) -> float:
        """Seconds until the next shard with pending records may be retried (0: now)."""
        waits = [s.not_before - time.monotonic() for s in self._shards.values() if s.pending]
        return max(0.0, min(waits)) if waits else 0.0

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name=f"stream-{self._stream_arn}", daemon=True)
        thread.start()
        return thread
