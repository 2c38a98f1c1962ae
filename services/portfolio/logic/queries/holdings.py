"""Holdings: positions per lot grouped by the asked dimensions, the batch drill-down, and
the forward deals (trades with volume still to deliver)."""

from __future__ import annotations

from collections.abc import Iterator

from common.access import Area, UserPrincipal
from common.errors import FieldProblem, InvalidInput, TooLarge
from services.portfolio.logic.holdings import flag_late, flagged, group_holdings, lot_positions
from services.portfolio.logic.ports import AggregateKind, Listing, ListRead
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    Matcher,
    all_of,
    cursors_for,
    every_row,
    page_of,
)
from services.portfolio.logic.reconciliation import reconcile
from services.portfolio.models.domain import BatchMovement, ForwardDeal, Lot
from services.portfolio.models.queries import (
    BatchQuery,
    ForwardDealQuery,
    HoldingsQuery,
    ReconciliationQuery,
)
from services.portfolio.models.views import Holdings, ListPage, Reconciliation

BATCH_FILTERS = ("scheme", "registry_account", "technology", "country", "vintage", "movement")
RECONCILIATION_MAX_MOVEMENTS = 10_000
"""Movements one reconciliation lists (each ~200-400 bytes of JSON): more would not fit in
one answer (Lambda fails answers over 6 MB), so the period must be narrowed (413); the
flows are always summed from every movement read."""


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


def reconciliation(
    reads: Reads, caller: UserPrincipal, account_id: str, query: ReconciliationQuery
) -> Reconciliation:
    """The lots' flows over the period: the lot counters (1 Query) and every batch movement
    (the drill-down list to its end, as an export reads it)."""
    reads.allow(caller, account_id, Area.PORTFOLIO)
    lots = reads.store.aggregates(account_id, frozenset({AggregateKind.LOTS})).lots
    wanted = {name: getattr(query, name) for name in ("scheme", "registry_account")}
    wanted = {name: value for name, value in wanted.items() if value}

    def matches(row: Lot | BatchMovement) -> bool:
        return all(getattr(row, name) == value for name, value in wanted.items())

    moves = every_row(reads.store, ListRead(Listing.BATCHES, account_id, BatchMovement), matches)
    last_day = query.date_to or reads.today()
    if query.date_from and query.date_from > last_day:
        raise InvalidInput([FieldProblem("query.date_from", "is after date_to (default: today)")])
    found = reconcile([lot for lot in lots if matches(lot)], moves, query.date_from, last_day)
    listed = sum(len(lot.movements) for lot in found.lots)
    if listed > RECONCILIATION_MAX_MOVEMENTS:
        raise TooLarge(
            f"The period has {listed} movements, more than the "
            f"{RECONCILIATION_MAX_MOVEMENTS} one answer lists; narrow it with date_from and "
            "date_to (or a scheme or registry account)."
        )
    return found


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
    page = page_of(reads.store, read, matches, cursors, query.cursor, query.limit)
    return ListPage(flag_late(page.items, reads.today()), page.next_cursor)


def export_forward_deals(
    reads: Reads, caller: UserPrincipal, account_id: str, query: ForwardDealQuery
) -> Iterator[ForwardDeal]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    today = reads.today()
    return (flagged(deal, today) for deal in every_row(reads.store, *_forward(account_id, query)))
