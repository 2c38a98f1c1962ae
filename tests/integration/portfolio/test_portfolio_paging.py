"""Filtered lists find what exists (issue 10): the matches of a selective filter come on
the first page, full pages while more exist, never an empty page with a cursor; the
indexed filters (status, q, reporting year, invoice state) cost one read per page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from services.portfolio import dependencies
from tests.integration.portfolio.conftest import ADMIN, Portfolio, running_portfolio
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.portfolio.portfolio_factories import envelope, trade

pytestmark = pytest.mark.integration

A = "acct-many"
TRADES = 40
TEMPLATE = "/v1/accounts/{account_id}/trades"


def old_and_cancelled(number: int) -> bool:
    """Three of the oldest trades: with newest first, pages of 5 would reach them last."""
    return number in (1, 2, 4)


@pytest.fixture(scope="module")
def many(tokens: Tokens) -> Iterator[Portfolio]:
    with running_portfolio(tokens) as running:
        running.create_account(A)
        running.grant(A, "alice", "admin", ADMIN)
        events = []
        for number in range(TRADES):
            day = date(2025, 1, 1) + timedelta(days=number)
            events.append(envelope(trade(A, f"TR-{number:04d}", trade_date=day)))
            if old_and_cancelled(number):
                events.append(
                    envelope(trade(A, f"TR-{number:04d}", 2, status="cancelled", trade_date=day))
                )
        for start in range(0, len(events), 10):
            running.publish(*events[start : start + 10])
        yield running


def follow(portfolio: Portfolio, query: dict[str, str]) -> list[tuple[list[str], int]]:
    """Each page's references and the DynamoDB data requests it took (access check aside)."""
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    events = dependencies.dynamodb().meta.events
    events.register("before-call.dynamodb.*", count)
    pages = []
    cursor: str | None = None
    try:
        while True:
            calls.clear()
            sent = {**query, **({"cursor": cursor} if cursor else {})}
            status, page, _ = portfolio.call("GET", TEMPLATE, "alice", sent, account_id=A)
            assert status == 200, page
            pages.append(([t["reference"] for t in page["items"]], len(calls)))
            cursor = page["next_cursor"]
            if cursor is None:
                return pages
            assert page["items"], "an empty page with a cursor"
    finally:
        events.unregister("before-call.dynamodb.*", count)


def test_a_selective_status_filter_finds_its_matches_on_the_first_page(many: Portfolio) -> None:
    pages = follow(many, {"status": "cancelled", "limit": "5"})
    assert pages == [(["TR-0004", "TR-0002", "TR-0001"], 1)]


def test_a_reference_search_finds_an_old_trade_on_the_first_page(many: Portfolio) -> None:
    pages = follow(many, {"q": "r-0003", "limit": "5"})
    assert [refs for refs, _ in pages] == [["TR-0003"]]
    assert pages[0][1] <= 2  # the search entries, then the trade itself


def test_search_pages_are_full_while_more_match(many: Portfolio) -> None:
    pages = follow(many, {"q": "tr-00", "limit": "7", "sort": "volume"})
    sizes = [len(refs) for refs, _ in pages]
    assert sum(sizes) == TRADES
    assert all(size == 7 for size in sizes[:-1])
    assert len({r for refs, _ in pages for r in refs}) == TRADES


def test_a_filter_checked_on_each_row_still_fills_its_pages(many: Portfolio) -> None:
    pages = follow(many, {"side": "buy", "country": "NL", "limit": "15", "sort": "-volume"})
    assert [len(refs) for refs, _ in pages] == [15, 15, 10]
    assert all(requests <= 5 for _, requests in pages)


def test_a_filter_nothing_matches_ends_on_an_empty_page_without_a_cursor(many: Portfolio) -> None:
    """All trades here are buys: the filter entries are read to their end (10, then 40)."""
    pages = follow(many, {"side": "sell", "limit": "5", "sort": "volume"})
    assert [refs for refs, _ in pages] == [[]]
    assert pages[0][1] == 2
