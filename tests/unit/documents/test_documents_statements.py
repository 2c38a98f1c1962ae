"""Monthly statements: the figures of a month from the account's facts, the month a run is
for, and runs that issue a statement once (a new version only when its content changes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.errors import InvalidInput
from services.documents.logic import statements
from services.documents.logic.generation import apply_fact
from services.documents.logic.statement_figures import Month, figures
from services.documents.models.facts import Fact
from tests.unit.documents.documents_factories import (
    ACCOUNT,
    OTHER,
    delivery,
    invoice,
    party,
    retirement,
    trade,
)
from tests.unit.documents.documents_fakes import memory_ports

pytestmark = pytest.mark.unit
NOVEMBER = Month(2026, 11)
LINE = ("GO", "T020001", "2025-06")


def book() -> list[Fact]:
    return [
        party(),
        trade("T-BUY", side="buy", trade_date=date(2026, 9, 1)),
        trade("T-SELL", side="sell", trade_date=date(2026, 9, 1)),
        delivery("D-OLD", "T-BUY", 500, on=date(2026, 10, 15)),
        delivery("D-IN", "T-BUY", 300, on=date(2026, 11, 2)),
        delivery("D-OUT", "T-SELL", 120, on=date(2026, 11, 9)),
        delivery("D-LATE", "T-BUY", 999, on=date(2026, 12, 1)),
        delivery("D-FAILED", "T-BUY", 50, status="failed", on=date(2026, 11, 3)),
        delivery("D-ORPHAN", "T-UNKNOWN", 70, on=date(2026, 11, 3)),
        retirement("R-1", 80, on=date(2026, 11, 25)),
        invoice("INV-OCT", issue=date(2026, 10, 20), gross="100.00", paid="40.00"),
        invoice("INV-NOV", issue=date(2026, 11, 5), gross="1210.00"),
        invoice("CN-NOV", issue=date(2026, 11, 6), gross="121.00", credit=True),
        invoice("INV-DEC", issue=date(2026, 12, 1), gross="999.00"),
    ]


def test_movements_and_balances_of_the_month() -> None:
    counted = figures(ACCOUNT, NOVEMBER, book())
    line = counted.lines[LINE]
    assert line.opening == Decimal(500)
    assert (line.delivered_in, line.delivered_out, line.retired) == (
        Decimal(300),
        Decimal(120),
        Decimal(80),
    )
    assert line.closing == Decimal(600)


def test_invoices_issued_paid_and_outstanding_per_currency() -> None:
    eur = figures(ACCOUNT, NOVEMBER, book()).currencies["EUR"]
    assert eur.invoiced == Decimal("1210.00")
    assert eur.credited == Decimal("121.00")
    # INV-OCT's payment fell on 2026-10-30: not November's; what is left stays outstanding.
    assert eur.paid == Decimal(0)
    assert eur.outstanding == Decimal("60.00") + Decimal("1210.00")


def test_the_newest_delivery_version_counts() -> None:
    facts = [
        party(),
        trade("T-BUY"),
        delivery("D-1", "T-BUY", 300, on=date(2026, 11, 2)),
        delivery("D-1", "T-BUY", 0, version=2, status="failed", on=date(2026, 11, 2)),
    ]
    assert figures(ACCOUNT, NOVEMBER, facts).lines == {}


def test_the_month_a_run_is_for() -> None:
    today = date(2026, 12, 2)
    scheduled: dict[str, object] = {
        "schedule": "monthly-statements",
        "scheduled_time": "2027-01-01T03:00:00Z",
    }
    assert str(statements.month_of_request(scheduled, today)) == "2026-12"
    assert str(statements.month_of_request({"month": "2026-10"}, today)) == "2026-10"
    for wrong in ("2026-12", "2027-01", "2026-13", "nope"):
        with pytest.raises(InvalidInput):
            statements.requested_month(wrong, today)


def test_a_run_issues_each_statement_once_and_a_new_version_when_facts_change() -> None:
    ports = memory_ports()
    for fact in [*book(), party(OTHER)]:
        apply_fact(ports, fact, "c")
    first = statements.run(ports, NOVEMBER, "c")
    assert (first.issued, first.without_activity) == ([ACCOUNT], 1)
    again = statements.run(ports, NOVEMBER, "c")
    assert (again.issued, again.unchanged) == ([], 1)
    apply_fact(ports, delivery("D-LATE-NEWS", "T-BUY", 5, on=date(2026, 11, 30)), "c")
    third = statements.run(ports, NOVEMBER, "c")
    assert third.issued == [ACCOUNT]
    document = ports.documents.document(ACCOUNT, "statement-2026-11")
    assert document is not None
    assert [v.version for v in document.versions] == [2, 1]
    assert document.head.issued_on == date(2026, 12, 1)
    assert document.head.related_reference == "2026-11"
