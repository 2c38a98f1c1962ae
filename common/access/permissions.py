"""The shared permission vocabulary: areas x actions, written `area:action`."""

from __future__ import annotations

from enum import StrEnum


class Area(StrEnum):
    PORTFOLIO = "portfolio"
    TRADES = "trades"
    DOCUMENTS = "documents"
    BILLING = "billing"
    USAGE_TARGETS = "usage_targets"
    USERS = "users"
    NOTIFICATIONS = "notifications"


class Action(StrEnum):
    READ = "read"
    MANAGE = "manage"


def permission(area: Area, action: Action) -> str:
    """The wire form of one permission, e.g. `trades:read`."""
    return f"{area.value}:{action.value}"
