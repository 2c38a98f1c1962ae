"""The schedule's queue: a statements run asked for by hand goes where the schedule's go."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

import boto3


class SqsRunQueue:
    def __init__(self, queue_name: str, client: Any | None = None) -> None:
        self._name = queue_name
        self._client = client

    @cached_property
    def _sqs(self) -> Any:
        return self._client or boto3.client("sqs")

    @cached_property
    def _url(self) -> str:
        return str(self._sqs.get_queue_url(QueueName=self._name)["QueueUrl"])

    def enqueue(self, message: dict[str, Any]) -> None:
        self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps(message, sort_keys=True))
