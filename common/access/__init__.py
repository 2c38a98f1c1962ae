"""Shared access control: identity's events projected into each service's own table, and
the guard every service runs on every request.

This package's own namespace is pure (no boto3, no HTTP): the guard and the permission
vocabulary. The topology declarations live in `common.access.topology` (only topologies
import them, so a function's import never builds topology models), the storage in
`common.access.dynamo` (an adapter) and the shared consumer in `common.access_handler`.
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
from common.principal import SCTS_ADMINS_GROUP, UserPrincipal, is_scts_admin

__all__ = [
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
    "is_scts_admin",
    "not_found",
    "permission",
]
