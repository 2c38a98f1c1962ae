"""Billing rules, defined once: invoice status, what "overdue" means, an invoice's facet,
and the totals per currency."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

from services.portfolio.models.domain import ZERO, CurrencyCounter, Invoice, InvoiceSummary
from services.portfolio.models.views import CurrencyTotals, InvoiceStatus

InvoiceFacet = Literal["open", "paid", "credit_note"]
"""The one value an invoice is indexed by: what the `state` and `document_type` filters
select exactly."""


def is_overdue(due_date: date, outstanding: Decimal, today: date) -> bool:
    """Something is still owed and the due date has passed (on its due date it is not)."""
    return outstanding > ZERO and due_date < today


def invoice_status(gross: Decimal, paid: Decimal, due: date, today: date) -> InvoiceStatus:
    """issued / partially_paid / paid, or overdue once the due date passed unpaid."""
    if paid >= gross:
        return "paid"
    if is_overdue(due, gross - paid, today):
        return "overdue"
    return "partially_paid" if paid > ZERO else "issued"


def status_of(invoice: Invoice | InvoiceSummary, today: date) -> InvoiceStatus:
    if invoice.document_type == "credit_note":
        return "credit_note"
    return invoice_status(invoice.gross_amount, invoice.paid_amount, invoice.due_date, today)


def invoice_facet(document_type: str, outstanding: Decimal) -> InvoiceFacet:
    if document_type == "credit_note":
        return "credit_note"
    return "open" if outstanding > ZERO else "paid"


def currency_totals(
    counters: Iterable[CurrencyCounter], open_invoices: Iterable[InvoiceSummary], today: date
) -> list[CurrencyTotals]:
    """Invoiced, credited, paid, outstanding per currency, with what is overdue today."""
    totals: dict[str, CurrencyTotals] = {}
    for counter in counters:
        totals[counter.currency] = CurrencyTotals(
            currency=counter.currency,
            invoiced=counter.invoiced,
            credited=counter.credited,
            paid=counter.paid,
            outstanding=max(counter.invoiced - counter.paid, ZERO),
        )
    for invoice in open_invoices:
        if is_overdue(invoice.due_date, invoice.outstanding_amount, today):
            entry = totals.get(invoice.currency, CurrencyTotals(currency=invoice.currency))
            totals[invoice.currency] = CurrencyTotals(
                currency=entry.currency,
                invoiced=entry.invoiced,
                credited=entry.credited,
                paid=entry.paid,
                outstanding=entry.outstanding,
                overdue=entry.overdue + invoice.outstanding_amount,
                overdue_count=entry.overdue_count + 1,
            )
    return [totals[currency] for currency in sorted(totals)]


def overdue_only(open_invoices: Iterable[InvoiceSummary], today: date) -> list[InvoiceSummary]:
    return [i for i in open_invoices if is_overdue(i.due_date, i.outstanding_amount, today)]
