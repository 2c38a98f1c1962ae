"""Building the events the notifications service consumes, for tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from contracts.envelope import EventEnvelope
from contracts.events import documents as doc
from contracts.events import identity as idn
from contracts.events import provisioning as prv

from .fakes import NOW


def trade(
    account: str,
    reference: str,
    *,
    at: datetime = NOW,
    version: int = 1,
    event_id: uuid.UUID | None = None,
) -> EventEnvelope[Any]:
    data = prv.Trade(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id="pub-1",
        counterparty_reference="CP-1",
        status="executed",
        side="buy",
        trade_date=date(2026, 11, 30),
        scheme="GO",
        volume_mwh=Decimal("1250.5"),
        unit_price=Decimal("2.35"),
        currency="EUR",
        total=Decimal("2938.68"),
        countries=["NL"],
        technologies=["T020001"],
        vintage_from="2025-01",
        vintage_to="2025-12",
        delivery_date=date(2026, 12, 15),
        registry_account="NL-1",
        payment_due_date=date(2026, 12, 30),
    )
    return prv.TRADE_EXECUTED.new(
        data, account_id=account, correlation_id="c", occurred_at=at, event_id=event_id
    )


def invoice(
    account: str,
    reference: str,
    *,
    due: date = date(2026, 12, 30),
    at: datetime = NOW,
    paid: bool = False,
    version: int = 1,
) -> EventEnvelope[Any]:
    data = prv.Invoice(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id="pub-1",
        counterparty_reference="CP-1",
        document_type="invoice",
        issue_date=date(2026, 11, 30),
        due_date=due,
        currency="EUR",
        net_amount=Decimal("100.00"),
        tax_amount=Decimal("21.00"),
        gross_amount=Decimal("121.00"),
        lines=[],
        payments=[],
    )
    kind = prv.INVOICE_PAID if paid else prv.INVOICE_ISSUED
    return kind.new(data, account_id=account, correlation_id="c", occurred_at=at)


def credit_note(
    account: str, reference: str, credits: str, gross: str, *, version: int = 1
) -> EventEnvelope[Any]:
    """A credit note for invoice `credits` (publishers send its gross positive or negative)."""
    issued: prv.Invoice = invoice(account, reference, version=version).data
    note = issued.model_copy(
        update={
            "document_type": "credit_note",
            "credited_invoice_reference": credits,
            "gross_amount": Decimal(gross),
        }
    )
    return prv.INVOICE_ISSUED.new(note, account_id=account, correlation_id="c")


def granted(
    account: str, subject: str, sequence: int, *permissions: str, role: str = "trader"
) -> EventEnvelope[Any]:
    data = idn.AccessGrantedData(
        account_id=account,
        sequence=sequence,
        subject=subject,
        email=f"{subject}@example.com",
        role=role,
        permissions=list(permissions),
    )
    return idn.ACCESS_GRANTED.new(
        data, account_id=account, correlation_id="c", occurred_at=NOW - timedelta(days=1)
    )


def revoked(account: str, subject: str, sequence: int) -> EventEnvelope[Any]:
    data = idn.AccessRevokedData(account_id=account, sequence=sequence, subject=subject)
    return idn.ACCESS_REVOKED.new(data, account_id=account, correlation_id="c")


def document(account: str, kind: str, reference: str, *, at: datetime = NOW) -> EventEnvelope[Any]:
    """The documents service's `DocumentAvailable` for a document of `kind`."""
    data = doc.DocumentAvailable(
        account_id=account,
        document_id=f"doc-{reference}",
        version=1,
        kind=kind,
        title=f"{kind} {reference}",
        related_reference=reference,
        issued_on=at.date(),
        origin="generated",
        size_bytes=1000,
        sha256="0" * 64,
    )
    return doc.DOCUMENT_AVAILABLE.new(data, account_id=account, correlation_id="c", occurred_at=at)
