"""Creating a topology table under any name, with the same request the runtime uses."""

from __future__ import annotations

from typing import Any

from common.topology import Table
from infra.shape.resources import table_request


def create_table(dynamodb: Any, name: str, table: Table) -> None:
    """`dynamodb` is a low-level boto3 DynamoDB client (moto or DynamoDB Local)."""
    dynamodb.create_table(**table_request(name, table))
