"""Per-caller request budgets on the user APIs (issue 11: 429 + `Retry-After`, not only on
ingest).

Each authenticated user (the token's `sub`, across accounts) has a fixed-window budget of
requests per minute on each service. The gate (`common.gate`) takes one request from it
after authenticating the caller and before anything else; over budget the answer is 429
`rate_limited` with `Retry-After` = the seconds left in the window (503 `unavailable` with
Retry-After while the counters' table refuses for now: throttled, unreachable). The
counters live in the service's own `rate-limits` table (declared with `rate_limit_table()`
in its topology, so the CDK stacks and the local runtime create it and pass its name),
expiring by TTL.

API Gateway's stage throttling stays as the whole API's ceiling, above these budgets.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

import boto3
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as NetworkError

from common.errors import Unavailable
from common.topology import Table

RATE_LIMITS_TABLE = "rate-limits"
WINDOW_SECONDS = 60
DEFAULT_REQUESTS_PER_MINUTE = 300
"""Five a second, sustained for a minute: far above what the web app sends (a page makes a
handful of calls), far below what a script flooding one service would."""
REQUESTS_PER_MINUTE_ENV = "SCTS_USER_REQUESTS_PER_MINUTE"
TRANSIENT_STORE_ERRORS = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
"""Errors of the counters' table that heal by themselves: the request is answered 503 with
Retry-After (the caller may come back), not 500. Other errors (a missing table, a denied
permission) stay failures that page someone."""


def rate_limit_table() -> Table:
    """The counters' table, for a service topology with user routes."""
    return Table(
        name=RATE_LIMITS_TABLE, partition_key="pk", sort_key=None, ttl_attribute="expires_at"
    )


class CallerBudget(Protocol):
    def take(self, caller: str, now: float) -> int | None:
        """None if the caller may go on; else the seconds until its budget refills."""
        ...


def seconds_left(now: float) -> int:
    return max(1, WINDOW_SECONDS - int(now) % WINDOW_SECONDS)


class DynamoCallerBudget:
    """One conditional counter increment per request (a fixed window per caller)."""

    def __init__(self, table_name: str, per_minute: int, client: Any | None = None) -> None:
        self._table = table_name
        self._limit = per_minute
        self._client = client or boto3.client("dynamodb")

    def take(self, caller: str, now: float) -> int | None:
        window = int(now) // WINDOW_SECONDS
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"CALLER#{caller}#{window}"}},
                UpdateExpression="ADD requests :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(requests) OR requests < :limit",
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(self._limit)},
                    ":expires": {"N": str((window + 2) * WINDOW_SECONDS)},
                },
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException":
                return seconds_left(now)
            if code in TRANSIENT_STORE_ERRORS:
                raise Unavailable("Try again shortly.", retry_after_seconds=1) from error
            raise
        except (NetworkError, HTTPClientError) as error:
            raise Unavailable("Try again shortly.", retry_after_seconds=1) from error
        return None


def budget_from_env() -> DynamoCallerBudget:
    """The service's budget, from the environment its topology gives every function."""
    table = rate_limit_table()
    name = os.environ.get(table.env_var)
    if not name:
        raise RuntimeError(f"{table.env_var} is not set: the topology declares no rate limits")
    per_minute = int(os.environ.get(REQUESTS_PER_MINUTE_ENV, DEFAULT_REQUESTS_PER_MINUTE))
    return DynamoCallerBudget(name, per_minute)
