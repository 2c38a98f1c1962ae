"""Financial records (invoices, credit notes and their payments) and published documents."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import Field

from services.provisioning.models.fields import (
    Amount,
    CrossRule,
    Currency,
    Day,
    PdfFileName,
    PositiveAmount,
    Reference,
    Sha256,
    Text,
    UnitPrice,
    Volume,
    in_future,
    not_in_future,
)
from services.provisioning.models.record_base import (
    MAX_DOCUMENT_BYTES,
    WHOLE_UNITS_WORDS,
    OwnedRecord,
    RuleChecked,
    has_more_decimals,
    to_cent,
    to_minor_unit,
)
from services.provisioning.models.record_base import rule as _rule


def _line_amount(v: Mapping[str, Any], _: date | None) -> str | None:
    """A line does not know its invoice's currency: to the cent or to whole units here, and
    the invoice checks which (`_lines_in_currency`)."""
    exact = v["quantity_mwh"] * v["unit_price"]
    expected = to_cent(exact)
    if v["amount"] not in (expected, exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)):
        return f"{v['amount']} does not match quantity_mwh x unit_price = {expected}"
    return None


def _lines_in_currency(v: Mapping[str, Any], _: date | None) -> str | None:
    for index, line in enumerate(v["lines"]):
        expected = to_minor_unit(line.quantity_mwh * line.unit_price, v["currency"])
        if line.amount != expected:
            return (
                f"line {index}: amount {line.amount} does not match quantity_mwh x unit_price "
                f"= {expected} in {v['currency']}"
            )
    return None


def _in_minor_units(field: str) -> CrossRule:
    """`field` (an amount, or the payments) has no fraction its currency does not have."""

    def check(v: Mapping[str, Any], _: date | None) -> str | None:
        amounts = [p.amount for p in v[field]] if field == "payments" else [v[field]]
        odd = [amount for amount in amounts if has_more_decimals(amount, v["currency"])]
        if odd:
            return f"{odd[0]} has a fraction {v['currency']} does not have: send whole units"
        return None

    return _rule(field, ("currency", field), f"{field} {WHOLE_UNITS_WORDS}", check)


class InvoiceLine(RuleChecked):
    description: Text
    trade_reference: Reference | None = None
    delivery_reference: Reference | None = None
    quantity_mwh: Volume
    unit_price: UnitPrice
    amount: Amount

    CROSS_RULES = (
        _rule(
            "amount",
            ("quantity_mwh", "unit_price", "amount"),
            "amount = quantity_mwh x unit_price, rounded half up to the cent "
            f"({WHOLE_UNITS_WORDS})",
            _line_amount,
        ),
    )


class Payment(RuleChecked):
    payment_reference: Reference
    paid_on: Day
    amount: PositiveAmount


def _paid(v: Mapping[str, Any]) -> Decimal:
    return sum((p.amount for p in v["payments"]), Decimal(0))


def _lines_add_up(v: Mapping[str, Any], _: date | None) -> str | None:
    lines_total = sum((line.amount for line in v["lines"]), Decimal(0))
    return f"lines add up to {lines_total}" if lines_total != v["net_amount"] else None


def _future_payment(v: Mapping[str, Any], today: date | None) -> str | None:
    late = [p for p in v["payments"] if in_future(p.paid_on, today)]
    if late and today is not None:
        return (
            f"payment {late[0].payment_reference} is dated {late[0].paid_on.isoformat()}, in "
            f"the future (today is {today.isoformat()} UTC); send payments once received"
        )
    return None


def _repeated_payment(v: Mapping[str, Any], _: date | None) -> str | None:
    seen: set[str] = set()
    for payment in v["payments"]:
        if payment.payment_reference in seen:
            return f"payment {payment.payment_reference} is listed twice: list each payment once"
        seen.add(payment.payment_reference)
    return None


def _credit_note(v: Mapping[str, Any], _: date | None) -> str | None:
    if (v["document_type"] == "credit_note") != (v.get("credited_invoice_reference") is not None):
        return "required for a credit note, and only then"
    return None


class InvoiceRecord(OwnedRecord):
    """An invoice or a credit note; `reference` is its number (unique per issuer)."""

    document_type: Literal["invoice", "credit_note"]
    credited_invoice_reference: Reference | None = None
    issue_date: Day
    due_date: Day
    currency: Currency
    net_amount: Amount
    tax_amount: Amount
    gross_amount: Amount
    lines: list[InvoiceLine] = Field(min_length=1, max_length=500)
    payments: list[Payment] = Field(default_factory=list, max_length=100)

    CROSS_RULES = (
        _rule(
            "due_date",
            ("issue_date", "due_date"),
            "due_date is after issue_date",
            lambda v, _: "must be after issue_date" if v["due_date"] <= v["issue_date"] else None,
        ),
        _rule(
            "gross_amount",
            ("net_amount", "tax_amount", "gross_amount"),
            "gross_amount = net_amount + tax_amount",
            lambda v, _: (
                "must equal net_amount + tax_amount"
                if v["net_amount"] + v["tax_amount"] != v["gross_amount"]
                else None
            ),
        ),
        _rule(
            "net_amount", ("lines", "net_amount"), "the lines add up to net_amount", _lines_add_up
        ),
        _rule(
            "lines",
            ("currency", "lines"),
            "each line's amount is rounded as its currency is (the cent, or whole units)",
            _lines_in_currency,
        ),
        *(_in_minor_units(f) for f in ("net_amount", "tax_amount", "gross_amount", "payments")),
        _rule(
            "payments",
            ("issue_date", "payments"),
            "no payment precedes issue_date",
            lambda v, _: (
                "a payment cannot precede issue_date"
                if any(p.paid_on < v["issue_date"] for p in v["payments"])
                else None
            ),
        ),
        _rule(
            "payments",
            ("payments",),
            "each payment_reference appears once",
            _repeated_payment,
        ),
        _rule(
            "payments",
            ("gross_amount", "payments"),
            "the payments add up to at most gross_amount",
            lambda v, _: (
                "more paid than gross_amount" if _paid(v) > abs(v["gross_amount"]) else None
            ),
        ),
        _rule(
            "gross_amount",
            ("document_type", "gross_amount"),
            "an invoice's gross_amount is not negative (a credit note credits an invoice)",
            lambda v, _: (
                "must not be negative for an invoice: send a credit note instead"
                if v["document_type"] == "invoice" and v["gross_amount"] < 0
                else None
            ),
        ),
        _rule(
            "credited_invoice_reference",
            ("document_type", "credited_invoice_reference"),
            "credited_invoice_reference is given for a credit note, and only then",
            _credit_note,
        ),
        not_in_future("issue_date", "issue_date"),
        _rule(
            "payments",
            ("payments",),
            "no payment is in the future (today + 1 day at most, UTC)",
            _future_payment,
        ),
    )

    @property
    def paid_total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def fully_paid(self) -> bool:
        return bool(self.payments) and self.paid_total == abs(self.gross_amount)


def _content(encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("content_base64: not valid base64") from exc


def _document_content(v: Mapping[str, Any], _: date | None) -> str | None:
    try:
        content = _content(v["content_base64"])
    except ValueError:
        return "not valid base64"
    if len(content) > MAX_DOCUMENT_BYTES:
        return f"file larger than {MAX_DOCUMENT_BYTES} bytes"
    if not content.startswith(b"%PDF-"):
        return "not a PDF file"
    return None


def _document_hash(v: Mapping[str, Any], _: date | None) -> str | None:
    try:
        content = _content(v["content_base64"])
    except ValueError:
        return None
    if hashlib.sha256(content).hexdigest() != v["sha256"]:
        return "does not match the file content"
    return None


FIRST_ISSUED, LAST_ISSUED = date(1990, 1, 1), date(2100, 12, 31)
"""The days a published document may be issued on; documents refuses any other in the event
too (`services/documents/models/facts.py`), so the two must agree."""


class DocumentRecord(OwnedRecord):
    """A document to publish to an account: metadata plus the file (base64)."""

    document_type: Literal["trade_confirmation", "invoice", "redemption_statement"]
    title: Text
    related_reference: Reference | None = None
    issued_on: Day = Field(
        ge=FIRST_ISSUED,
        le=LAST_ISSUED,
        description=f"The day the document was issued ({FIRST_ISSUED} to {LAST_ISSUED}).",
    )
    file_name: PdfFileName
    content_type: Literal["application/pdf"]
    sha256: Sha256
    content_base64: str = Field(
        min_length=4, repr=False, description="The PDF file, base64 (700 KB at most)."
    )

    CROSS_RULES = (
        _rule(
            "content_base64",
            ("content_base64",),
            f"content_base64 is base64 of a PDF file of at most {MAX_DOCUMENT_BYTES} bytes",
            _document_content,
        ),
        _rule(
            "sha256",
            ("content_base64", "sha256"),
            "sha256 is the SHA-256 of the decoded file",
            _document_hash,
        ),
    )

    def content(self) -> bytes:
        return _content(self.content_base64)
