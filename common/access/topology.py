"""Where the access projection lives in a consuming service's topology: its table (with the
optional CAM index), the subscription to identity's access events and the one function
that keeps it. The item layout is `common.access.keys`. Only topologies import this
module (it builds topology models), never a function at run time.
"""

from __future__ import annotations

from common.access.keys import CAM_ACCOUNTS_INDEX, CAM_INDEX_PK, CAM_INDEX_SK
from common.topology import Access, Function, Index, Subscription, Table, read_write
from contracts.events import identity as events

ACCESS_HANDLER = "common.access_handler.handler"
"""The one consumer every service runs for its projection (`common/access_handler.py`,
outside the `common.access` package: importing that package loads pydantic before the
batch utility, see `common/consumer.py`)."""

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


def access_function(name: str = "access", table: str = "access") -> Function:
    """The function that keeps the projection (the same handler in every service): it
    writes the projection table and touches nothing else."""
    return Function(name=name, handler=ACCESS_HANDLER, access=Access(tables=read_write(table)))
