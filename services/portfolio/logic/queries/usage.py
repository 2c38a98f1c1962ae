"""Usage: the targets with the coverage of each year, and the consumption records."""

from __future__ import annotations

from collections.abc import Iterator

from common.access import Area, UserPrincipal
from services.portfolio.logic.ports import AggregateKind, Listing, ListRead
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import cursors_for, every_row, page_of
from services.portfolio.logic.targets import usage_of
from services.portfolio.models.domain import Consumption
from services.portfolio.models.queries import ConsumptionQuery
from services.portfolio.models.views import ListPage, Usage

USAGE_KINDS = frozenset({AggregateKind.RETIRED, AggregateKind.CONSUMPTION, AggregateKind.TARGETS})


def usage(reads: Reads, caller: UserPrincipal, account_id: str) -> Usage:
    """Targets and coverage per year (one read of the account's aggregates)."""
    reads.allow(caller, account_id, Area.USAGE_TARGETS)
    return usage_of(reads.store.aggregates(account_id, USAGE_KINDS))


def _records(account_id: str) -> ListRead[Consumption]:
    return ListRead(Listing.CONSUMPTION, account_id, Consumption)


def list_consumption(
    reads: Reads, caller: UserPrincipal, account_id: str, query: ConsumptionQuery
) -> ListPage[Consumption]:
    reads.allow(caller, account_id, Area.USAGE_TARGETS)
    cursors = cursors_for(reads, caller, account_id, "consumption", query)
    return page_of(reads.store, _records(account_id), None, cursors, query.cursor, query.limit)


def export_consumption(
    reads: Reads, caller: UserPrincipal, account_id: str
) -> Iterator[Consumption]:
    reads.allow(caller, account_id, Area.USAGE_TARGETS)
    return every_row(reads.store, _records(account_id), None)
