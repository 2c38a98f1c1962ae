"""Provisioning events and facts for the portfolio tests (and the benchmark)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from contracts.envelope import EventEnvelope
from contracts.event_type import EventType
from contracts.events import provisioning as prov
from services.portfolio.logic.facts import Fact

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _entity(account_id: str, reference: str, version: int) -> dict[str, Any]:
    """The fields every provisioning entity carries."""
    return {
        "account_id": account_id,
        "reference": reference,
        "version": version,
        "publisher_id": "pub-1",
        "counterparty_reference": f"CP-{account_id}",
    }


def trade(
    account_id: str,
    reference: str,
    version: int = 1,
    *,
    status: str = "executed",
    side: str = "buy",
    volume: str = "100",
    price: str = "2.5",
    trade_date: date = date(2026, 3, 1),
    scheme: str = "GO",
    technologies: tuple[str, ...] = ("T020001",),
    countries: tuple[str, ...] = ("NL",),
    vintage: str = "2025-12",
    delivery_date: date = date(2026, 6, 30),
    currency: str = "EUR",
) -> prov.Trade:
    volume_d, price_d = Decimal(volume), Decimal(price)
    return prov.Trade(
        **_entity(account_id, reference, version),
        status=status,
        side=side,
        trade_date=trade_date,
        scheme=scheme,
        volume_mwh=volume_d,
        unit_price=price_d,
        currency=currency,
        total=(volume_d * price_d).quantize(Decimal("0.01")),
        countries=list(countries),
        technologies=list(technologies),
        vintage_from=vintage,
        vintage_to=vintage,
        delivery_date=delivery_date,
        registry_account="REG-1",
        payment_due_date=date(2026, 7, 31),
        cancellation_reason="client request" if status == "cancelled" else None,
    )


def batch(quantity: int, start: int = 1000, vintage: str = "2025-12") -> prov.CertificateBatch:
    return prov.CertificateBatch(
        serial_start=start,
        serial_end=start + quantity - 1,
        quantity=quantity,
        vintage=vintage,
        country="NL",
        device_code="DEV-1",
        technology="T020001",
    )


def delivery(
    account_id: str,
    trade_reference: str,
    reference: str,
    quantity: int,
    version: int = 1,
    status: str = "completed",
) -> prov.Delivery:
    return prov.Delivery(
        **_entity(account_id, reference, version),
        status=status,
        trade_reference=trade_reference,
        delivery_date=date(2026, 4, 1),
        scheme="GO",
        volume_mwh=Decimal(quantity),
        from_registry_account="STX-REG",
        to_registry_account="REG-1",
        batches=[batch(quantity)],
        failure_reason="registry rejected" if status == "failed" else None,
    )


def retirement(
    account_id: str, reference: str, quantity: int, year: int = 2026
) -> prov.RetirementCompleted:
    return prov.RetirementCompleted(
        **_entity(account_id, reference, 1),
        scheme="GO",
        registry_account="REG-1",
        volume_mwh=Decimal(quantity),
        retired_on=date(year, 5, 1),
        beneficiary_name="Acme Site NL",
        consumption_country="NL",
        consumption_period_start=date(year, 1, 1),
        consumption_period_end=date(year + 1, 1, 1),
        reporting_year=year,
        purpose="voluntary",
        registry_transaction_reference=f"TX-{reference}",
        batches=[batch(quantity, start=5000)],
    )


def invoice(
    account_id: str,
    reference: str,
    trade_reference: str,
    gross: str = "121.00",
    paid: str | None = None,
    version: int = 1,
    due_date: date = date(2026, 4, 30),
) -> prov.Invoice:
    gross_d = Decimal(gross)
    net = (gross_d / Decimal("1.21")).quantize(Decimal("0.01"))
    payments = (
        [
            prov.Payment(
                payment_reference=f"PAY-{reference}", paid_on=date(2026, 4, 1), amount=Decimal(paid)
            )
        ]
        if paid
        else []
    )
    return prov.Invoice(
        **_entity(account_id, reference, version),
        document_type="invoice",
        issue_date=date(2026, 3, 31),
        due_date=due_date,
        currency="EUR",
        net_amount=net,
        tax_amount=gross_d - net,
        gross_amount=gross_d,
        lines=[
            prov.InvoiceLine(
                description="certificates",
                trade_reference=trade_reference,
                quantity_mwh=Decimal(1),
                unit_price=net,
                amount=net,
            )
        ],
        payments=payments,
    )


EVENT_TYPES: dict[str, EventType] = {t.detail_type: t for t in prov.EVENT_TYPES}


def detail_type_of(data: Any) -> str:
    if isinstance(data, prov.Trade):
        return {"executed": "TradeExecuted", "amended": "TradeAmended"}.get(
            data.status, "TradeCancelled"
        )
    if isinstance(data, prov.Delivery):
        return "DeliveryCompleted" if data.status == "completed" else "DeliveryFailed"
    if isinstance(data, prov.RetirementCompleted):
        return "RetirementCompleted"
    return "InvoicePaid" if data.payments else "InvoiceIssued"


def envelope(data: Any, offset_seconds: int = 0) -> EventEnvelope[Any]:
    """The event provisioning would publish; the id is stable per entity version."""
    detail_type = detail_type_of(data)
    event_id = uuid5(
        NAMESPACE_URL, f"{detail_type}/{data.account_id}/{data.reference}/{data.version}"
    )
    return EVENT_TYPES[detail_type].new(
        data,
        account_id=data.account_id,
        correlation_id="test",
        occurred_at=EPOCH + timedelta(seconds=offset_seconds + data.version),
        event_id=event_id,
    )


def fact(data: Any) -> Fact:
    return Fact.from_envelope(envelope(data))
