"""Shared access control: identity's events projected into each service's own table, and
the guard every service runs on every request.

This package's own namespace is pure (no boto3, no HTTP): the guard, the permission
vocabulary and the topology declarations. The storage lives in `common.access.dynamo`
(an adapter) and the shared consumer in `common.access.handler`.
"""

from common.access.guard import (
    Access,
    AccessFacts,
    AccessGuard,
    AccessRoster,
    AccessSource,
    AccountRoster,
    AccountStatus,
    AssignedAccount,
    AssignedAccounts,
    CamAssignments,
    Denial,
    GrantKind,
    not_found,
)
from common.access.permissions import Action, Area, permission
from common.access.topology import (
    ACCESS_DETAIL_TYPES,
    access_function,
    access_subscription,
    access_table,
)
from common.principal import SCTS_ADMINS_GROUP, UserPrincipal, is_scts_admin

__all__ = [
    "ACCESS_DETAIL_TYPES",
    "SCTS_ADMINS_GROUP",
    "Access",
    "AccessFacts",
    "AccessGuard",
    "AccessRoster",
    "AccessSource",
    "AccountRoster",
    "AccountStatus",
    "Action",
    "Area",
    "AssignedAccount",
    "AssignedAccounts",
    "CamAssignments",
    "Denial",
    "GrantKind",
    "UserPrincipal",
    "access_function",
    "access_subscription",
    "access_table",
    "is_scts_admin",
    "not_found",
    "permission",
]
