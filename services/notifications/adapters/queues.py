"""The pipeline's stage queues (`WorkQueue`s of the topology): JSON messages, sent ten at a
time (SendMessageBatch), failed entries sent again (bounded, with backoff and jitter)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from common.errors import Unavailable

BATCH = 10
ATTEMPTS = 5
RETRIES = Config(retries={"mode": "standard", "max_attempts": 5})
"""botocore's standard retry mode: exponential backoff with full jitter on throttling and
transient errors, bounded."""


class SqsStageQueues:
    def __init__(self, names: dict[str, str], client: Any | None = None) -> None:
        self._names = names
        self._client = client or boto3.client("sqs", config=RETRIES)

    @cache  # noqa: B019 - one queue URL per name, for the life of the environment
    def _url(self, name: str) -> str:
        return str(self._client.get_queue_url(QueueName=self._names[name])["QueueUrl"])

    def _send(self, stage: str, messages: Sequence[dict[str, Any]]) -> None:
        bodies = [json.dumps(m, separators=(",", ":")) for m in messages]
        for start in range(0, len(bodies), BATCH):
            pending = {str(i): body for i, body in enumerate(bodies[start : start + BATCH])}
            for attempt in range(ATTEMPTS):
                answer = self._client.send_message_batch(
                    QueueUrl=self._url(stage),
                    Entries=[{"Id": i, "MessageBody": b} for i, b in pending.items()],
                )
                pending = {f["Id"]: pending[f["Id"]] for f in answer.get("Failed", [])}
                if not pending:
                    break
                time.sleep(random.uniform(0, 0.1 * 2**attempt))  # noqa: S311
            if pending:
                raise Unavailable("A stage queue refused messages; the step will be retried.")

    def render(self, messages: Sequence[dict[str, Any]]) -> None:
        self._send("render", messages)

    def email(self, messages: Sequence[dict[str, Any]]) -> None:
        self._send("email", messages)

    def push(self, messages: Sequence[dict[str, Any]]) -> None:
        self._send("push", messages)

    def record(self, messages: Sequence[dict[str, Any]]) -> None:
        self._send("record", messages)


RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 900


def retry_delay(receive_count: int, jitter: float) -> int:
    """Exponential backoff with jitter for a failed stage message: 5 s, 10 s, 20 s ...
    (at most 15 min), scaled by a jitter in [0.5, 1]."""
    return int(min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, receive_count - 1)) * jitter)


class RetryBackoff:
    """Puts a failed message back later than the queue's visibility timeout would: its
    retries (bounded by the queue's max receives, then the DLQ) spread out."""

    def __init__(self, client: Any | None = None) -> None:
        self._client = client or boto3.client("sqs", config=RETRIES)

    @cache  # noqa: B019 - one URL per queue for the life of the environment
    def _url(self, queue_arn: str) -> str:
        name = queue_arn.rsplit(":", 1)[-1]
        return str(self._client.get_queue_url(QueueName=name)["QueueUrl"])

    def later(self, queue_arn: str, receipt_handle: str, receive_count: int) -> None:
        delay = retry_delay(receive_count, random.uniform(0.5, 1.0))  # noqa: S311
        self._client.change_message_visibility(
            QueueUrl=self._url(queue_arn), ReceiptHandle=receipt_handle, VisibilityTimeout=delay
        )
