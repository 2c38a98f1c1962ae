"""The counterparty's own usage data (source of truth: the usage table), mirrored into the
read model's aggregate partition in the same transaction so the summary reads one partition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from services.portfolio.adapters.dynamo import (
    Page,
    dynamodb_client,
    from_dynamo,
    scan_items,
    to_dynamo,
)
from services.portfolio.logic import keys
from services.portfolio.models.usage import Consumption, Target

MAX_ATTEMPTS = 5


class ConcurrentUpdate(RuntimeError):
    """The record kept changing under us (answered with 409)."""


def usage_pk(account_id: str) -> str:
    return f"A#{account_id}"


def consumption_sk(site_id: str, period_start: str) -> str:
    return f"CONS#{site_id}#{period_start}"


def target_sk(target_id: str) -> str:
    return f"TARGET#{target_id}"


def consumption_counter_sk(year: int) -> str:
    return f"CONS#{year}"


class UsageStore:
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

    def _guarded(self, old: dict[str, Any] | None) -> dict[str, Any]:
        if old is None:
            return {"ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "ConditionExpression": "revision = :r",
            "ExpressionAttributeValues": to_dynamo({":r": old["revision"]}),
        }

    def _change_consumption(
        self, account_id: str, site_id: str, period_start: str, new: Consumption | None, actor: str
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
                operations.append(
                    {
                        "Delete": {
                            "TableName": self._usage,
                            "Key": to_dynamo({"pk": pk, "sk": sk}),
                            **self._guarded(old),
                        }
                    }
                )
            else:
                item = {
                    "pk": pk,
                    "sk": sk,
                    **new.model_dump(mode="json"),
                    "consumption_mwh": new.consumption_mwh,
                    "year": new.year,
                    "revision": (int(old["revision"]) if old else 0) + 1,
                    "updated_by": actor,
                    "updated_at": datetime.now(UTC).isoformat(),
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
        raise ConcurrentUpdate(f"{pk} {sk}")

    def put_consumption(self, account_id: str, record: Consumption, actor: str) -> None:
        self._change_consumption(
            account_id, record.site_id, record.period_start.isoformat(), record, actor
        )

    def delete_consumption(
        self, account_id: str, site_id: str, period_start: str, actor: str
    ) -> bool:
        return self._change_consumption(account_id, site_id, period_start, None, actor)

    def put_target(self, account_id: str, target: Target, actor: str) -> None:
        body = {**target.model_dump(mode="json"), "updated_by": actor}
        self._client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._usage,
                        "Item": to_dynamo(
                            {"pk": usage_pk(account_id), "sk": target_sk(target.target_id), **body}
                        ),
                    }
                },
                {
                    "Put": {
                        "TableName": self._read_model,
                        "Item": to_dynamo(
                            {
                                "pk": keys.agg_pk(account_id),
                                "sk": target_sk(target.target_id),
                                **body,
                            }
                        ),
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

    def consumption_page(
        self, account_id: str, limit: int, start_key: dict[str, Any] | None
    ) -> Page:
        """One Query: the account's consumption records, by site and period."""
        request: dict[str, Any] = {
            "TableName": self._usage,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
            "ExpressionAttributeValues": to_dynamo({":pk": usage_pk(account_id), ":p": "CONS#"}),
            "Limit": limit,
        }
        if start_key:
            request["ExclusiveStartKey"] = to_dynamo(start_key)
        found = self._client.query(**request)
        last = found.get("LastEvaluatedKey")
        return Page(
            items=[from_dynamo(i) for i in found["Items"]],
            last_key=from_dynamo(last) if last else None,
        )

    def scan_all(self) -> Iterator[dict[str, Any]]:
        """Every usage item (for the rebuild, which re-derives the aggregate mirror)."""
        return scan_items(self._client, self._usage)
