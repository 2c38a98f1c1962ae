"""Trades: the filtered list (and its export), reference search, one trade's detail.

Access paths (ACCESS_PATTERNS.md): with no filter but `status` and the date range, the
trades themselves, by trade date (`status` from the facet index, the range as a key
range) or by volume: one request per page. With any other filter, the trades' filter
entries (small: thousands per request) are read on until the page is full (paging.py),
then the page's trades are read by reference. With `q`, the reference search entries
(every entry read matches `q`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from common.access import Access, Area, UserPrincipal
from common.errors import NotFound, TooLarge
from contracts.events import provisioning as prov
from services.portfolio.logic.billing import status_of
from services.portfolio.logic.facts import Fact
from services.portfolio.logic.ports import (
    DateRange,
    Listing,
    ListRead,
    Order,
    Position,
    ReadModel,
)
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    EXPORT_MAX_ROWS,
    Cursors,
    all_of,
    cursors_for,
    every_row,
    fill_page,
    nothing_found_within_budget,
    page_of,
)
from services.portfolio.models.domain import (
    DeliveryVersion,
    Trade,
    TradeEntry,
    TradeHit,
    TradeVersion,
)
from services.portfolio.models.queries import TradeQuery
from services.portfolio.models.views import LinkedInvoice, ListPage, TradeDetail

LIST_NAME = "trades"
SEARCH_MAX_REQUESTS = 4
"""Reading the search entries of `q`: beyond this, `q` is too unspecific to page."""
SEARCH_FETCHES_PER_PAGE = 4
FETCH_SIZE = 100
EntryMatcher = Callable[[TradeEntry], bool] | None
"""Filters checked on a trade's entry (or on the trade itself: it has the same fields)."""


def _dates(query: TradeQuery) -> DateRange | None:
    if query.trade_date_from is None and query.trade_date_to is None:
        return None
    return DateRange(query.trade_date_from, query.trade_date_to)


def residual(query: TradeQuery, *, status: bool, dates: bool) -> EntryMatcher:
    """The filters checked on each entry or trade read; `status` / `dates`: whether those
    must be checked too (the keys read did not answer them)."""
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


def exact_list(account_id: str, query: TradeQuery) -> ListRead[Trade] | None:
    """The trades in the query's order when the keys answer all its filters, else None."""
    descending = query.sort.startswith("-")
    if query.sort.endswith("volume"):
        if query.status or _dates(query) or residual(query, status=False, dates=False):
            return None
        return ListRead(Listing.TRADES, account_id, Trade, Order.VOLUME, descending)
    if residual(query, status=False, dates=False) is not None:
        return None
    return ListRead(
        Listing.TRADES,
        account_id,
        Trade,
        Order.DATE,
        descending,
        facet=query.status,
        dates=_dates(query),
    )


def entry_list(account_id: str, query: TradeQuery) -> tuple[ListRead[TradeEntry], EntryMatcher]:
    """The filter entries in the query's order (the date range as a key range in date
    order), and the filters left to check on each."""
    descending = query.sort.startswith("-")
    if query.sort.endswith("volume"):
        read = ListRead(Listing.TRADE_FILTER, account_id, TradeEntry, Order.VOLUME, descending)
        return read, residual(query, status=True, dates=True)
    read = ListRead(
        Listing.TRADE_FILTER, account_id, TradeEntry, Order.DATE, descending, dates=_dates(query)
    )
    return read, residual(query, status=True, dates=False)


def read_trades(store: ReadModel, account_id: str, references: Sequence[str]) -> list[Trade]:
    """The trades, in the order given (one request per 100)."""
    found: dict[str, Trade] = {}
    for start in range(0, len(references), FETCH_SIZE):
        batch = references[start : start + FETCH_SIZE]
        found |= {t.reference: t for t in store.trades(account_id, batch)}
    return [found[r] for r in references if r in found]


def list_trades(
    reads: Reads, caller: UserPrincipal, account_id: str, query: TradeQuery
) -> ListPage[Trade]:
    reads.allow(caller, account_id, Area.TRADES)
    cursors = cursors_for(reads, caller, account_id, LIST_NAME, query)
    if query.q:
        return _search_page(reads, account_id, query, cursors)
    exact = exact_list(account_id, query)
    if exact is not None:
        return page_of(reads.store, exact, None, cursors, query.cursor, query.limit)
    read, matches = entry_list(account_id, query)
    entries, resume = fill_page(
        reads.store, read, matches, cursors.start(query.cursor), query.limit
    )
    trades = read_trades(reads.store, account_id, [e.reference for e in entries])
    return ListPage(items=trades, next_cursor=cursors.after(resume))


def export_trades(
    reads: Reads, caller: UserPrincipal, account_id: str, query: TradeQuery
) -> Iterator[Trade]:
    """Every trade of the filtered list (authorized now, read as it is consumed)."""
    reads.allow(caller, account_id, Area.TRADES)
    if query.q:
        return _every_found(reads, account_id, query)
    exact = exact_list(account_id, query)
    if exact is not None:
        return every_row(reads.store, exact, None)
    return _every_entry(reads.store, account_id, *entry_list(account_id, query))


def _every_entry(
    store: ReadModel, account_id: str, read: ListRead[TradeEntry], matches: EntryMatcher
) -> Iterator[Trade]:
    batch: list[str] = []
    for entry in every_row(store, read, matches):
        batch.append(entry.reference)
        if len(batch) == FETCH_SIZE:
            yield from read_trades(store, account_id, batch)
            batch = []
    yield from read_trades(store, account_id, batch)


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
) -> tuple[TradeDetail, Access]:
    """The trade with its versions, deliveries and invoices, and the access it was read
    with (the invoices are billing figures: the response shows them only to billing
    readers). The store's key already starts with the account; the account check holds
    even if a reference contained a separator."""
    access = reads.allow(caller, account_id, Area.TRADES)
    history = reads.store.trade_history(account_id, reference)
    if history is None or history.current.account_id != account_id:
        raise NotFound()
    today = reads.today()
    versions = [f for f in history.facts if isinstance(f.data, prov.Trade)]
    detail = TradeDetail(
        trade=history.current,
        versions=[_version(f) for f in sorted(versions, key=lambda f: f.version)],
        deliveries=_deliveries(history.facts),
        invoices=[
            LinkedInvoice(summary, status_of(summary, today))
            for summary in sorted(history.invoices, key=lambda s: s.reference)
        ],
    )
    return detail, access
