"""The item (de)serialization and client every portfolio adapter shares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def from_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def dynamodb_client() -> Any:
    return boto3.client("dynamodb")


def scan_items(client: Any, table: str, **request: Any) -> Iterator[dict[str, Any]]:
    """Every item of a table (all pages, boto3's paginator), deserialized."""
    for page in client.get_paginator("scan").paginate(TableName=table, **request):
        yield from (from_dynamo(item) for item in page["Items"])
