"""Facts as provisioning's events carry them (built through the contracts' models, so a
fact here is one the real events can produce)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from contracts.events import provisioning as prov
from services.documents.models.facts import KIND_OF_DETAIL_TYPE, Fact

ACCOUNT = "acc-a"
OTHER = "acc-b"
PUBLISHER = "pub-1"
CP = {ACCOUNT: "STX-CP-0001", OTHER: "STX-CP-0002"}
NAMES = {ACCOUNT: "Nordic Green Energy BV", OTHER: "Công ty Cổ phần Năng lượng Mặt trời Sài Gòn"}
BASE_TIME = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def as_fact(detail_type: str, data: Any, event_id: str, occurred_at: datetime = BASE_TIME) -> Fact:
    return Fact(
        kind=KIND_OF_DETAIL_TYPE[detail_type],
        event_id=event_id,
        detail_type=detail_type,
        occurred_at=occurred_at,
        data=data.model_dump(mode="json"),
    )


def party(account: str = ACCOUNT, version: int = 1) -> Fact:
    data = prov.CounterpartyLinked(
        account_id=account,
        reference=CP[account],
        version=version,
        publisher_id=PUBLISHER,
        legal_name=NAMES[account],
    )
    return as_fact("CounterpartyLinked", data, f"link-{account}-{version}")


def trade(
    reference: str = "STX-T-1",
    version: int = 1,
    *,
    account: str = ACCOUNT,
    status: str = "executed",
    side: str = "buy",
    volume: str = "1250.5",
    price: str = "2.35",
    trade_date: date = date(2026, 11, 2),
) -> Fact:
    total = (Decimal(volume) * Decimal(price)).quantize(Decimal("0.01"))
    data = prov.Trade(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id=PUBLISHER,
        counterparty_reference=CP[account],
        status=status,
        side=side,
        trade_date=trade_date,
        scheme="GO",
        volume_mwh=Decimal(volume),
        unit_price=Decimal(price),
        currency="EUR",
        total=total,
        countries=["NL"],
        technologies=["T020001"],
        vintage_from="2025-01",
        vintage_to="2025-12",
        delivery_date=trade_date + timedelta(days=30),
        registry_account="NL-CERTIQ-88412",
        payment_due_date=trade_date + timedelta(days=45),
        cancellation_reason="Counterparty withdrew" if status == "cancelled" else None,
    )
    detail = {"executed": "TradeExecuted", "amended": "TradeAmended", "cancelled": "TradeCancelled"}
    occurred = BASE_TIME + timedelta(hours=version)
    return as_fact(detail[status], data, f"trade-{reference}-{version}", occurred)


def batch(serial: int, quantity: int, vintage: str = "2025-06") -> prov.CertificateBatch:
    return prov.CertificateBatch(
        serial_start=serial,
        serial_end=serial + quantity - 1,
        quantity=quantity,
        vintage=vintage,
        country="NL",
        device_code="NL-WIND-01",
        technology="T020001",
    )


def delivery(
    reference: str,
    trade_reference: str,
    quantity: int,
    *,
    account: str = ACCOUNT,
    version: int = 1,
    status: str = "completed",
    on: date = date(2026, 11, 20),
    vintage: str = "2025-06",
) -> Fact:
    data = prov.Delivery(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id=PUBLISHER,
        counterparty_reference=CP[account],
        status=status,
        trade_reference=trade_reference,
        delivery_date=on,
        scheme="GO",
        volume_mwh=Decimal(quantity),
        from_registry_account="STX-1",
        to_registry_account="NL-CERTIQ-88412",
        batches=[batch(1_000_000 + version, quantity, vintage)] if status == "completed" else [],
        failure_reason=None if status == "completed" else "Account closed",
    )
    detail = "DeliveryCompleted" if status == "completed" else "DeliveryFailed"
    return as_fact(detail, data, f"delivery-{reference}-{version}")


def retirement(
    reference: str = "STX-R-1",
    quantity: int = 100,
    *,
    account: str = ACCOUNT,
    version: int = 1,
    on: date = date(2026, 11, 25),
    beneficiary: str = "Nhà máy Bình Dương",
) -> Fact:
    data = prov.RetirementCompleted(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id=PUBLISHER,
        counterparty_reference=CP[account],
        scheme="GO",
        volume_mwh=Decimal(quantity),
        retired_on=on,
        beneficiary_name=beneficiary,
        consumption_country="VN",
        consumption_period_start=date(2025, 1, 1),
        consumption_period_end=date(2025, 12, 31),
        reporting_year=2025,
        purpose="Scope 2 market-based reporting",
        registry_transaction_reference="TX-1",
        batches=[batch(3_000_000, quantity)],
    )
    return as_fact("RetirementCompleted", data, f"retirement-{reference}-{version}")


def invoice(
    reference: str = "INV-1",
    *,
    account: str = ACCOUNT,
    version: int = 1,
    paid: str | None = None,
    credit: bool = False,
    issue: date = date(2026, 11, 5),
    gross: str = "3555.80",
) -> Fact:
    net = (Decimal(gross) / Decimal("1.21")).quantize(Decimal("0.01"))
    tax = Decimal(gross) - net
    data = prov.Invoice(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id=PUBLISHER,
        counterparty_reference=CP[account],
        document_type="credit_note" if credit else "invoice",
        credited_invoice_reference="INV-0" if credit else None,
        issue_date=issue,
        due_date=issue + timedelta(days=30),
        currency="EUR",
        net_amount=net,
        tax_amount=tax,
        gross_amount=Decimal(gross),
        lines=[
            prov.InvoiceLine(
                description="GO certificates",
                trade_reference="STX-T-1",
                quantity_mwh=Decimal("1"),
                unit_price=net,
                amount=net,
            )
        ],
        payments=(
            [
                prov.Payment(
                    payment_reference="PAY-1",
                    paid_on=issue + timedelta(days=10),
                    amount=Decimal(paid),
                )
            ]
            if paid
            else []
        ),
    )
    detail = "InvoicePaid" if paid and Decimal(paid) == Decimal(gross) else "InvoiceIssued"
    return as_fact(detail, data, f"invoice-{reference}-{version}")


def published(
    reference: str,
    content: bytes,
    *,
    account: str = ACCOUNT,
    version: int = 1,
    document_type: str = "trade_confirmation",
    related: str | None = "STX-T-1",
    sha256: str | None = None,
    object_key: str | None = None,
) -> Fact:
    import hashlib

    data = prov.DocumentPublished(
        account_id=account,
        reference=reference,
        version=version,
        publisher_id=PUBLISHER,
        counterparty_reference=CP[account],
        document_type=document_type,
        title=f"STX document {reference}",
        related_reference=related,
        issued_on=date(2026, 11, 10),
        file_name=f"{reference}.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=sha256 or hashlib.sha256(content).hexdigest(),
        object_key=object_key or f"documents/{account}/{reference}/v{version}/{reference}.pdf",
    )
    return as_fact("DocumentPublished", data, f"published-{reference}-{version}")
