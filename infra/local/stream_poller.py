"""A DynamoDB stream event source mapping, locally: the outbox relay's trigger.

Per outbox table one thread walks the stream's shards (parents before children, new shards
picked up as they appear), invokes the relay function with the real Lambda DynamoDB stream
event, and honours ReportBatchItemFailures: the batch is checkpointed before the lowest
failed sequence number and retried from there. After `max_attempts` failed attempts the
remaining records go to the relay DLQ (in the cloud: the mapping's on-failure destination),
so nothing is dropped silently.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from infra.local.invoke import REGION, Invoker

log = logging.getLogger("scts.local.stream")

BATCH_SIZE = 100
IDLE_SECONDS = 0.2
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


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    iterator: str | None = None
    closed: bool = False
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
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
        max_attempts: int = 3,
        retry_seconds: float = 0.5,
    ) -> None:
        self._streams = streams
        self._sqs = sqs
        self._invoker = invoker
        self._stream_arn = stream_arn
        self._function_name = function_name
        self._dlq_url = dlq_url
        self._stop = stop
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds
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
            answer = self._streams.get_records(ShardIterator=shard.iterator, Limit=BATCH_SIZE)
        except ClientError as exc:
            # DynamoDB Local invalidates an iterator taken on an empty shard once records
            # arrive (TrimmedDataAccessException); iterators also expire. Re-take it.
            if exc.response["Error"]["Code"] not in _STALE_ITERATOR_ERRORS:
                raise
            shard.iterator = self._iterator(shard)
            answer = self._streams.get_records(ShardIterator=shard.iterator, Limit=BATCH_SIZE)
        shard.pending.extend(
            lambda_stream_record(r, self._stream_arn) for r in answer.get("Records", [])
        )
        shard.iterator = answer.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True

    def _deliver(self, shard: _Shard) -> None:
        records = shard.pending
        result = self._invoker.invoke(self._function_name, {"Records": records})
        retry_from = 0 if result.failed else first_failed_index(result.payload, records)
        if retry_from is None:
            self._done(shard, records)
            return
        shard.pending = records[retry_from:]
        shard.attempts += 1
        log.warning(
            "%s: %d stream records failed (attempt %d)",
            self._function_name,
            len(shard.pending),
            shard.attempts,
        )
        if shard.attempts >= self._max_attempts:
            self._to_dlq(shard.pending, result.payload)
            self._done(shard, records)
        else:
            self._stop.wait(self._retry_seconds * shard.attempts)

    @staticmethod
    def _done(shard: _Shard, records: list[dict[str, Any]]) -> None:
        shard.checkpoint = records[-1]["dynamodb"]["SequenceNumber"]
        shard.pending, shard.attempts = [], 0

    def _to_dlq(self, records: list[dict[str, Any]], last_error: Any) -> None:
        for record in records:
            self._sqs.send_message(
                QueueUrl=self._dlq_url,
                MessageBody=json.dumps(
                    {
                        "function": self._function_name,
                        "streamArn": self._stream_arn,
                        "record": record,
                        "lastResponse": last_error,
                    },
                    default=str,
                ),
            )
        log.error("%s: %d stream records sent to the DLQ", self._function_name, len(records))

    def poll_once(self) -> int:
        """Fetch and deliver what is available on every ready shard; records delivered."""
        self._discover()
        delivered = 0
        for shard in list(self._shards.values()):
            if not self._ready(shard) and not shard.pending:
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
            except Exception:
                log.exception("stream poller for %s failed; retrying", self._stream_arn)
                self._stop.wait(1)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name=f"stream-{self._stream_arn}", daemon=True)
        thread.start()
        return thread
