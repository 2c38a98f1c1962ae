"""Billing rules, defined once: invoice status, what "overdue" means, an invoice's facet,
and the totals per currency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Literal

from services.portfolio.models.domain import (
    ZERO,
    CurrencyCounter,
    DueBucket,
    Invoice,
    InvoiceSummary,
)
from services.portfolio.models.views import CurrencyTotals, InvoiceStatus

DUE_COUNTER_PREFIX = "DUE#"
"""Counters of what open invoices owe per due date and currency (`projection.due_counter`)."""

InvoiceFacet = Literal["open", "paid", "credit_note"]
"""The one value an invoice is indexed by: what the `state` and `document_type` filters
select exactly."""


def is_overdue(due_date: date, outstanding: Decimal, today: date) -> bool:
    """Something is still owed and the due date has passed (on its due date it is not)."""
    return outstanding > ZERO and due_date < today


def invoice_status(
    gross: Decimal, paid: Decimal, due: date, today: date, credited: Decimal = ZERO
) -> InvoiceStatus:
    """credited (credit notes took off all of it), paid (nothing owed), overdue once the
    due date passed with something owed, else partially_paid or issued."""
    if credited > ZERO and credited >= gross:
        return "credited"
    owed = gross - paid - credited
    if owed <= ZERO:
        return "paid"
    if is_overdue(due, owed, today):
        return "overdue"
    return "partially_paid" if paid > ZERO or credited > ZERO else "issued"


def status_of(invoice: Invoice | InvoiceSummary, today: date) -> InvoiceStatus:
    if invoice.document_type == "credit_note":
        return "credit_note"
    return invoice_status(
        invoice.gross_amount, invoice.paid_amount, invoice.due_date, today, invoice.credited_amount
    )


def invoice_facet(document_type: str, outstanding: Decimal) -> InvoiceFacet:
    if document_type == "credit_note":
        return "credit_note"
    return "open" if outstanding > ZERO else "paid"


def currency_totals(
    counters: Iterable[CurrencyCounter], due: Iterable[DueBucket], today: date
) -> list[CurrencyTotals]:
    """Invoiced, credited, paid, outstanding per currency, with what is overdue today: the
    sum of what open invoices owe per due date, over the due dates before today. A currency
    whose counters are all zero (its invoices were amended to another) is left out: a zero
    counter is read as an absent one, whatever order the versions arrived in."""
    totals: dict[str, CurrencyTotals] = {}
    for counter in counters:
        amounts = (counter.invoiced, counter.credited, counter.paid, counter.credit_applied)
        if not any(amounts):
            continue
        totals[counter.currency] = CurrencyTotals(
            currency=counter.currency,
            invoiced=counter.invoiced,
            credited=counter.credited,
            paid=counter.paid,
            outstanding=max(counter.invoiced - counter.paid - counter.credit_applied, ZERO),
        )
    for bucket in due:
        if bucket.invoices > 0 and is_overdue(bucket.due_date, bucket.outstanding, today):
            entry = totals.get(bucket.currency, CurrencyTotals(currency=bucket.currency))
            totals[bucket.currency] = replace(
                entry,
                overdue=entry.overdue + bucket.outstanding,
                overdue_count=entry.overdue_count + int(bucket.invoices),
            )
    return [totals[currency] for currency in sorted(totals)]


def overdue_only(open_invoices: Iterable[InvoiceSummary], today: date) -> list[InvoiceSummary]:
    return [i for i in open_invoices if is_overdue(i.due_date, i.outstanding_amount, today)]
