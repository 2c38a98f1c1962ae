"""Shared access control: identity's events projected into each service's own table, and
the guard every service runs on every request (see guard.py and projection.py)."""

from common.access.guard import (
    SCTS_ADMINS_GROUP,
    Access,
    AccessFacts,
    AccessGuard,
    AccessSource,
    AccountStatus,
    Denial,
    GrantKind,
    is_scts_admin,
    not_found,
)
from common.access.permissions import Action, Area, permission
from common.access.projection import (
    ACCESS_DETAIL_TYPES,
    AccessProjection,
    DynamoAccessSource,
    access_subscription,
    access_table,
)

__all__ = [
    "ACCESS_DETAIL_TYPES",
    "SCTS_ADMINS_GROUP",
    "Access",
    "AccessFacts",
    "AccessGuard",
    "AccessProjection",
    "AccessSource",
    "AccountStatus",
    "Action",
    "Area",
    "Denial",
    "DynamoAccessSource",
    "GrantKind",
    "access_subscription",
    "access_table",
    "is_scts_admin",
    "not_found",
    "permission",
]
