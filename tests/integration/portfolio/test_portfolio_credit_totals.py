"""Currency totals add up to what the invoices themselves still owe, when a credit note
comes after the invoice was paid and when a credit note is amended to credit another
invoice (in either order of arrival)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.integration.portfolio.conftest import FINANCE, Portfolio
from tests.integration.portfolio.test_portfolio_credit_notes import ACCOUNT, credit_note
from tests.unit.portfolio.portfolio_factories import envelope, invoice

pytestmark = pytest.mark.integration


def read(portfolio: Portfolio) -> tuple[dict[str, str], dict[str, Any]]:
    """Each invoice's outstanding amount, and the EUR totals of the financials."""
    status, page, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/invoices", "fiona", account_id=ACCOUNT
    )
    assert status == 200, page
    status, money, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/financials", "fiona", account_id=ACCOUNT
    )
    assert status == 200, money
    [eur] = money["currencies"]
    return {i["reference"]: i["outstanding_amount"] for i in page["items"]}, eur


def opened(portfolio: Portfolio) -> Portfolio:
    portfolio.create_account(ACCOUNT)
    portfolio.grant(ACCOUNT, "fiona", "finance", FINANCE)
    return portfolio


def test_a_credit_after_full_payment_does_not_lower_what_other_invoices_owe(
    portfolio: Portfolio,
) -> None:
    past = date.today() - timedelta(days=5)
    opened(portfolio).publish(
        envelope(invoice(ACCOUNT, "INV-PAID", "T-1", gross="100.00", paid="100.00", due_date=past)),
        envelope(credit_note("CN-REFUND", "INV-PAID", "50.00")),
        envelope(invoice(ACCOUNT, "INV-OPEN", "T-1", gross="80.00", due_date=past)),
    )
    outstanding, eur = read(portfolio)
    assert (outstanding["INV-PAID"], outstanding["INV-OPEN"]) == ("0.00", "80.00")
    assert (eur["outstanding"], eur["overdue"]) == ("80.00", "80.00")


@pytest.mark.parametrize("amendment_first", [False, True])
def test_a_credit_note_moved_to_another_invoice_credits_only_that_one(
    portfolio: Portfolio, amendment_first: bool
) -> None:
    first = envelope(credit_note("CN-MOVED", "INV-A", "40.00"))
    moved = envelope(credit_note("CN-MOVED", "INV-B", "40.00", version=2))
    notes = [moved, first] if amendment_first else [first, moved]
    opened(portfolio).publish(
        envelope(invoice(ACCOUNT, "INV-A", "T-1", gross="100.00")),
        envelope(invoice(ACCOUNT, "INV-B", "T-1", gross="100.00")),
        *notes,
        *notes,
    )
    outstanding, eur = read(portfolio)
    assert (outstanding["INV-A"], outstanding["INV-B"]) == ("100.00", "60.00")
    assert (eur["credited"], eur["outstanding"]) == ("40.00", "160.00")
