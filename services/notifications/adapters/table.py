"""What every part of the notifications store shares: the table, its low-level client,
batched reads and paged queries."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import boto3
from botocore.exceptions import ClientError


def failed_condition(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


class Table:
    def __init__(self, table_name: str, resource: Any | None = None) -> None:
        self._resource = resource or boto3.resource("dynamodb")
        self._table = self._resource.Table(table_name)
        self._client = self._resource.meta.client
        """The resource's client: it serializes plain Python values itself (also in
        TransactWriteItems), so items and values are given as plain Python."""
        self._name = table_name

    def _put_if_absent(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _batch_get(self, wanted: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 100):
            request = {self._name: {"Keys": list(wanted[start : start + 100])}}
            for attempt in range(8):
                answer = self._resource.batch_get_item(RequestItems=request)
                found += answer["Responses"].get(self._name, [])
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(0.02 * 2**attempt)
        return found

    def _query_all(self, **query: Any) -> Iterator[dict[str, Any]]:
        while True:
            page = self._table.query(**query)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
