"""Writing many conditional items at once: TransactWriteItems in chunks of 100, and when
some conditions fail (the item exists already, the delivery moved on), the rest again
without them. Returns the indexes that were written."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from common.errors import Unavailable

CHUNK = 100
ATTEMPTS = 6


def transact(client: Any, actions: Sequence[dict[str, Any]]) -> list[int]:
    written: list[int] = []
    for start in range(0, len(actions), CHUNK):
        written += [start + i for i in _chunk(client, actions[start : start + CHUNK])]
    return written


def _chunk(client: Any, actions: Sequence[dict[str, Any]]) -> list[int]:
    pending = list(range(len(actions)))
    for attempt in range(ATTEMPTS):
        if not pending:
            return []
        try:
            client.transact_write_items(TransactItems=[actions[i] for i in pending])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []
            failed = {
                pending[i]
                for i, reason in enumerate(reasons)
                if reason.get("Code") == "ConditionalCheckFailed"
            }
            if failed:
                pending = [i for i in pending if i not in failed]
            else:  # a conflict with another transaction: back off with jitter, then again
                time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311
            continue
        return pending
    raise Unavailable("The store is busy; retry.", retry_after_seconds=1)
