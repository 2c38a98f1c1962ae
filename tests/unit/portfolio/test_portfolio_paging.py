"""Pages that find what exists: a filtered page keeps reading within its budget, is full
while matches remain, and is never empty with a cursor; reference search pages the same
way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from common.access import AccessFacts, AccessGuard, AccountStatus, UserPrincipal
from common.errors import TooLarge
from services.portfolio.logic.cursor import CursorSigner
from services.portfolio.logic.ports import Chunk, Listing, ListRead, Position, RowT
from services.portfolio.logic.queries import paging, trades
from services.portfolio.logic.queries.context import Reads
from services.portfolio.models.domain import Trade, TradeHit
from services.portfolio.models.queries import TradeQuery
from tests.support.access_fakes import InMemoryAssignments

pytestmark = pytest.mark.unit
ACCOUNT = "acct-a"
CALLER = UserPrincipal(sub="alice", username="alice", claims={})


class Numbered(BaseModel):
    number: int


class ListStore:
    """A list of rows read in chunks, counting requests (like the DynamoDB adapter)."""

    def __init__(self, rows: Sequence[BaseModel]) -> None:
        self.rows = list(rows)
        self.requests = 0

    def chunk(self, read: ListRead[RowT], start: Position | None, max_rows: int) -> Chunk[RowT]:
        self.requests += 1
        first = 0 if start is None else int(start["after"]) + 1
        taken = self.rows[first : first + max_rows]
        rows = [({"after": first + i}, row) for i, row in enumerate(taken)]
        resume = {"after": first + len(taken) - 1} if first + len(taken) < len(self.rows) else None
        return Chunk(rows=rows, resume=resume)  # type: ignore[arg-type]


def numbered(count: int) -> ListStore:
    return ListStore([Numbered(number=n) for n in range(count)])


def read_all_pages(store: ListStore, matches: Any, limit: int) -> tuple[list[list[int]], list[int]]:
    """Every page's numbers, and the requests each page took."""
    pages: list[list[int]] = []
    costs: list[int] = []
    start: Position | None = None
    read = ListRead(Listing.TRADES, ACCOUNT, Numbered)
    while True:
        before = store.requests
        items, start = paging.fill_page(store, read, matches, start, limit)  # type: ignore[arg-type]
        pages.append([row.number for row in items])
        costs.append(store.requests - before)
        if start is None:
            return pages, costs


def test_sparse_matches_fill_every_page_and_no_page_is_empty_with_a_cursor() -> None:
    store = numbered(3000)
    pages, costs = read_all_pages(store, lambda row: row.number % 97 == 5, limit=5)
    assert [n for page in pages for n in page] == [n for n in range(3000) if n % 97 == 5]
    assert all(len(page) == 5 for page in pages[:-1])
    assert all(page for page in pages[:-1])
    assert max(costs) <= paging.READ_BUDGET_REQUESTS


def test_without_filters_a_page_is_one_request_of_limit_rows() -> None:
    store = numbered(120)
    pages, costs = read_all_pages(store, None, limit=50)
    assert [len(p) for p in pages] == [50, 50, 20]
    assert costs == [1, 1, 1]


def test_a_budget_that_finds_nothing_is_refused_not_answered_empty_with_a_cursor() -> None:
    store = numbered(2 * paging.rows_within_budget(10))
    read = ListRead(Listing.TRADES, ACCOUNT, Numbered)
    with pytest.raises(TooLarge) as refused:
        paging.fill_page(store, read, lambda row: row.number == len(store.rows) - 1, None, 10)  # type: ignore[arg-type]
    assert "narrow the filters" in refused.value.message
    assert store.requests == paging.READ_BUDGET_REQUESTS


