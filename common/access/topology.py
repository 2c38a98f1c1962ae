"""Where the access projection lives in a consuming service's topology, and its item layout.

Items (in the consumer's table): pk `ACCESS#<account>`, sk `ACCOUNT` | `MEMBER#<sub>` |
`CAM#<sub>`, each with `status`, `sequence` and for members `role` + `permissions`; and
`PERSON#<sub>` with the member's `email` (from AccessGranted: what a page shows for a person).
A write is applied only if its event's sequence is newer than the item's, so duplicates
and reordering change nothing; revocations stay as tombstones to beat late grants.
Pure declarations: importing this module imports neither boto3 nor an HTTP layer.
"""

from __future__ import annotations

from common.topology import Access, Function, Subscription, Table, read_write
from contracts.events import identity as events

ACCESS_HANDLER = "common.access.handler.handler"
"""The one consumer every service runs for its projection (`common/access/handler.py`)."""

PROJECTION_PK_PREFIX = "ACCESS#"
ACCOUNT_SK = "ACCOUNT"
MEMBER_ACTIVE = "active"
MEMBER_REVOKED = "revoked"
CAM_ASSIGNED = "assigned"
CAM_UNASSIGNED = "unassigned"

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


def access_table(name: str = "access") -> Table:
    """The projection table to add to a consuming service's topology."""
    return Table(name=name)


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


def person_sk(subject: str) -> str:
    return f"PERSON#{subject}"


def access_function(name: str = "access", table: str = "access") -> Function:
    """The function that keeps the projection (the same handler in every service): it
    writes the projection table and touches nothing else."""
    return Function(name=name, handler=ACCESS_HANDLER, access=Access(tables=read_write(table)))
