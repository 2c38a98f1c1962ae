"""Invoices (the list, its export, one invoice) and the financial totals per currency.

The `state` and `document_type` filters pick the facet index where it answers them
exactly (open invoices, paid invoices, credit notes); "overdue" is the one rule of
`logic/billing.py`, checked on the open invoices read. `state` selects invoices only: a
credit note owes and is owed nothing (its status is always `credit_note`), so no credit
note is open, paid or overdue.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from common.access import Area, UserPrincipal
from common.errors import NotFound
from services.portfolio.logic.billing import (
    currency_totals,
    invoice_facet,
    is_overdue,
    overdue_only,
    status_of,
)
from services.portfolio.logic.ports import AggregateKind, Listing, ListRead
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    Matcher,
    all_of,
    cursors_for,
    every_row,
    page_of,
)
from services.portfolio.models.domain import ZERO, DueBucket, Invoice, InvoiceSummary
from services.portfolio.models.queries import InvoiceQuery
from services.portfolio.models.views import OVERDUE_LISTED, Financials, InvoiceView, ListPage


def _facet(query: InvoiceQuery) -> str | None:
    """The facet that holds exactly the invoices of the query's state and type, if one does
    (the open and paid facets hold invoices only)."""
    if query.state in ("open", "overdue"):
        return "open"
    if query.state == "paid":
        return "paid"
    if query.document_type == "credit_note":
        return invoice_facet("credit_note", ZERO)
    return None


def _matches_nothing(query: InvoiceQuery) -> bool:
    """A state asked of credit notes: none has one (answered without reading)."""
    return query.state is not None and query.document_type == "credit_note"


def _invoices(
    account_id: str, query: InvoiceQuery, today: date
) -> tuple[ListRead[Invoice], Matcher[Invoice]]:
    """The list (narrowed to a facet where one answers the filters) and what is left to
    check on each invoice read (nothing the facet already guarantees)."""
    facet = _facet(query)
    read = ListRead(Listing.INVOICES, account_id, Invoice, descending=True, facet=facet)
    document_type = query.document_type
    return read, all_of(
        (lambda i: i.document_type == document_type) if document_type and not facet else None,
        (lambda i: i.currency == query.currency) if query.currency else None,
        (lambda i: is_overdue(i.due_date, i.outstanding_amount, today))
        if query.state == "overdue"
        else None,
    )


def list_invoices(
    reads: Reads, caller: UserPrincipal, account_id: str, query: InvoiceQuery
) -> ListPage[InvoiceView]:
    reads.allow(caller, account_id, Area.BILLING)
    if _matches_nothing(query):
        return ListPage(items=[], next_cursor=None)
    today = reads.today()
    read, matches = _invoices(account_id, query, today)
    # bound to the facet read too: a position in one index never continues another's
    cursors = cursors_for(reads, caller, account_id, f"invoices:{read.facet or '-'}", query)
    page = page_of(reads.store, read, matches, cursors, query.cursor, query.limit)
    return ListPage(
        items=[InvoiceView(i, status_of(i, today)) for i in page.items],
        next_cursor=page.next_cursor,
    )


def export_invoices(
    reads: Reads, caller: UserPrincipal, account_id: str, query: InvoiceQuery
) -> Iterator[InvoiceView]:
    reads.allow(caller, account_id, Area.BILLING)
    if _matches_nothing(query):
        return iter(())
    today = reads.today()
    rows = every_row(reads.store, *_invoices(account_id, query, today))
    return (InvoiceView(i, status_of(i, today)) for i in rows)


def invoice(reads: Reads, caller: UserPrincipal, account_id: str, reference: str) -> InvoiceView:
    reads.allow(caller, account_id, Area.BILLING)
    found = reads.store.invoice(account_id, reference)
    if found is None or found.account_id != account_id:
        raise NotFound()
    return InvoiceView(found, status_of(found, reads.today()))


def financials_of(reads: Reads, account_id: str) -> Financials:
    """Totals per currency and the oldest overdue invoices (three reads); no access check."""
    today = reads.today()
    counters = reads.store.aggregates(account_id, frozenset({AggregateKind.CURRENCIES}))
    due, oldest = overdue_of(reads, account_id)
    return Financials(currency_totals(counters.currencies, due, today), oldest)


def overdue_of(reads: Reads, account_id: str) -> tuple[list[DueBucket], list[InvoiceSummary]]:
    """What is owed per past due date (the exact overdue totals) and the oldest overdue
    invoices (at most `OVERDUE_LISTED`): two requests, whatever the number of invoices."""
    today = reads.today()
    due = reads.store.due_buckets(account_id, due_before=today)
    oldest = reads.store.open_invoices(account_id, due_before=today, limit=OVERDUE_LISTED)
    return due, overdue_only(oldest, today)


def financials(reads: Reads, caller: UserPrincipal, account_id: str) -> Financials:
    reads.allow(caller, account_id, Area.BILLING)
    return financials_of(reads, account_id)