def test_a_budget_that_found_something_ends_a_short_page_with_a_cursor() -> None:
    """Matches further apart than a page's budget: each page holds what its budget found;
    a page whose budget finds nothing is refused (413), never empty with a cursor."""
    budget = paging.rows_within_budget(10)
    store = numbered(4 * budget)
    read = ListRead(Listing.TRADES, ACCOUNT, Numbered)
    far = budget + 100

    def matches(row: Numbered) -> bool:
        return row.number in {3, far}

    items, resume = paging.fill_page(store, read, matches, None, 10)  # type: ignore[arg-type]
    assert [row.number for row in items] == [3]
    assert resume is not None
    rest, resume = paging.fill_page(store, read, matches, resume, 10)  # type: ignore[arg-type]
    assert [row.number for row in rest] == [far]
    with pytest.raises(TooLarge):
        paging.fill_page(store, read, matches, resume, 10)  # type: ignore[arg-type]


def test_a_full_last_page_has_no_cursor() -> None:
    store = numbered(10)
    read = ListRead(Listing.TRADES, ACCOUNT, Numbered)
    items, resume = paging.fill_page(store, read, None, None, 10)  # type: ignore[arg-type]
    assert len(items) == 10
    assert resume is None


# --- reference search ---------------------------------------------------------------


def trade(number: int) -> Trade:
    return Trade(
        reference=f"TR-{number:05d}",
        account_id=ACCOUNT,
        version=1,
        status="cancelled" if number % 10 == 0 else "executed",
        side="buy",
        trade_date=date(2024, 1, 1) + timedelta(days=number % 700),
        scheme="GO",
        volume_mwh=Decimal(10 + number % 90),
        unit_price=Decimal("2.5"),
        currency="EUR",
        total=Decimal(25),
        countries=["NL"],
        technologies=["T020001"],
        vintage_from="2025-01",
        vintage_to="2025-01",
        delivery_date=date(2026, 6, 30),
        registry_account="REG-1",
        payment_due_date=date(2026, 7, 31),
        delivered_mwh=Decimal(0),
        outstanding_mwh=Decimal(10),
    )


class SearchStore:
    def __init__(self, count: int) -> None:
        self.trades_by_reference = {t.reference: t for t in map(trade, range(count))}
        self.fetches = 0

    def search_trades(self, account_id: str, text: str, max_requests: int) -> list[TradeHit]:
        return [
            TradeHit(reference=t.reference, trade_date=t.trade_date, volume_mwh=t.volume_mwh)
            for t in self.trades_by_reference.values()
            if text in t.reference.lower()
        ]

    def trades(self, account_id: str, references: Sequence[str]) -> list[Trade]:
        self.fetches += 1
        return [self.trades_by_reference[r] for r in references]


class MayRead:
    def facts(self, account_id: str, subject: str) -> AccessFacts:
        return AccessFacts(AccountStatus.ACTIVE, frozenset({"trades:read"}))


def reads(store: object) -> Reads:
    return Reads(
        guard=AccessGuard(MayRead()),
        store=store,  # type: ignore[arg-type]
        signer=lambda: CursorSigner(b"k" * 32),
        today=lambda: date(2026, 11, 22),
        assignments=InMemoryAssignments(),
    )


@pytest.mark.parametrize("sort", ["-trade_date", "trade_date", "volume", "-volume"])
def test_search_pages_are_full_in_the_asked_order_and_cover_every_match(sort: str) -> None:
    store = SearchStore(2000)
    context = reads(store)
    query = TradeQuery.model_validate(
        {"q": "tr-01", "status": "cancelled", "limit": 7, "sort": sort}
    )
    expected = [t for t in store.trades_by_reference.values() if "tr-01" in t.reference.lower()]
    expected = [t for t in expected if t.status == "cancelled"]
    seen: list[Trade] = []
    while True:
        page = trades.list_trades(context, CALLER, ACCOUNT, query)
        seen += page.items
        if page.next_cursor is None:
            break
        assert len(page.items) == 7
        query = query.model_copy(update={"cursor": page.next_cursor})
    assert sorted(t.reference for t in seen) == sorted(t.reference for t in expected)
    key = "volume_mwh" if sort.endswith("volume") else "trade_date"
    values = [(getattr(t, key), t.reference) for t in seen]
    assert values == sorted(values, reverse=sort.startswith("-"))
