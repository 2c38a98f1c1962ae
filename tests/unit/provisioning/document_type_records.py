"""Documents and invoices of one reference whose versions keep or change the document type,
and the rejection a change gets (shared by the unit and integration tests)."""

from __future__ import annotations

from typing import Any

from infra.local.demo import records as testdata

DOC = "DOC-TC-000001"
INVOICE = "INV-2026-00042"
KEEPS_TYPE = "its document type never changes; publish another type under a new reference"
DOCUMENT_REFUSAL = f"document {DOC} was published as a trade confirmation: {KEEPS_TYPE}"


def document(version: int, document_type: str = "trade_confirmation") -> dict[str, Any]:
    return dict(testdata.document(version=version), document_type=document_type)


def invoice(version: int, document_type: str) -> dict[str, Any]:
    record = dict(testdata.invoice(version=version), document_type=document_type)
    if document_type == "credit_note":
        record["credited_invoice_reference"] = "INV-2026-00001"
    return record


def invoice_refusal(issued_as: str) -> str:
    """`issued_as` in words with its article, e.g. "an invoice"."""
    return f"invoice {INVOICE} was published as {issued_as}: {KEEPS_TYPE}"
