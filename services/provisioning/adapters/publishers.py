"""Publishers and their keys on DynamoDB (`publishers` table).

Items: `PUBLISHER#<id>`/`PROFILE` and `KEY#<prefix>`/`KEY` (the key's prefix is its
primary key, so the authorizer finds it with one strongly consistent GetItem).

Registering, rotating and revoking write their event into the service's outbox (the
`records` table, whose stream the relay publishes) in the same transaction as the
publisher/key write: no change without its fact, no fact without its change.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from common.outbox import outbox_put
from contracts.envelope import EventEnvelope
from services.provisioning.models.publishers import ApiKey, Publisher, UsageKey


def _publisher_key(publisher_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"PUBLISHER#{publisher_id}"}, "sk": {"S": "PROFILE"}}


def _api_key_key(prefix: str) -> dict[str, Any]:
    return {"pk": {"S": f"KEY#{prefix}"}, "sk": {"S": "KEY"}}


def _publisher_item(publisher: Publisher) -> dict[str, Any]:
    item: dict[str, Any] = {
        **_publisher_key(publisher.publisher_id),
        "publisher_id": {"S": publisher.publisher_id},
        "name": {"S": publisher.name},
        "all_accounts": {"BOOL": publisher.account_ids is None},
        "created_at": {"S": publisher.created_at.isoformat()},
        "created_by": {"S": publisher.created_by},
    }
    if publisher.account_ids:
        item["account_ids"] = {"SS": sorted(publisher.account_ids)}
    if publisher.usage_key:
        item["usage_key_id"] = {"S": publisher.usage_key.key_id}
        item["usage_key_value"] = {"S": publisher.usage_key.value}
    return item


def _publisher(item: dict[str, Any]) -> Publisher:
    all_accounts = item["all_accounts"]["BOOL"]
    return Publisher(
        publisher_id=item["publisher_id"]["S"],
        name=item["name"]["S"],
        account_ids=None if all_accounts else frozenset(item.get("account_ids", {}).get("SS", [])),
        created_at=datetime.fromisoformat(item["created_at"]["S"]),
        created_by=item["created_by"]["S"],
        usage_key=(
            UsageKey(key_id=item["usage_key_id"]["S"], value=item["usage_key_value"]["S"])
            if "usage_key_id" in item
            else None
        ),
    )


def _key_item(key: ApiKey) -> dict[str, Any]:
    item: dict[str, Any] = {
        **_api_key_key(key.prefix),
        "prefix": {"S": key.prefix},
        "publisher_id": {"S": key.publisher_id},
        "salt": {"S": key.salt},
        "key_hash": {"S": key.key_hash},
        "created_at": {"S": key.created_at.isoformat()},
    }
    if key.expires_at:
        item["expires_at"] = {"S": key.expires_at.isoformat()}
    if key.created_by:
        item["created_by"] = {"S": key.created_by}
    return item


def _optional_time(item: dict[str, Any], name: str) -> datetime | None:
    return datetime.fromisoformat(item[name]["S"]) if name in item else None


def _api_key(item: dict[str, Any]) -> ApiKey:
    return ApiKey(
        prefix=item["prefix"]["S"],
        publisher_id=item["publisher_id"]["S"],
        salt=item["salt"]["S"],
        key_hash=item["key_hash"]["S"],
        created_at=datetime.fromisoformat(item["created_at"]["S"]),
        expires_at=_optional_time(item, "expires_at"),
        revoked_at=_optional_time(item, "revoked_at"),
        last_used_at=_optional_time(item, "last_used_at"),
        created_by=item["created_by"]["S"] if "created_by" in item else None,
        revoked_by=item["revoked_by"]["S"] if "revoked_by" in item else None,
    )


class DynamoPublisherStore:
    def __init__(self, dynamodb: Any, table: str, outbox_table: str) -> None:
        self._db = dynamodb
        self._table = table
        self._outbox = outbox_table

    def create(self, publisher: Publisher, key: ApiKey, event: EventEnvelope[Any]) -> None:
        new = "attribute_not_exists(pk)"
        self._db.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _publisher_item(publisher),
                        "ConditionExpression": new,
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _key_item(key),
                        "ConditionExpression": new,
                    }
                },
                outbox_put(self._outbox, event),
            ]
        )

    def get(self, publisher_id: str) -> Publisher | None:
        item = self._db.get_item(
            TableName=self._table, Key=_publisher_key(publisher_id), ConsistentRead=True
        ).get("Item")
        return _publisher(item) if item else None

    def _scan(self, prefix: str, publisher_id: str | None = None) -> list[dict[str, Any]]:
        """Publishers are few (one per STX system): a filtered scan is the simple read."""
        values: dict[str, Any] = {":prefix": {"S": prefix}}
        expression = "begins_with(pk, :prefix)"
        if publisher_id:
            expression += " AND publisher_id = :publisher"
            values[":publisher"] = {"S": publisher_id}
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "FilterExpression": expression,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        while True:
            page = self._db.scan(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def all_publishers(self) -> list[Publisher]:
        return sorted((_publisher(i) for i in self._scan("PUBLISHER#")), key=lambda p: p.created_at)

    def keys(self, publisher_id: str) -> list[ApiKey]:
        found = (_api_key(i) for i in self._scan("KEY#", publisher_id))
        return sorted(found, key=lambda k: k.created_at)

    def key(self, prefix: str) -> ApiKey | None:
        item = self._db.get_item(
            TableName=self._table, Key=_api_key_key(prefix), ConsistentRead=True
        ).get("Item")
        return _api_key(item) if item else None

    def rotate(
        self, new_key: ApiKey, expire: Collection[str], at: datetime, event: EventEnvelope[Any]
    ) -> None:
        items: list[dict[str, Any]] = [
            outbox_put(self._outbox, event),
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _key_item(new_key),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        for prefix in expire:
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": _api_key_key(prefix),
                        "UpdateExpression": "SET expires_at = :at",
                        "ConditionExpression": "attribute_exists(pk)",
                        "ExpressionAttributeValues": {":at": {"S": at.isoformat()}},
                    }
                }
            )
        self._db.transact_write_items(TransactItems=items)

    def revoke(
        self, publisher_id: str, prefix: str, at: datetime, by: str, event: EventEnvelope[Any]
    ) -> bool:
        update = {
            "Update": {
                "TableName": self._table,
                "Key": _api_key_key(prefix),
                "UpdateExpression": "SET revoked_at = :at, revoked_by = :by",
                "ConditionExpression": (
                    "publisher_id = :publisher AND attribute_not_exists(revoked_at)"
                ),
                "ExpressionAttributeValues": {
                    ":at": {"S": at.isoformat()},
                    ":by": {"S": by},
                    ":publisher": {"S": publisher_id},
                },
            }
        }
        try:
            self._db.transact_write_items(TransactItems=[update, outbox_put(self._outbox, event)])
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            if not reasons or reasons[0].get("Code") != "ConditionalCheckFailed":
                raise
            # Not this publisher's key (or none), or revoked before: that revocation stays.
            found = self.key(prefix)
            return found is not None and found.publisher_id == publisher_id
        return True

    def touch(self, prefix: str, at: datetime) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=_api_key_key(prefix),
            UpdateExpression="SET last_used_at = :at",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":at": {"S": at.isoformat()}},
        )

    def take_request(self, publisher_id: str, window: str, limit: int) -> bool:
        expires = int(datetime.strptime(window, "%Y%m%d%H%M").replace(tzinfo=UTC).timestamp())
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"RATE#{publisher_id}"}, "sk": {"S": window}},
                UpdateExpression="ADD requests :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(requests) OR requests < :limit",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":expires": {"N": str(expires + 3600)},
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


class ApiGatewayUsageKeys:
    """Publishers' API keys in the ingest API's usage plan (the only apigateway caller)."""

    def __init__(self, apigateway: Any, usage_plan_id: str) -> None:
        self._apigateway = apigateway
        self._plan = usage_plan_id

    def create(self, publisher_id: str) -> UsageKey:
        created = self._apigateway.create_api_key(
            name=publisher_id,
            description="Usage plan key of a publisher (never sent by it).",
            enabled=True,
            generateDistinctId=True,
        )
        try:
            self._apigateway.create_usage_plan_key(
                usagePlanId=self._plan, keyId=created["id"], keyType="API_KEY"
            )
        except BaseException:
            self._ignoring_not_found(self._apigateway.delete_api_key, apiKey=created["id"])
            raise
        return UsageKey(key_id=created["id"], value=created["value"])

    def delete(self, key_id: str) -> None:
        """Take the key out of the plan, then delete it; already gone is fine."""
        self._ignoring_not_found(
            self._apigateway.delete_usage_plan_key, usagePlanId=self._plan, keyId=key_id
        )
        self._ignoring_not_found(self._apigateway.delete_api_key, apiKey=key_id)

    @staticmethod
    def _ignoring_not_found(call: Any, **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as error:
            if error.response["Error"]["Code"] != "NotFoundException":
                raise
