"""Credit notes take what they credit off their invoice: its outstanding amount, its
status (`credited` when nothing is left), the overdue figures and the currency totals, in
any order of arrival, with duplicates and with a credit note amended after it was applied
(its newest version counts, once)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from contracts.events import provisioning as prov
from tests.integration.portfolio.conftest import FINANCE, Portfolio, running_portfolio
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.portfolio.portfolio_factories import envelope, invoice

pytestmark = pytest.mark.integration

ACCOUNT = "acct-credits"


def credit_note(reference: str, credits: str, gross: str, version: int = 1) -> prov.Invoice:
    """A credit note for `credits`; publishers send its gross as positive or negative."""
    note = invoice(ACCOUNT, reference, "T-1", gross=gross.lstrip("-"), version=version)
    sign = -1 if gross.startswith("-") else 1
    return note.model_copy(
        update={
            "document_type": "credit_note",
            "credited_invoice_reference": credits,
            "net_amount": sign * note.net_amount,
            "tax_amount": sign * note.tax_amount,
            "gross_amount": sign * note.gross_amount,
        }
    )


@pytest.fixture(scope="module")
def credited(tokens: Tokens) -> Iterator[tuple[Portfolio, date]]:
    today = date.today()
    past = today - timedelta(days=20)
    events = [
        envelope(invoice(ACCOUNT, "INV-FULL", "T-1", gross="121.00", due_date=past)),
        envelope(credit_note("CN-FULL", "INV-FULL", "-121.00")),
        envelope(invoice(ACCOUNT, "INV-PART", "T-1", gross="200.00", paid="50.00", due_date=past)),
        envelope(credit_note("CN-PART", "INV-PART", "60.00")),
        envelope(credit_note("CN-PART", "INV-PART", "100.00", version=2)),  # amended: 100 counts
        envelope(invoice(ACCOUNT, "INV-OPEN", "T-1", gross="80.00", due_date=past)),
    ]
    random.Random(5).shuffle(events)
    with running_portfolio(tokens) as portfolio:
        portfolio.create_account(ACCOUNT)
        portfolio.grant(ACCOUNT, "fiona", "finance", FINANCE)
        portfolio.publish(*events, *events[:3])
        yield portfolio, today


def invoices(portfolio: Portfolio) -> dict[str, dict[str, Any]]:
    status, page, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/invoices", "fiona", {"limit": "50"}, account_id=ACCOUNT
    )
    assert status == 200, page
    return {i["reference"]: i for i in page["items"]}


def test_an_invoice_shows_what_its_credit_notes_took_off(credited: tuple[Portfolio, date]) -> None:
    portfolio, _ = credited
    found = invoices(portfolio)
    shown = {
        ref: (i["status"], i["paid_amount"], i["credited_amount"], i["outstanding_amount"])
        for ref, i in found.items()
        if i["document_type"] == "invoice"
    }
    assert shown == {
        "INV-FULL": ("credited", "0.00", "121.00", "0.00"),
        "INV-PART": ("overdue", "50.00", "100.00", "50.00"),
        "INV-OPEN": ("overdue", "0.00", "0.00", "80.00"),
    }
    assert {found[n]["status"] for n in ("CN-FULL", "CN-PART")} == {"credit_note"}


def test_the_financials_count_what_is_still_owed(credited: tuple[Portfolio, date]) -> None:
    portfolio, _ = credited
    status, money, _ = portfolio.call(
        "GET", "/v1/accounts/{account_id}/financials", "fiona", account_id=ACCOUNT
    )
    assert status == 200, money
    [eur] = money["currencies"]
    figures = ("invoiced", "credited", "paid", "outstanding", "overdue", "overdue_count")
    assert {name: eur[name] for name in figures} == {
        "invoiced": "401.00",
        "credited": "221.00",
        "paid": "50.00",
        "outstanding": "130.00",
        "overdue": "130.00",
        "overdue_count": 2,
    }
    assert sorted(i["reference"] for i in money["overdue_invoices"]) == ["INV-OPEN", "INV-PART"]
