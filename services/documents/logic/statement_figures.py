"""The monthly account statement: its figures (computed from the account's facts only) and
what it shows.

Movements are counted as the portfolio counts its holdings: each completed delivery (its
newest version) moves its batches in (the account buys) or out (it sells) on its delivery
date, once the trade is known; each retirement (newest version) retires its batches on its
retirement date. A line is (scheme, technology, vintage): opening = everything before the
month, closing = opening + in - out - retired. Invoices (not credit notes) issued in the
month, payments received in the month and what is outstanding at the month's end are
summed per currency; credit notes issued in the month are listed and summed apart.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from common.api_types import money, mwh
from services.documents.logic.layouts import ISSUER, amount
from services.documents.models.domain import Layout, Section, Table
from services.documents.models.facts import (
    DeliveryFact,
    Fact,
    FactKind,
    InvoiceFact,
    PartyFact,
    RetirementFact,
    TradeFact,
)

ZERO = Decimal(0)
LineKey = tuple[str, str, str]
"""(scheme, technology, vintage)"""


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = (int(part) for part in text.split("-"))
        return cls(year, month)

    @classmethod
    def before(cls, day: date) -> Month:
        """The month that ended before `day`'s month began."""
        return cls(day.year - 1, 12) if day.month == 1 else cls(day.year, day.month - 1)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def next_first(self) -> date:
        return date(self.year + 1, 1, 1) if self.month == 12 else date(self.year, self.month + 1, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class Line:
    opening: Decimal = ZERO
    delivered_in: Decimal = ZERO
    delivered_out: Decimal = ZERO
    retired: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.delivered_in - self.delivered_out - self.retired


@dataclass
class CurrencyTotals:
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    credited: Decimal = ZERO


@dataclass
class StatementFigures:
    account_id: str
    month: Month
    lines: dict[LineKey, Line] = field(default_factory=dict)
    currencies: dict[str, CurrencyTotals] = field(default_factory=dict)
    invoices_issued: list[InvoiceFact] = field(default_factory=list)

    def line(self, key: LineKey) -> Line:
        return self.lines.setdefault(key, Line())

    def totals(self, currency: str) -> CurrencyTotals:
        return self.currencies.setdefault(currency, CurrencyTotals())

    @property
    def has_activity(self) -> bool:
        return bool(self.lines or self.currencies)


def _newest(facts: Iterable[Fact], kind: FactKind) -> dict[str, Fact]:
    newest: dict[str, Fact] = {}
    for fact in facts:
        if fact.kind is kind:
            known = newest.get(fact.reference)
            if known is None or fact.version > known.version:
                newest[fact.reference] = fact
    return newest


def _move(figures: StatementFigures, key: LineKey, quantity: Decimal, on: date, how: str) -> None:
    month = figures.month
    if on > month.last:
        return
    line = figures.line(key)
    sign = Decimal(-1) if how in ("out", "retired") else Decimal(1)
    if on < month.first:
        line.opening += sign * quantity
    elif how == "in":
        line.delivered_in += quantity
    elif how == "out":
        line.delivered_out += quantity
    else:
        line.retired += quantity


def figures(account_id: str, month: Month, facts: list[Fact]) -> StatementFigures:
    result = StatementFigures(account_id, month)
    trades = {ref: f.parsed() for ref, f in _newest(facts, FactKind.TRADE).items()}
    for fact in _newest(facts, FactKind.DELIVERY).values():
        delivery: DeliveryFact = fact.parsed()
        trade: TradeFact | None = trades.get(delivery.trade_reference)
        if delivery.status != "completed" or trade is None:
            continue
        how = "in" if trade.side == "buy" else "out"
        for batch in delivery.batches:
            key = (delivery.scheme, batch.technology, batch.vintage)
            _move(result, key, Decimal(batch.quantity), delivery.delivery_date, how)
    for fact in _newest(facts, FactKind.RETIREMENT).values():
        retirement: RetirementFact = fact.parsed()
        for batch in retirement.batches:
            key = (retirement.scheme, batch.technology, batch.vintage)
            _move(result, key, Decimal(batch.quantity), retirement.retired_on, "retired")
    for fact in sorted(_newest(facts, FactKind.INVOICE).values(), key=lambda f: f.reference):
        _count_invoice(result, fact.parsed())
    return result


def _count_invoice(result: StatementFigures, invoice: InvoiceFact) -> None:
    month = result.month
    if invoice.issue_date > month.last:
        return
    totals = result.totals(invoice.currency)
    issued_now = invoice.issue_date >= month.first
    if invoice.document_type == "credit_note":
        if issued_now:
            totals.credited += invoice.gross_amount
            result.invoices_issued.append(invoice)
        return
    if issued_now:
        totals.invoiced += invoice.gross_amount
        result.invoices_issued.append(invoice)
    paid_by_end = ZERO
    for payment in invoice.payments:
        if payment.paid_on <= month.last:
            paid_by_end += payment.amount
            if payment.paid_on >= month.first:
                totals.paid += payment.amount
    totals.outstanding += max(invoice.gross_amount - paid_by_end, ZERO)


def statement_title(month: Month) -> str:
    return f"Monthly statement {month}"


def layout(figures: StatementFigures, party: PartyFact | None) -> Layout:
    month = figures.month
    who: tuple[tuple[str, str], ...] = (
        (("Counterparty", party.legal_name), ("Counterparty reference", party.reference))
        if party
        else ()
    )
    holdings = Table(
        columns=("Scheme", "Technology", "Vintage", "Opening", "In", "Out", "Retired", "Closing"),
        rows=tuple(
            (
                scheme,
                technology,
                vintage,
                mwh(line.opening),
                mwh(line.delivered_in),
                mwh(line.delivered_out),
                mwh(line.retired),
                mwh(line.closing),
            )
            for (scheme, technology, vintage), line in sorted(figures.lines.items())
        ),
        numeric=(3, 4, 5, 6, 7),
    )
    invoices = Table(
        columns=("Number", "Type", "Issued", "Due", "Gross", "Currency"),
        rows=tuple(
            (
                i.reference,
                i.document_type.replace("_", " "),
                i.issue_date.isoformat(),
                i.due_date.isoformat(),
                money(i.gross_amount, i.currency),
                i.currency,
            )
            for i in sorted(figures.invoices_issued, key=lambda i: (i.issue_date, i.reference))
        ),
        numeric=(4,),
    )
    money_lines = tuple(
        f"{currency}: invoiced {amount(t.invoiced, currency)}, paid {amount(t.paid, currency)}, "
        f"outstanding {amount(t.outstanding, currency)}, credited {amount(t.credited, currency)}"
        for currency, t in sorted(figures.currencies.items())
    )
    return Layout(
        title=statement_title(month),
        subtitle=f"{ISSUER}: your account from {month.first} to {month.last}.",
        facts=(
            *who,
            ("Portal account", figures.account_id),
            ("Period", f"{month.first} to {month.last}"),
            ("Volumes", "MWh (certificates), by scheme, technology and vintage"),
        ),
        sections=(
            Section(
                "Certificates",
                table=holdings if holdings.rows else None,
                lines=() if holdings.rows else ("No certificates held or moved.",),
            ),
            Section(
                "Invoices issued in the month",
                table=invoices if invoices.rows else None,
                lines=() if invoices.rows else ("None.",),
            ),
            Section("Billing by currency", money_lines or ("No invoices.",)),
        ),
        footnote="Figures as the portal knew them when this statement was generated; a "
        "later correction gives a new version of the statement.",
    )
