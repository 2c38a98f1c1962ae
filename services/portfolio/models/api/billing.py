"""Responses of the billing section: invoices and the totals per currency."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from common.api_types import Money, Page, Volume, money, mwh
from services.portfolio.models.api.base import ApiModel, UnitPrice, unit_price
from services.portfolio.models.domain import InvoiceLine, InvoiceSummary, Payment
from services.portfolio.models.views import (
    OVERDUE_LISTED,
    CurrencyTotals,
    Financials,
    InvoiceStatus,
    InvoiceView,
)

OLDEST_OVERDUE = (
    f"The oldest overdue invoices, at most {OVERDUE_LISTED}: the currency totals count every "
    "one, and the invoice list with state=overdue pages through all of them."
)


class InvoiceLineItem(ApiModel):
    description: str
    trade_reference: str | None
    delivery_reference: str | None
    quantity_mwh: Volume
    unit_price: UnitPrice
    amount: Money

    @classmethod
    def of(cls, line: InvoiceLine, currency: str) -> InvoiceLineItem:
        return cls(
            description=line.description,
            trade_reference=line.trade_reference,
            delivery_reference=line.delivery_reference,
            quantity_mwh=mwh(line.quantity_mwh),
            unit_price=unit_price(line.unit_price, currency),
            amount=money(line.amount, currency),
        )


class PaymentItem(ApiModel):
    payment_reference: str
    paid_on: date
    amount: Money

    @classmethod
    def of(cls, payment: Payment, currency: str) -> PaymentItem:
        return cls(
            payment_reference=payment.payment_reference,
            paid_on=payment.paid_on,
            amount=money(payment.amount, currency),
        )


class InvoiceItem(ApiModel):
    reference: str
    account_id: str
    version: int
    document_type: Literal["invoice", "credit_note"]
    status: InvoiceStatus
    credited_invoice_reference: str | None
    issue_date: date
    due_date: date
    currency: str
    net_amount: Money
    tax_amount: Money
    gross_amount: Money
    paid_amount: Money
    credited_amount: Money = Field(description="What credit notes took off it.")
    outstanding_amount: Money
    trade_references: list[str]
    lines: list[InvoiceLineItem]
    payments: list[PaymentItem]

    @classmethod
    def of(cls, view: InvoiceView) -> InvoiceItem:
        invoice, currency = view.invoice, view.invoice.currency
        return cls(
            reference=invoice.reference,
            account_id=invoice.account_id,
            version=invoice.version,
            document_type=invoice.document_type,
            status=view.status,
            credited_invoice_reference=invoice.credited_invoice_reference,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            currency=currency,
            net_amount=money(invoice.net_amount, currency),
            tax_amount=money(invoice.tax_amount, currency),
            gross_amount=money(invoice.gross_amount, currency),
            paid_amount=money(invoice.paid_amount, currency),
            credited_amount=money(invoice.credited_amount, currency),
            outstanding_amount=money(invoice.outstanding_amount, currency),
            trade_references=list(invoice.trade_references),
            lines=[InvoiceLineItem.of(line, currency) for line in invoice.lines],
            payments=[PaymentItem.of(payment, currency) for payment in invoice.payments],
        )


class InvoicePage(Page[InvoiceItem]):
    pass


class OverdueInvoiceItem(ApiModel):
    """An invoice past its due date with an amount still owed."""

    reference: str
    document_type: Literal["invoice", "credit_note"]
    currency: str
    gross_amount: Money
    outstanding_amount: Money
    issue_date: date
    due_date: date

    @classmethod
    def of(cls, summary: InvoiceSummary) -> OverdueInvoiceItem:
        currency = summary.currency
        return cls(
            reference=summary.reference,
            document_type=summary.document_type,
            currency=currency,
            gross_amount=money(summary.gross_amount, currency),
            outstanding_amount=money(summary.outstanding_amount, currency),
            issue_date=summary.issue_date,
            due_date=summary.due_date,
        )


class CurrencyTotalsItem(ApiModel):
    currency: str
    invoiced: Money
    credited: Money
    paid: Money
    outstanding: Money
    overdue: Money
    overdue_count: int

    @classmethod
    def of(cls, totals: CurrencyTotals) -> CurrencyTotalsItem:
        currency = totals.currency
        return cls(
            currency=currency,
            invoiced=money(totals.invoiced, currency),
            credited=money(totals.credited, currency),
            paid=money(totals.paid, currency),
            outstanding=money(totals.outstanding, currency),
            overdue=money(totals.overdue, currency),
            overdue_count=totals.overdue_count,
        )


class FinancialsResponse(ApiModel):
    currencies: list[CurrencyTotalsItem]
    overdue_invoices: list[OverdueInvoiceItem] = Field(
        description=OLDEST_OVERDUE,
    )

    @classmethod
    def of(cls, financials: Financials) -> FinancialsResponse:
        return cls(
            currencies=[CurrencyTotalsItem.of(c) for c in financials.currencies],
            overdue_invoices=[OverdueInvoiceItem.of(i) for i in financials.overdue_invoices],
        )
