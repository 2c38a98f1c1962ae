"""The counterparty's own usage data (source of truth: the usage table), mirrored into the
read model's aggregate partition in the same transaction so the summary reads one partition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from common.errors import Conflict
from services.portfolio.adapters import keys
from services.portfolio.adapters.serde import dynamodb_client, from_dynamo, scan_items, to_dynamo
from services.portfolio.models.domain import Consumption, Target

MAX_ATTEMPTS = 5
CONSUMPTION_PREFIX = "CONS#"
TARGET_PREFIX = "TARGET#"


def usage_pk(account_id: str) -> str:
    return f"A#{account_id}"


def consumption_sk(site_id: str, period_start: date) -> str:
    return f"{CONSUMPTION_PREFIX}{site_id}#{period_start.isoformat()}"


def target_sk(target_id: str) -> str:
    return f"{TARGET_PREFIX}{target_id}"


def consumption_counter_sk(year: int) -> str:
    return f"{CONSUMPTION_PREFIX}{year}"


def consumption_counter(account_id: str, year: int, total: Decimal) -> dict[str, Any]:
    """The read model's consumption total of one year (as the rebuild writes it)."""
    return {
        "pk": keys.agg_pk(account_id),
        "sk": consumption_counter_sk(year),
        "year": str(year),
        "consumption_mwh": total,
    }


def target_copy(account_id: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The read model's copy of a target item of the usage table."""
    return {**{k: v for k, v in stored.items() if k != "pk"}, "pk": keys.agg_pk(account_id)}


class DynamoUsageStore:
    """`UsageStore` over the usage table and the read model's aggregate partition."""

    def __init__(self, usage_table: str, read_model_table: str, client: Any | None = None) -> None:
        self._usage = usage_table
        self._read_model = read_model_table
        self._client = client or dynamodb_client()

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = self._client.get_item(
            TableName=self._usage, Key=to_dynamo({"pk": pk, "sk": sk}), ConsistentRead=True
        ).get("Item")
        return from_dynamo(item) if item else None

    def _counter_add(self, account_id: str, year: int, delta: Decimal) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._read_model,
                "Key": to_dynamo(
                    {"pk": keys.agg_pk(account_id), "sk": consumption_counter_sk(year)}
                ),
                "UpdateExpression": "SET #y = :y ADD consumption_mwh :d",
                "ExpressionAttributeNames": {"#y": "year"},
                "ExpressionAttributeValues": to_dynamo({":y": str(year), ":d": delta}),
            }
        }

    @staticmethod
    def _guarded(old: dict[str, Any] | None) -> dict[str, Any]:
        if old is None:
            return {"ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "ConditionExpression": "revision = :r",
            "ExpressionAttributeValues": to_dynamo({":r": old["revision"]}),
        }

    def change_consumption(
        self, account_id: str, site_id: str, period_start: date, new: Consumption | None
    ) -> bool:
        """Write or delete one record and move the per-year counters by the difference."""
        pk, sk = usage_pk(account_id), consumption_sk(site_id, period_start)
        for _ in range(MAX_ATTEMPTS):
            old = self._get(pk, sk)
            if old is None and new is None:
                return False
            deltas: dict[int, Decimal] = defaultdict(Decimal)
            if old is not None:
                deltas[int(old["year"])] -= Decimal(old["consumption_mwh"])
            if new is not None:
                deltas[new.year] += new.consumption_mwh
            operations: list[dict[str, Any]] = []
            if new is None:
                key = to_dynamo({"pk": pk, "sk": sk})
                operations.append(
                    {"Delete": {"TableName": self._usage, "Key": key, **self._guarded(old)}}
                )
            else:
                item = {
                    "pk": pk,
                    "sk": sk,
                    **new.model_dump(mode="json"),
                    "consumption_mwh": new.consumption_mwh,
                    "year": new.year,
                    "revision": (int(old["revision"]) if old else 0) + 1,
                }
                operations.append(
                    {
                        "Put": {
                            "TableName": self._usage,
                            "Item": to_dynamo(item),
                            **self._guarded(old),
                        }
                    }
                )
            operations.extend(
                self._counter_add(account_id, year, delta)
                for year, delta in sorted(deltas.items())
                if delta
            )
            try:
                self._client.transact_write_items(TransactItems=operations)
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "TransactionCanceledException":
                    continue
                raise
            return True
        raise Conflict("The record kept changing while it was written; try again.")

    def put_target(self, account_id: str, target: Target) -> None:
        stored = {
            "pk": usage_pk(account_id),
            "sk": target_sk(target.target_id),
            **target.model_dump(mode="json"),
        }
        self._client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self._usage, "Item": to_dynamo(stored)}},
                {
                    "Put": {
                        "TableName": self._read_model,
                        "Item": to_dynamo(target_copy(account_id, stored)),
                    }
                },
            ]
        )

    def delete_target(self, account_id: str, target_id: str) -> bool:
        if self._get(usage_pk(account_id), target_sk(target_id)) is None:
            return False
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Delete": {
                        "TableName": self._usage,
                        "Key": to_dynamo({"pk": usage_pk(account_id), "sk": target_sk(target_id)}),
                    }
                },
                {
                    "Delete": {
                        "TableName": self._read_model,
                        "Key": to_dynamo(
                            {"pk": keys.agg_pk(account_id), "sk": target_sk(target_id)}
                        ),
                    }
                },
            ]
        )
        return True

    def scan_all(self) -> Iterator[dict[str, Any]]:
        """Every usage item (for the rebuild, which re-derives the aggregate mirror)."""
        return scan_items(self._client, self._usage)
