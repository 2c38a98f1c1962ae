"""DynamoDB access shared by the documents stores: low-level client, (de)serialization,
paginated queries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=CLIENT_CONFIG)


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """Plain values -> DynamoDB attribute values (None values are left out)."""
    return {
        key: _SERIALIZER.serialize(Decimal(value) if isinstance(value, float) else value)
        for key, value in values.items()
        if value is not None
    }


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _DESERIALIZER.deserialize(value) for key, value in item.items()}


def query_items(client: Any, **request: Any) -> Iterator[dict[str, Any]]:
    """Every item a query returns, page after page (deserialized)."""
    while True:
        response = client.query(**request)
        for item in response.get("Items", []):
            yield from_item(item)
        last = response.get("LastEvaluatedKey")
        if not last:
            return
        request["ExclusiveStartKey"] = last


def transaction_cancelled(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code") in {
        "TransactionCanceledException",
        "ConditionalCheckFailedException",
    }
