"""Totals follow an amendment that moves an entity to another group: an invoice amended to
another currency, a retirement amended to another reporting year. The group it left is
gone from the totals (its counters are zero, which readers treat as absent), as if the
entity had always been in the new one; any order of arrival, with duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.portfolio.conftest import ADMIN, Portfolio
from tests.unit.portfolio.portfolio_factories import envelope, invoice, retirement

pytestmark = pytest.mark.integration

ACCOUNT = "acct-amended"


def opened(portfolio: Portfolio) -> Portfolio:
    portfolio.create_account(ACCOUNT)
    portfolio.grant(ACCOUNT, "alice", "admin", ADMIN)
    return portfolio


def read(portfolio: Portfolio, route: str) -> dict[str, Any]:
    status, body, _ = portfolio.call(
        "GET", f"/v1/accounts/{{account_id}}/{route}", "alice", account_id=ACCOUNT
    )
    assert status == 200, body
    result: dict[str, Any] = body
    return result


@pytest.mark.parametrize("amendment_first", [False, True])
def test_an_invoice_amended_to_another_currency_leaves_no_totals_in_the_first(
    portfolio: Portfolio, amendment_first: bool
) -> None:
    issued = envelope(invoice(ACCOUNT, "INV-1", "T-1", gross="100.00"))
    amended = envelope(
        invoice(ACCOUNT, "INV-1", "T-1", gross="100.00", version=2).model_copy(
            update={"currency": "USD"}
        )
    )
    events = [amended, issued] if amendment_first else [issued, amended]
    opened(portfolio).publish(*events, *events)
    invoices = read(portfolio, "invoices")["items"]
    assert [(i["currency"], i["outstanding_amount"]) for i in invoices] == [("USD", "100.00")]
    for route in ("financials", "summary"):
        totals = read(portfolio, route)["currencies"]
        assert [(c["currency"], c["invoiced"], c["outstanding"]) for c in totals] == [
            ("USD", "100.00", "100.00")
        ], route


@pytest.mark.parametrize("amendment_first", [False, True])
def test_a_retirement_amended_to_another_reporting_year_leaves_no_row_for_the_first(
    portfolio: Portfolio, amendment_first: bool
) -> None:
    first = envelope(retirement(ACCOUNT, "RET-1", 10, year=2025))
    moved = retirement(ACCOUNT, "RET-1", 10, year=2026).model_copy(update={"version": 2})
    amended = envelope(moved)
    events = [amended, first] if amendment_first else [first, amended]
    opened(portfolio).publish(*events, *events)
    retirements = read(portfolio, "retirements")["items"]
    assert [(r["reporting_year"], r["volume_mwh"]) for r in retirements] == [(2026, "10.000")]
    for route in ("usage", "summary"):
        coverage = read(portfolio, route)["coverage"]
        assert [(c["year"], c["retired_mwh"]) for c in coverage] == [(2026, "10.000")], route
