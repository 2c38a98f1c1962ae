"""Billing: invoices (list, CSV export, one invoice) and the totals per currency."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api import Caller
from common.openapi import errors
from services.portfolio.handlers.routing import (
    ACCOUNT,
    LIST_ERRORS,
    AccountId,
    ReadsDep,
    Reference,
    columns,
    csv_download,
    csv_responses,
)
from services.portfolio.logic.queries import billing
from services.portfolio.models.api.billing import FinancialsResponse, InvoiceItem, InvoicePage
from services.portfolio.models.queries import InvoiceQuery

router = Router()
TAGS = ["billing"]
COLUMNS = columns(
    InvoiceItem,
    [
        "reference", "document_type", "status", "issue_date", "due_date", "currency",
        "net_amount", "tax_amount", "gross_amount", "paid_amount", "credited_amount",
        "outstanding_amount",
        "trade_references", "credited_invoice_reference",
    ],
)  # fmt: skip


@router.get(
    f"{ACCOUNT}/invoices",
    operation_id="listInvoices",
    summary="Invoices and credit notes, newest first, one page at a time",
    tags=TAGS,
    responses=errors(*LIST_ERRORS),
)
def list_invoices(
    account_id: AccountId,
    params: Annotated[InvoiceQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> InvoicePage:
    page = billing.list_invoices(reads, caller, account_id, params)
    return InvoicePage(items=[InvoiceItem.of(i) for i in page.items], next_cursor=page.next_cursor)


@router.get(
    f"{ACCOUNT}/invoices/export",
    operation_id="exportInvoices",
    summary="The filtered invoices as CSV (every page)",
    tags=TAGS,
    responses=csv_responses(403, 404, 413),
)
def export_invoices(
    account_id: AccountId,
    params: Annotated[InvoiceQuery, Query()],
    caller: Caller,
    reads: ReadsDep,
) -> Response[str]:
    rows = billing.export_invoices(reads, caller, account_id, params)
    return csv_download("invoices", COLUMNS, (InvoiceItem.of(i) for i in rows))


@router.get(
    f"{ACCOUNT}/invoices/<reference>",
    operation_id="getInvoice",
    summary="One invoice or credit note with its lines and payments",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_invoice(
    account_id: AccountId, reference: Reference, caller: Caller, reads: ReadsDep
) -> InvoiceItem:
    return InvoiceItem.of(billing.invoice(reads, caller, account_id, reference))


@router.get(
    f"{ACCOUNT}/financials",
    operation_id="getFinancials",
    summary="Invoiced, credited, paid, outstanding and overdue per currency",
    tags=TAGS,
    responses=errors(403, 404, 413),
)
def get_financials(account_id: AccountId, caller: Caller, reads: ReadsDep) -> FinancialsResponse:
    return FinancialsResponse.of(billing.financials(reads, caller, account_id))
