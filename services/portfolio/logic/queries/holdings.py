"""Holdings: positions per lot grouped by the asked dimensions, the batch drill-down, and
the forward deals (trades with volume still to deliver)."""

from __future__ import annotations

from collections.abc import Iterator

from common.access import Area, UserPrincipal
from services.portfolio.logic.holdings import group_holdings, lot_positions
from services.portfolio.logic.ports import AggregateKind, Listing, ListRead
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    Matcher,
    all_of,
    cursors_for,
    every_row,
    page_of,
)
from services.portfolio.models.domain import BatchMovement, ForwardDeal
from services.portfolio.models.queries import BatchQuery, ForwardDealQuery, HoldingsQuery
from services.portfolio.models.views import Holdings, ListPage

BATCH_FILTERS = ("scheme", "registry_account", "technology", "country", "vintage", "movement")


def holdings(
    reads: Reads, caller: UserPrincipal, account_id: str, query: HoldingsQuery
) -> Holdings:
    """One read of the account's lots; buckets and groups computed here."""
    reads.allow(caller, account_id, Area.PORTFOLIO)
    lots = reads.store.aggregates(account_id, frozenset({AggregateKind.LOTS})).lots
    return group_holdings(lot_positions(lots, reads.today()), query.dimensions)


def _batches(
    account_id: str, query: BatchQuery
) -> tuple[ListRead[BatchMovement], Matcher[BatchMovement]]:
    wanted = {name: getattr(query, name) for name in BATCH_FILTERS if getattr(query, name)}

    def matches(batch: BatchMovement) -> bool:
        return all(getattr(batch, name) == value for name, value in wanted.items())

    read = ListRead(Listing.BATCHES, account_id, BatchMovement)
    return read, matches if wanted else None


def list_batches(
    reads: Reads, caller: UserPrincipal, account_id: str, query: BatchQuery
) -> ListPage[BatchMovement]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    read, matches = _batches(account_id, query)
    cursors = cursors_for(reads, caller, account_id, "batches", query)
    return page_of(reads.store, read, matches, cursors, query.cursor, query.limit)


def export_batches(
    reads: Reads, caller: UserPrincipal, account_id: str, query: BatchQuery
) -> Iterator[BatchMovement]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    return every_row(reads.store, *_batches(account_id, query))


def _forward(
    account_id: str, query: ForwardDealQuery
) -> tuple[ListRead[ForwardDeal], Matcher[ForwardDeal]]:
    read = ListRead(Listing.FORWARD_DEALS, account_id, ForwardDeal)
    return read, all_of(
        (lambda d: d.side == query.side) if query.side else None,
        (lambda d: d.scheme == query.scheme) if query.scheme else None,
    )


def list_forward_deals(
    reads: Reads, caller: UserPrincipal, account_id: str, query: ForwardDealQuery
) -> ListPage[ForwardDeal]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    read, matches = _forward(account_id, query)
    cursors = cursors_for(reads, caller, account_id, "forward", query)
    return page_of(reads.store, read, matches, cursors, query.cursor, query.limit)


def export_forward_deals(
    reads: Reads, caller: UserPrincipal, account_id: str, query: ForwardDealQuery
) -> Iterator[ForwardDeal]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    return every_row(reads.store, *_forward(account_id, query))
