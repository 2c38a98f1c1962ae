"""An SQS event source mapping, locally: one thread per subscription queue.

Like Lambda's poller it receives up to `batch_size` messages, invokes the consumer with the
real SQS event shape, and with ReportBatchItemFailures deletes every message except those
listed in `batchItemFailures` (an error or a malformed answer fails the whole batch).
Failed messages stay on the queue and reappear after the visibility timeout; SQS (moto does
this on receive, as AWS does) moves them to the DLQ once received `maxReceiveCount` times.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

from infra.local.invoke import REGION, Invoker

log = logging.getLogger("scts.local.sqs")

WAIT_SECONDS = 20
"""Long polling, as Lambda's SQS event source mappings do: moto answers as soon as a message
arrives (or turns visible again, within a second), so a longer wait adds no latency; it only
spares ~35 idle queues a ReceiveMessage round trip every second (~0.1 core of the runtime)."""


def lambda_message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """SQS API message attributes -> the lower-camel shape Lambda events use."""
    return {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": value.get("StringListValues", []),
            "binaryListValues": value.get("BinaryListValues", []),
            "dataType": value["DataType"],
        }
        for name, value in attributes.items()
    }


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The Lambda SQS event for received messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": dict(message.get("Attributes", {})),
                "messageAttributes": lambda_message_attributes(
                    message.get("MessageAttributes", {})
                ),
                "md5OfBody": message.get("MD5OfBody")
                or hashlib.md5(message["Body"].encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }


def failed_message_ids(payload: Any, batch_ids: set[str]) -> set[str] | None:
    """Ids to keep from a partial batch response; None means 'the whole batch failed'."""
    if payload is None:
        return set()
    if not isinstance(payload, dict):
        return None
    failures = payload.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return None
    ids = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in batch_ids:
            return None  # Lambda treats an unknown or empty identifier as a failed batch
        ids.add(identifier)
    return ids


class SqsPoller:
    """Delivers one queue's messages to one function until stopped."""

    def __init__(
        self,
        sqs: Any,
        invoker: Invoker,
        *,
        queue_url: str,
        queue_arn: str,
        function_name: str,
        batch_size: int,
        stop: threading.Event,
        wait_seconds: int = WAIT_SECONDS,
    ) -> None:
        self._sqs = sqs
        self._invoker = invoker
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._function_name = function_name
        self._batch_size = batch_size
        self._stop = stop
        self._wait_seconds = wait_seconds

    def poll_once(self) -> int:
        """Receive one batch and deliver it; the number of messages received."""
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=self._batch_size,
            WaitTimeSeconds=self._wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        log.info("%s <- %d message(s)", self._function_name, len(messages))
        result = self._invoker.invoke(self._function_name, sqs_event(messages, self._queue_arn))
        batch_ids = {m["MessageId"] for m in messages}
        keep = None if result.failed else failed_message_ids(result.payload, batch_ids)
        if keep is None:
            log.warning("%s: batch of %d failed", self._function_name, len(messages))
            return len(messages)
        done = [m for m in messages if m["MessageId"] not in keep]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        if keep:
            log.warning(
                "%s: %d of %d records failed", self._function_name, len(keep), len(messages)
            )
        return len(messages)

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("poller for %s failed; retrying", self._function_name)
                self._stop.wait(1)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name=f"sqs-{self._function_name}", daemon=True)
        thread.start()
        return thread
