"""Realistic example records of every kind: what the tests and benchmarks send, and the
parts the demo's book (`infra.local.demo.book`) is made of (one copy, outside the Lambda
asset).

Pure functions of their arguments (a seeded `random.Random` where variety is wanted):
the same call always gives the same record.
"""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from services.provisioning.models.records import to_minor_unit

SCHEMES = ("GO", "I-REC", "REC", "REGO")
COUNTRIES = {
    "GO": ["NL", "NO", "ES", "DE"],
    "I-REC": ["VN", "IN", "BR"],
    "REC": ["US-TX", "US-CA"],
    "REGO": ["GB"],
}
TECHNOLOGIES = {"GO": "T020001", "I-REC": "ES100", "REC": "T010000", "REGO": "T030000"}
CURRENCIES = {"GO": "EUR", "I-REC": "USD", "REC": "USD", "REGO": "GBP"}


def counterparty(
    reference: str, account_id: str, legal_name: str, version: int = 1
) -> dict[str, Any]:
    return {
        "reference": reference,
        "version": version,
        "account_id": account_id,
        "legal_name": legal_name,
    }


def trade(
    reference: str = "STX-T-000001",
    counterparty_reference: str = "STX-CP-0001",
    *,
    version: int = 1,
    status: str = "executed",
    volume: str = "1250.5",
    unit_price: str = "2.35",
    scheme: str = "GO",
    trade_date: date = date(2026, 3, 2),
) -> dict[str, Any]:
    currency = CURRENCIES.get(scheme, "EUR")
    total = to_minor_unit(Decimal(volume) * Decimal(unit_price), currency)
    record: dict[str, Any] = {
        "reference": reference,
        "version": version,
        "counterparty_reference": counterparty_reference,
        "status": status,
        "side": "buy",
        "trade_date": trade_date.isoformat(),
        "scheme": scheme,
        "volume_mwh": volume,
        "unit_price": unit_price,
        "currency": currency,
        "total": str(total),
        "countries": [COUNTRIES.get(scheme, ["NL"])[0]],
        "technologies": [TECHNOLOGIES.get(scheme, "T020001")],
        "vintage_from": "2025-01",
        "vintage_to": "2025-12",
        "delivery_date": (trade_date + timedelta(days=30)).isoformat(),
        "registry_account": "NL-CERTIQ-88412",
        "payment_due_date": (trade_date + timedelta(days=45)).isoformat(),
    }
    if status == "cancelled":
        record["cancellation_reason"] = "Counterparty withdrew before confirmation"
    return record


def random_trade(rng: random.Random, number: int, counterparty_reference: str) -> dict[str, Any]:
    scheme = rng.choice(SCHEMES)
    volume = (
        Decimal(rng.randint(10, 50_000))
        if rng.random() < 0.7
        else Decimal(rng.randint(10_000, 5_000_000)) / 1000
    )
    price = Decimal(rng.randint(50, 900)) / 100
    record = trade(
        f"STX-T-{number:07d}",
        counterparty_reference,
        volume=str(volume),
        unit_price=str(price),
        scheme=scheme,
        trade_date=date(2026, 1, 5) + timedelta(days=rng.randint(0, 300)),
    )
    record["side"] = rng.choice(("buy", "sell"))
    record["countries"] = [rng.choice(COUNTRIES[scheme])]
    return record


def batch(
    serial_start: int, quantity: int, vintage: str = "2025-06", country: str = "NL"
) -> dict[str, Any]:
    return {
        "serial_start": serial_start,
        "serial_end": serial_start + quantity - 1,
        "quantity": quantity,
        "vintage": vintage,
        "country": country,
        "device_code": "NL-WIND-EEMSHAVEN-01",
        "technology": "T020001",
    }


def delivery(
    reference: str = "STX-D-000001",
    counterparty_reference: str = "STX-CP-0001",
    *,
    trade_reference: str = "STX-T-000001",
    volume: int = 1200,
    status: str = "completed",
    version: int = 1,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "reference": reference,
        "version": version,
        "counterparty_reference": counterparty_reference,
        "status": status,
        "trade_reference": trade_reference,
        "delivery_date": "2026-04-01",
        "scheme": "GO",
        "volume_mwh": volume,
        "from_registry_account": "NL-CERTIQ-10001",
        "to_registry_account": "NL-CERTIQ-88412",
        "batches": [batch(1_000_000, volume - 200), batch(2_500_000, 200)]
        if status == "completed"
        else [],
    }
    if status == "failed":
        record["failure_reason"] = "Destination registry account closed"
    return record


