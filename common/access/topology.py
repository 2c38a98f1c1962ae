"""Where the access projection lives in a consuming service's topology, and its item layout.

Items (in the consumer's table): pk `ACCESS#<account>`, sk `ACCOUNT` | `MEMBER#<sub>` |
`CAM#<sub>`, each with `status`, `sequence` and for members `role` + `permissions`; the
`ACCOUNT` item also keeps the account's `name`, an assigned CAM item the keys of the sparse
`bycam` index (`cam_subject`, `cam_account`).
A write is applied only if its event's sequence is newer than the item's, so duplicates
and reordering change nothing; revocations stay as tombstones to beat late grants.
Pure declarations: importing this module imports neither boto3 nor an HTTP layer.
"""

from __future__ import annotations

from common.topology import Function, Index, Subscription, Table
from contracts.events import identity as events

ACCESS_HANDLER = "common.access.handler.handler"
"""The one consumer every service runs for its projection (`common/access/handler.py`)."""

PROJECTION_PK_PREFIX = "ACCESS#"
ACCOUNT_SK = "ACCOUNT"
MEMBER_ACTIVE = "active"
MEMBER_REVOKED = "revoked"
CAM_ASSIGNED = "assigned"
CAM_UNASSIGNED = "unassigned"

CAM_ACCOUNTS_INDEX = "bycam"
"""Sparse GSI of an access table declared with `access_table(cam_accounts=True)`: only a
CAM item whose latest event is `CamAssigned` carries its keys, so querying it by a CAM's
subject lists exactly the accounts assigned to that CAM (account id order)."""
CAM_INDEX_PK = "cam_subject"
CAM_INDEX_SK = "cam_account"

ACCESS_EVENT_TYPES = (
    events.ACCOUNT_CREATED,
    events.ACCOUNT_SUSPENDED,
    events.ACCOUNT_REACTIVATED,
    events.ACCESS_GRANTED,
    events.ACCESS_CHANGED,
    events.ACCESS_REVOKED,
    events.CAM_ASSIGNED,
    events.CAM_UNASSIGNED,
)
ACCESS_DETAIL_TYPES = tuple(t.detail_type for t in ACCESS_EVENT_TYPES)


def access_table(name: str = "access", *, cam_accounts: bool = False) -> Table:
    """The projection table to add to a consuming service's topology; `cam_accounts`
    declares the sparse index listing a CAM's assigned accounts (`CAM_ACCOUNTS_INDEX`)."""
    indexes = (
        (Index(name=CAM_ACCOUNTS_INDEX, partition_key=CAM_INDEX_PK, sort_key=CAM_INDEX_SK),)
        if cam_accounts
        else ()
    )
    return Table(name=name, indexes=indexes)


def access_subscription(function: str, name: str = "access-events") -> Subscription:
    """The subscription that feeds the projection (identity's access events)."""
    return Subscription(
        name=name,
        detail_types=ACCESS_DETAIL_TYPES,
        sources=(events.ACCOUNT_CREATED.source,),
        function=function,
    )


def member_sk(subject: str) -> str:
    return f"MEMBER#{subject}"


def cam_sk(subject: str) -> str:
    return f"CAM#{subject}"


def access_function(name: str = "access") -> Function:
    """The function that keeps the projection (the same handler in every service)."""
    return Function(name=name, handler=ACCESS_HANDLER)
