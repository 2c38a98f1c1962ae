"""Instants written as text that sorts as time: DynamoDB keys, leases and conditions compare
them as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def sortable_instant(value: datetime) -> str:
    """A fixed-width UTC form (microseconds, `Z`): compared as strings, later is greater."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
