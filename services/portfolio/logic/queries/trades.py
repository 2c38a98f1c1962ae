"""Trades: the filtered list (and its export), reference search, one trade's detail.

Access paths (ACCESS_PATTERNS.md): by trade date (`status` from the facet index, the date
range as a key range), by volume, or, with `q`, from the reference search entries (every
entry read matches `q`); other filters are checked on the rows read (paging.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from common.access import Area, UserPrincipal
from common.errors import NotFound, TooLarge
from contracts.events import provisioning as prov
from services.portfolio.logic.billing import status_of
from services.portfolio.logic.facts import Fact
from services.portfolio.logic.ports import DateRange, Listing, ListRead, Order, Position
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    EXPORT_MAX_ROWS,
    Cursors,
    Matcher,
    all_of,
    cursors_for,
    every_row,
    nothing_found_within_budget,
    page_of,
)
from services.portfolio.models.domain import DeliveryVersion, Trade, TradeHit, TradeVersion
from services.portfolio.models.queries import TradeQuery
from services.portfolio.models.views import LinkedInvoice, ListPage, TradeDetail

LIST_NAME = "trades"
SEARCH_MAX_REQUESTS = 4
"""Reading the search entries of `q`: beyond this, `q` is too unspecific to page."""
SEARCH_FETCHES_PER_PAGE = 4
FETCH_SIZE = 100


def _dates(query: TradeQuery) -> DateRange | None:
    if query.trade_date_from is None and query.trade_date_to is None:
        return None
    return DateRange(query.trade_date_from, query.trade_date_to)


def residual(query: TradeQuery, *, status: bool, dates: bool) -> Matcher[Trade]:
    """The filters checked on each trade read; `status` / `dates`: whether those must be
    checked too (the store's keys did not answer them)."""
    date_range = _dates(query)
    vintage_from, vintage_to = query.vintage_from, query.vintage_to
    return all_of(
        (lambda t: t.side == query.side) if query.side else None,
        (lambda t: t.status == query.status) if status and query.status else None,
        (lambda t: t.scheme == query.scheme) if query.scheme else None,
        (lambda t: query.technology in t.technologies) if query.technology else None,
        (lambda t: query.country in t.countries) if query.country else None,
        (lambda t: t.vintage_to >= vintage_from) if vintage_from else None,
        (lambda t: t.vintage_from <= vintage_to) if vintage_to else None,
        (lambda t: date_range.holds(t.trade_date)) if dates and date_range else None,
    )


def trade_list(account_id: str, query: TradeQuery) -> tuple[ListRead[Trade], Matcher[Trade]]:
    """The store's list for the query's order, narrowed by its keys where they can."""
    descending = query.sort.startswith("-")
    if query.sort.endswith("volume"):
        read = ListRead(Listing.TRADES, account_id, Trade, Order.VOLUME, descending)
        return read, residual(query, status=True, dates=True)
    read = ListRead(
        Listing.TRADES,
        account_id,
        Trade,
        Order.DATE,
        descending,
        facet=query.status,
        dates=_dates(query),
    )
    return read, residual(query, status=False, dates=False)


def list_trades(
    reads: Reads, caller: UserPrincipal, account_id: str, query: TradeQuery
) -> ListPage[Trade]:
    reads.allow(caller, account_id, Area.TRADES)
    cursors = cursors_for(reads, caller, account_id, LIST_NAME, query)
    if query.q:
        return _search_page(reads, account_id, query, cursors)
    read, matches = trade_list(account_id, query)
    return page_of(reads.store, read, matches, cursors, query.cursor, query.limit)


def export_trades(
    reads: Reads, caller: UserPrincipal, account_id: str, query: TradeQuery
) -> Iterator[Trade]:
    """Every trade of the filtered list (authorized now, read as it is consumed)."""
    reads.allow(caller, account_id, Area.TRADES)
    if query.q:
        return _every_found(reads, account_id, query)
    read, matches = trade_list(account_id, query)
    return every_row(reads.store, read, matches)


# --- reference search -------------------------------------------------------------------


def _sort_key(query: TradeQuery) -> Callable[[TradeHit], tuple[date | Decimal, str]]:
    if query.sort.endswith("volume"):
        return lambda hit: (hit.volume_mwh, hit.reference)
    return lambda hit: (hit.trade_date, hit.reference)


def _found(reads: Reads, account_id: str, query: TradeQuery) -> list[TradeHit]:
    """The trades whose reference contains `q`, in the query's order and date range."""
    assert query.q is not None
    text = query.q.lower()
    hits = reads.store.search_trades(account_id, text, SEARCH_MAX_REQUESTS)
    if hits is None:
        raise TooLarge("Too many trades match this search; type more of the reference.")
    date_range = _dates(query) or DateRange()
    kept = [h for h in hits if text in h.reference.lower() and date_range.holds(h.trade_date)]
    return sorted(kept, key=_sort_key(query), reverse=query.sort.startswith("-"))


def _hit_position(hit: TradeHit, query: TradeQuery) -> Position:
    value = hit.volume_mwh if query.sort.endswith("volume") else hit.trade_date
    return {"after": [str(value), hit.reference]}


def _resume_index(hits: list[TradeHit], query: TradeQuery, start: Position | None) -> int:
    """Index of the first hit after the one a cursor names."""
    if start is None:
        return 0
    value, reference = start["after"]
    typed = Decimal(value) if query.sort.endswith("volume") else date.fromisoformat(value)
    after = (typed, reference)
    key = _sort_key(query)
    descending = query.sort.startswith("-")
    for index, hit in enumerate(hits):
        if (key(hit) < after) if descending else (key(hit) > after):
            return index
    return len(hits)


def _search_page(
    reads: Reads, account_id: str, query: TradeQuery, cursors: Cursors
) -> ListPage[Trade]:
    hits = _found(reads, account_id, query)
    index = _resume_index(hits, query, cursors.start(query.cursor))
    matches = residual(query, status=True, dates=False)
    items: list[Trade] = []
    last: TradeHit | None = None
    fetches = 0
    while index < len(hits) and len(items) < query.limit and fetches < SEARCH_FETCHES_PER_PAGE:
        size = query.limit - len(items) if matches is None else FETCH_SIZE
        batch = hits[index : index + min(size, FETCH_SIZE)]
        trades = {
            t.reference: t for t in reads.store.trades(account_id, [h.reference for h in batch])
        }
        fetches += 1
        for hit in batch:
            index += 1
            last = hit
            trade = trades.get(hit.reference)
            if trade is not None and (matches is None or matches(trade)):
                items.append(trade)
                if len(items) == query.limit:
                    break
    more = index < len(hits)
    if more and not items:
        raise nothing_found_within_budget(index)
    position = _hit_position(last, query) if more and last is not None else None
    return ListPage(items=items, next_cursor=cursors.after(position))


def _every_found(reads: Reads, account_id: str, query: TradeQuery) -> Iterator[Trade]:
    hits = _found(reads, account_id, query)
    if len(hits) > EXPORT_MAX_ROWS:
        raise TooLarge(f"More than {EXPORT_MAX_ROWS} rows; narrow the filters.")
    matches = residual(query, status=True, dates=False)
    for start in range(0, len(hits), FETCH_SIZE):
        batch = hits[start : start + FETCH_SIZE]
        trades = {
            t.reference: t for t in reads.store.trades(account_id, [h.reference for h in batch])
        }
        for hit in batch:
            trade = trades.get(hit.reference)
            if trade is not None and (matches is None or matches(trade)):
                yield trade


# --- one trade ------------------------------------------------------------------------


def _version(fact: Fact) -> TradeVersion:
    return TradeVersion.model_validate(
        {**fact.data.model_dump(), "detail_type": fact.detail_type, "occurred_at": fact.occurred_at}
    )


def _deliveries(facts: list[Fact]) -> list[DeliveryVersion]:
    by_reference: dict[str, list[tuple[Fact, prov.Delivery]]] = {}
    for fact in facts:
        if isinstance(fact.data, prov.Delivery):
            by_reference.setdefault(fact.data.reference, []).append((fact, fact.data))
    deliveries = []
    for _, history in sorted(by_reference.items()):
        ordered = sorted(history, key=lambda pair: pair[1].version)
        newest, data = ordered[-1]
        deliveries.append(
            DeliveryVersion.model_validate(
                {
                    **data.model_dump(),
                    "detail_type": newest.detail_type,
                    "occurred_at": newest.occurred_at,
                    "history": [{"version": d.version, "status": d.status} for _, d in ordered],
                }
            )
        )
    return deliveries


def trade_detail(
    reads: Reads, caller: UserPrincipal, account_id: str, reference: str
) -> TradeDetail:
    """The trade with its versions, deliveries and invoices. The store's key already starts
    with the account; the account check holds even if a reference contained a separator."""
    reads.allow(caller, account_id, Area.TRADES)
    history = reads.store.trade_history(account_id, reference)
    if history is None or history.current.account_id != account_id:
        raise NotFound()
    today = reads.today()
    versions = [f for f in history.facts if isinstance(f.data, prov.Trade)]
    return TradeDetail(
        trade=history.current,
        versions=[_version(f) for f in sorted(versions, key=lambda f: f.version)],
        deliveries=_deliveries(history.facts),
        invoices=[
            LinkedInvoice(summary, status_of(summary, today))
            for summary in sorted(history.invoices, key=lambda s: s.reference)
        ],
    )