def retirement(
    reference: str = "STX-R-000001",
    counterparty_reference: str = "STX-CP-0001",
    *,
    volume: int = 500,
    version: int = 1,
) -> dict[str, Any]:
    return {
        "reference": reference,
        "version": version,
        "counterparty_reference": counterparty_reference,
        "scheme": "GO",
        "registry_account": "NL-CERTIQ-88412",
        "volume_mwh": volume,
        "retired_on": "2026-05-10",
        "beneficiary_name": "Nordic Green Energy AB - Gothenburg site",
        "consumption_country": "NL",
        "consumption_period_start": "2025-01-01",
        "consumption_period_end": "2026-01-01",
        "reporting_year": 2025,
        "purpose": "Scope 2 market-based reporting (RE100)",
        "registry_transaction_reference": "CERTIQ-TX-55120931",
        "batches": [batch(3_000_000, volume)],
    }


def invoice(
    reference: str = "INV-2026-00042",
    counterparty_reference: str = "STX-CP-0001",
    *,
    version: int = 1,
    paid: bool = False,
) -> dict[str, Any]:
    lines = [
        {
            "description": "GO Wind NL vintage 2025, trade STX-T-000001",
            "trade_reference": "STX-T-000001",
            "quantity_mwh": "1250.5",
            "unit_price": "2.35",
            "amount": "2938.68",
        }
    ]
    return {
        "reference": reference,
        "version": version,
        "counterparty_reference": counterparty_reference,
        "document_type": "invoice",
        "issue_date": "2026-04-02",
        "due_date": "2026-05-02",
        "currency": "EUR",
        "net_amount": "2938.68",
        "tax_amount": "617.12",
        "gross_amount": "3555.80",
        "lines": lines,
        "payments": (
            [{"payment_reference": "PAY-99120", "paid_on": "2026-04-20", "amount": "3555.80"}]
            if paid
            else []
        ),
    }


def pdf_bytes(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        + f"% {title}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def document(
    reference: str = "DOC-TC-000001",
    counterparty_reference: str = "STX-CP-0001",
    *,
    version: int = 1,
    related_reference: str = "STX-T-000001",
    issued_on: date = date(2026, 3, 2),
) -> dict[str, Any]:
    content = pdf_bytes(f"Trade confirmation {reference}")
    return {
        "reference": reference,
        "version": version,
        "counterparty_reference": counterparty_reference,
        "document_type": "trade_confirmation",
        "title": f"Trade confirmation {reference}",
        "related_reference": related_reference,
        "issued_on": issued_on.isoformat(),
        "file_name": f"{reference}.pdf",
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode(),
    }


def invoice_for_trade(
    reference: str, trade_record: dict[str, Any], number: int, *, paid: bool
) -> dict[str, Any]:
    """An invoice billing one trade, 21 % VAT, optionally paid in full."""
    trade_date = date.fromisoformat(trade_record["trade_date"])
    net = Decimal(trade_record["total"])
    tax = to_minor_unit(net * Decimal("0.21"), trade_record["currency"])
    gross = net + tax
    issue = trade_date + timedelta(days=31)
    record: dict[str, Any] = {
        "reference": f"INV-{trade_date.year}-{number:05d}",
        "version": 1,
        "counterparty_reference": trade_record["counterparty_reference"],
        "document_type": "invoice",
        "issue_date": issue.isoformat(),
        "due_date": (issue + timedelta(days=30)).isoformat(),
        "currency": trade_record["currency"],
        "net_amount": str(net),
        "tax_amount": str(tax),
        "gross_amount": str(gross),
        "lines": [
            {
                "description": f"{trade_record['scheme']} certificates, trade {reference}",
                "trade_reference": reference,
                "quantity_mwh": trade_record["volume_mwh"],
                "unit_price": trade_record["unit_price"],
                "amount": str(net),
            }
        ],
        "payments": (
            [
                {
                    "payment_reference": f"PAY-{number:06d}",
                    "paid_on": (issue + timedelta(days=12)).isoformat(),
                    "amount": str(gross),
                }
            ]
            if paid
            else []
        ),
    }
    return record
