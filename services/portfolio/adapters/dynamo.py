"""DynamoDB adapter of the projection: each fact stored once, with its fold, in one
TransactWriteItems guarded by the entity's revision. Only the projector loads it; the item
(de)serialization every portfolio adapter shares is `adapters.serde`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from services.portfolio.adapters import keys
from services.portfolio.adapters.items import (
    AddToCounter,
    DeleteItem,
    PutCurrent,
    PutFact,
    PutItem,
    Write,
    commit_writes,
    contribution_from_json,
)
from services.portfolio.adapters.serde import dynamodb_client, from_dynamo, to_dynamo
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.ports import StreamState
from services.portfolio.logic.projection import Change, Projection

TRANSACTION_LIMIT = 100
RETRYABLE_CANCELLATIONS = frozenset({"ConditionalCheckFailed", "TransactionConflict"})
"""Another writer got there first (revision moved) or is mid-transaction on a counter:
re-read, re-fold and try again."""
_serializer = TypeSerializer()


class TransactionTooLarge(RuntimeError):
    """One entity change touching more items than one transaction allows."""


class DynamoProjectionStore:
    """`ProjectionStore` over the read-model table."""

    def __init__(self, table_name: str, client: Any | None = None) -> None:
        self._table = table_name
        self._client = client or dynamodb_client()

    def note_activity(self, stream: StreamId, occurred_at: datetime) -> None:
        at = keys.activity_at(occurred_at)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_dynamo(
                    {"pk": keys.agg_pk(stream.account_id), "sk": keys.activity_sk(stream.kind)}
                ),
                UpdateExpression="SET #at = :at",
                ConditionExpression="attribute_not_exists(#at) OR #at < :at",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues=to_dynamo({":at": at}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def load(self, stream: StreamId) -> StreamState:
        pk = keys.stream_pk(stream)
        facts: list[Fact] = []
        current: dict[str, Any] | None = None
        for item in self._query_partition(pk):
            if item["sk"] == keys.CURRENT_SK:
                current = item
            elif item["sk"].startswith(keys.FACT_SK_PREFIX):
                facts.append(Fact.from_record(item["fact"]))
        return StreamState(
            facts=facts,
            revision=int(current["revision"]) if current else 0,
            contribution=contribution_from_json(current["contribution"] if current else None),
        )

    def _query_partition(self, pk: str) -> Iterator[dict[str, Any]]:
        pages = self._client.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
        )
        for page in pages:
            yield from (from_dynamo(item) for item in page["Items"])

    def commit(
        self,
        stream: StreamId,
        state: StreamState,
        projection: Projection,
        change: Change,
        new_fact: Fact | None = None,
    ) -> bool:
        writes = commit_writes(stream, state, projection, change, new_fact)
        if len(writes) > TRANSACTION_LIMIT:
            raise TransactionTooLarge(f"{stream}: {len(writes)} writes in one change")
        try:
            self._client.transact_write_items(
                TransactItems=[self._transact_item(write) for write in writes]
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = {r.get("Code") for r in exc.response.get("CancellationReasons", [])}
            if not reasons or reasons & RETRYABLE_CANCELLATIONS:
                return False
            raise
        return True

    def _transact_item(self, write: Write) -> dict[str, Any]:
        if isinstance(write, PutCurrent):
            condition = (
                "attribute_not_exists(pk)"
                if write.expected_revision == 0
                else "revision = :expected"
            )
            put: dict[str, Any] = {
                "TableName": self._table,
                "Item": to_dynamo(write.item),
                "ConditionExpression": condition,
            }
            if write.expected_revision:
                put["ExpressionAttributeValues"] = {
                    ":expected": {"N": str(write.expected_revision)}
                }
            return {"Put": put}
        if isinstance(write, PutFact):
            return {
                "Put": {
                    "TableName": self._table,
                    "Item": to_dynamo(write.item),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        if isinstance(write, PutItem):
            return {"Put": {"TableName": self._table, "Item": to_dynamo(write.item)}}
        if isinstance(write, DeleteItem):
            return {
                "Delete": {
                    "TableName": self._table,
                    "Key": to_dynamo({"pk": write.pk, "sk": write.sk}),
                }
            }
        return {"Update": self._counter_update(write)}

    def _counter_update(self, write: AddToCounter) -> dict[str, Any]:
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets, adds = [], []
        for index, (name, value) in enumerate(sorted(write.dims.items())):
            names[f"#d{index}"] = name
            values[f":d{index}"] = _serializer.serialize(value)
            sets.append(f"#d{index} = :d{index}")
        for index, (name, delta) in enumerate(sorted(write.deltas.items())):
            names[f"#a{index}"] = name
            values[f":a{index}"] = _serializer.serialize(Decimal(delta))
            adds.append(f"#a{index} :a{index}")
        expression = ""
        if sets:
            expression += "SET " + ", ".join(sets) + " "
        if adds:
            expression += "ADD " + ", ".join(adds)
        return {
            "TableName": self._table,
            "Key": to_dynamo({"pk": write.pk, "sk": write.sk}),
            "UpdateExpression": expression.strip(),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
