"""The facts table: every entity version received, once (see `keys.py` for the layout).

The event's data is kept whole (JSON, as received), so what a document shows can grow
without a migration: a later model reads more of the same items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from services.documents.adapters import keys
from services.documents.adapters.dynamo import (
    from_item,
    query_items,
    to_item,
    transaction_cancelled,
)
from services.documents.models.facts import Fact, FactKind


def fact_from(item: dict[str, Any]) -> Fact:
    return Fact(
        kind=FactKind(item["kind"]),
        event_id=item["event_id"],
        detail_type=item["detail_type"],
        occurred_at=datetime.fromisoformat(item["occurred_at"]),
        data=json.loads(item["data"]),
    )


class DynamoFactStore:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table
        self._registered: set[str] = set()
        """Accounts this process has registered (once per warm function, not per fact)."""

    def add(self, fact: Fact) -> bool:
        pk = keys.account_pk(fact.account_id)
        item = {
            "pk": pk,
            "sk": keys.fact_sk(fact.kind, fact.reference, fact.version),
            "kind": fact.kind.value,
            "event_id": fact.event_id,
            "detail_type": fact.detail_type,
            "occurred_at": fact.occurred_at.isoformat(),
            "data": json.dumps(fact.data, sort_keys=True, separators=(",", ":")),
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk)",
            )
            added = True
        except ClientError as error:
            if not transaction_cancelled(error):
                raise
            added = False
        # Idempotent companions, written even for a duplicate (a crash may have come between).
        if fact.account_id not in self._registered:
            self._put({"pk": keys.ACCOUNTS_PK, "sk": fact.account_id})
            self._registered.add(fact.account_id)
        related = fact.data.get("related_reference")
        if fact.kind is FactKind.PUBLISHED and related:
            self._put(
                {
                    "pk": pk,
                    "sk": keys.published_about_sk(related, fact.reference, fact.version),
                    "reference": fact.reference,
                    "version": fact.version,
                }
            )
        return added

    def _put(self, item: dict[str, Any]) -> None:
        self._db.put_item(TableName=self._table, Item=to_item(item))

    def _query(self, pk: str, prefix: str) -> list[dict[str, Any]]:
        return list(
            query_items(
                self._db,
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues=to_item({":pk": pk, ":prefix": prefix}),
                ConsistentRead=True,
            )
        )

    def get(self, account_id: str, kind: FactKind, reference: str, version: int) -> Fact | None:
        found = self._db.get_item(
            TableName=self._table,
            Key=to_item(
                {"pk": keys.account_pk(account_id), "sk": keys.fact_sk(kind, reference, version)}
            ),
            ConsistentRead=True,
        ).get("Item")
        if not found:
            return None
        return fact_from(from_item(found))

    def versions(self, account_id: str, kind: FactKind, reference: str) -> list[Fact]:
        items = self._query(keys.account_pk(account_id), keys.fact_prefix(kind, reference))
        return [fact_from(i) for i in items]

    def of_account(self, account_id: str, kinds: Iterable[FactKind]) -> list[Fact]:
        """One query of the account's partition (facts and markers), kept by kind."""
        wanted = {kind.value for kind in kinds}
        items = query_items(
            self._db,
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": keys.account_pk(account_id)}),
            ConsistentRead=True,
        )
        return [fact_from(i) for i in items if i.get("kind") in wanted]

    def accounts(self) -> list[str]:
        items = query_items(
            self._db,
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": keys.ACCOUNTS_PK}),
        )
        return sorted(str(i["sk"]) for i in items)

    def published_about(self, account_id: str, related_reference: str) -> list[Fact]:
        pk = keys.account_pk(account_id)
        found = []
        for marker in self._query(pk, keys.published_about_prefix(related_reference)):
            fact = self.get(
                account_id, FactKind.PUBLISHED, marker["reference"], int(marker["version"])
            )
            if fact is not None:
                found.append(fact)
        return found
