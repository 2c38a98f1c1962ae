"""Overdue totals are exact for any number of invoices, and cost the same whatever it is:
the projector keeps what open invoices owe per due date and currency, and the financials
and the summary sum those up to today (`logic/billing.currency_totals`). The test has more
overdue invoices than the listed ones (`OVERDUE_LISTED`) and than a page of the invoice
list, published out of order with duplicates and with versions that pay an invoice or move
its due date."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.portfolio.models.views import OVERDUE_LISTED
from tests.integration.portfolio.conftest import ADMIN, FINANCE, Portfolio, running_portfolio
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.portfolio.portfolio_factories import envelope, invoice

pytestmark = pytest.mark.integration

ACCOUNT = "acct-overdue"
INVOICES = 80
CENT = Decimal("0.01")


def history(today: date) -> tuple[list[Any], dict[str, Any]]:
    """Invoices due on ~40 days around today in two currencies, some paid or part paid,
    and second versions that pay one or move its due date; with the latest of each."""
    rng = random.Random(13)
    latest: dict[str, Any] = {}
    events: list[Any] = []
    for number in range(INVOICES):
        reference = f"INV-{number:04d}"
        due = today + timedelta(days=rng.randint(-60, 15))
        gross = Decimal(rng.randint(1_000, 500_000)) * CENT
        paid = rng.choice([None, None, None, str(gross), str((gross / 3).quantize(CENT))])
        first = invoice(ACCOUNT, reference, "T-1", gross=str(gross), paid=paid, due_date=due)
        if number % 2:
            first = first.model_copy(update={"currency": "USD"})
        latest[reference] = first
        events.append(envelope(first))
        if number % 9 == 0:
            moved = rng.choice([today + timedelta(days=5), today - timedelta(days=90)])
            second = invoice(
                ACCOUNT, reference, "T-1", gross=str(gross), version=2, due_date=moved
            ).model_copy(update={"currency": first.currency})
            if number % 18 == 0:
                second = invoice(
                    ACCOUNT, reference, "T-1", gross=str(gross), paid=str(gross), version=2
                ).model_copy(update={"currency": first.currency, "due_date": first.due_date})
            latest[reference] = second
            events.append(envelope(second))
    rng.shuffle(events)
    return [*events, *events[:10]], latest


def owed(found: Any) -> Decimal:
    paid: Decimal = sum((p.amount for p in found.payments), Decimal(0))
    gross: Decimal = found.gross_amount
    return gross - paid


@pytest.fixture(scope="module")
def book(tokens: Tokens) -> Iterator[tuple[Portfolio, dict[str, Any], date]]:
    with running_portfolio(tokens) as portfolio:
        portfolio.create_account(ACCOUNT)
        portfolio.grant(ACCOUNT, "fiona", "finance", FINANCE)
        portfolio.grant(ACCOUNT, "alice", "admin", ADMIN)
        today = date.today()
        events, latest = history(today)
        portfolio.publish(*events)
        yield portfolio, latest, today


def test_overdue_totals_are_exact_beyond_every_page_and_list(
    book: tuple[Portfolio, dict[str, Any], date],
) -> None:
    portfolio, latest, today = book
    overdue = sorted(
        (i for i in latest.values() if i.due_date < today and owed(i) > 0),
        key=lambda i: (i.due_date, i.reference),
    )
    assert len(overdue) > OVERDUE_LISTED + 10, "the book must outgrow what the pages list"
    expected = {
        currency: (
            str(sum((owed(i) for i in overdue if i.currency == currency), Decimal(0))),
            sum(1 for i in overdue if i.currency == currency),
        )
        for currency in ("EUR", "USD")
    }
    account = {"account_id": ACCOUNT}
    status, money, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/financials", "fiona", **account
    )
    assert status == 200, money
    assert {c["currency"]: (c["overdue"], c["overdue_count"]) for c in money["currencies"]} == (
        expected
    )
    oldest = [i.reference for i in overdue[:OVERDUE_LISTED]]
    assert [i["reference"] for i in money["overdue_invoices"]] == oldest
    status, summary, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/summary", "alice", **account
    )
    assert status == 200, summary
    assert {c["currency"]: (c["overdue"], c["overdue_count"]) for c in summary["currencies"]} == (
        expected
    )
    assert [i["reference"] for i in summary["overdue_invoices"]] == oldest
    listed: list[str] = []
    cursor: dict[str, str] = {}
    while True:
        status, page, _ = portfolio.call(
            "GET",
            "/v1/accounts/{account_id}/invoices",
            "fiona",
            {"state": "overdue", "limit": "10", **cursor},
            **account,
        )
        assert status == 200, page
        listed += [i["reference"] for i in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = {"cursor": page["next_cursor"]}
    assert sorted(listed) == sorted(i.reference for i in overdue)


def test_duplicated_events_leave_the_due_date_counters_unchanged(
    book: tuple[Portfolio, dict[str, Any], date],
) -> None:
    portfolio, _, today = book
    call = ("GET", "/v1/accounts/{account_id}/financials", "fiona")
    before = portfolio.call(*call, account_id=ACCOUNT)[1]
    portfolio.publish(*history(today)[0][:20])
    assert portfolio.call(*call, account_id=ACCOUNT)[1] == before
