"""Areas, actions and the built-in roles: named permission sets over areas x actions."""

from __future__ import annotations

from enum import StrEnum

from common.access.permissions import Action, Area, permission


class RoleName(StrEnum):
    ADMIN = "admin"
    TRADER = "trader"
    FINANCE = "finance"
    VIEWER = "viewer"


def _expand(grants: dict[Area, Action]) -> frozenset[str]:
    """`manage` implies `read`: the set always lists both, so consumers test membership only."""
    resolved = set()
    for area, action in grants.items():
        resolved.add(permission(area, Action.READ))
        if action is Action.MANAGE:
            resolved.add(permission(area, Action.MANAGE))
    return frozenset(resolved)


BUILT_IN_ROLES: dict[RoleName, frozenset[str]] = {
    RoleName.ADMIN: _expand(dict.fromkeys(Area, Action.MANAGE)),
    RoleName.TRADER: _expand(
        {
            Area.PORTFOLIO: Action.READ,
            Area.TRADES: Action.MANAGE,
            Area.DOCUMENTS: Action.READ,
            Area.USAGE_TARGETS: Action.READ,
            Area.NOTIFICATIONS: Action.READ,
        }
    ),
    RoleName.FINANCE: _expand({Area.BILLING: Action.MANAGE}),
    RoleName.VIEWER: _expand(
        {
            Area.PORTFOLIO: Action.READ,
            Area.TRADES: Action.READ,
            Area.DOCUMENTS: Action.READ,
            Area.BILLING: Action.READ,
            Area.USAGE_TARGETS: Action.READ,
            Area.NOTIFICATIONS: Action.READ,
        }
    ),
}

ROLE_DESCRIPTIONS: dict[RoleName, str] = {
    RoleName.ADMIN: "Everything in the account, including inviting people and the audit log.",
    RoleName.TRADER: "Manages trades; reads portfolio, documents, usage and targets.",
    RoleName.FINANCE: "Billing only: invoices, credit notes and payments.",
    RoleName.VIEWER: "Reads everything except the account's users.",
}

ADMIN_ROLE = RoleName.ADMIN


def permissions_for(role: RoleName) -> list[str]:
    """The sorted permission list a role resolves to (what events and /v1/me carry)."""
    return sorted(BUILT_IN_ROLES[role])
