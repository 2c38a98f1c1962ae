"""Every single-record rule: one accepted and one rejected example, with field path."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.validation import RecordInvalid, csv_row_to_raw, validate_record
from services.provisioning.models.records import RecordKind

pytestmark = pytest.mark.unit

Mutation = Callable[[dict[str, Any]], None]


def _set(**changes: Any) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        record.update(changes)

    return mutate


def _set_batch(**changes: Any) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        record["batches"][0].update(changes)

    return mutate


def _second_batch_from(serial_start: int, device_code: str | None = None) -> Mutation:
    """The example's second batch (200 certificates) moved to start at `serial_start`."""

    def mutate(record: dict[str, Any]) -> None:
        moved = record["batches"][1]
        moved.update(serial_start=serial_start, serial_end=serial_start + moved["quantity"] - 1)
        if device_code is not None:
            moved["device_code"] = device_code

    return mutate


def _drop(name: str) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        del record[name]

    return mutate


def _with_document(content: bytes, *, sha: str | None = None) -> Mutation:
    def mutate(record: dict[str, Any]) -> None:
        record["content_base64"] = base64.b64encode(content).decode()
        record["sha256"] = sha or hashlib.sha256(content).hexdigest()

    return mutate


WHOLE_UNITS = {"line": "2939", "net": "2939", "tax": "617", "gross": "3556"}
"""The example invoice's amounts rounded to whole units (its line is 1250.5 x 2.35)."""


def _amounts(currency: str, paid: str | None = None, **changes: str) -> Mutation:
    """The example invoice in `currency`, with whole-unit amounts except `changes`."""
    amounts = WHOLE_UNITS | changes

    def mutate(record: dict[str, Any]) -> None:
        record.update(
            currency=currency,
            net_amount=amounts["net"],
            tax_amount=amounts["tax"],
            gross_amount=amounts["gross"],
        )
        record["lines"][0]["amount"] = amounts["line"]
        if paid is not None:
            record["payments"] = [
                {"payment_reference": "P1", "paid_on": "2026-04-20", "amount": paid}
            ]

    return mutate


BUILDERS: dict[RecordKind, Callable[[], dict[str, Any]]] = {
    RecordKind.COUNTERPARTIES: lambda: testdata.counterparty("STX-CP-0001", "acc-1", "Nordic AB"),
    RecordKind.TRADES: testdata.trade,
    RecordKind.DELIVERIES: testdata.delivery,
    RecordKind.RETIREMENTS: testdata.retirement,
    RecordKind.INVOICES: testdata.invoice,
    RecordKind.DOCUMENTS: testdata.document,
}

# (rule, kind, accepted mutation, rejected mutation, field path, reason fragment)
RULES: list[tuple[str, RecordKind, Mutation, Mutation, str, str]] = [
    ("unknown field", RecordKind.TRADES, _set(), _set(colour="green"), "colour", "unknown field"),
    ("missing field", RecordKind.TRADES, _set(), _drop("currency"), "currency", "required"),
    (
        "reference format",
        RecordKind.TRADES,
        _set(reference="STX/T:9.1-a"),
        _set(reference="bad ref!"),
        "reference",
        "letters, digits and . _ / : -",
    ),
    (
        "version positive",
        RecordKind.TRADES,
        _set(status="amended", version=2),
        _set(version=0),
        "version",
        "greater than or equal to 1",
    ),
    (
        "version no boolean",
        RecordKind.TRADES,
        _set(version=1),
        _set(version=True),
        "version",
        "not true or false",
    ),
    (
        "quantity no boolean",
        RecordKind.DELIVERIES,
        _set(),
        _set_batch(quantity=True),
        "batches.0.quantity",
        "not true or false",
    ),
    (
        "country ISO 3166-1",
        RecordKind.TRADES,
        _set(countries=["VN", "NO"]),
        _set(countries=["NL", "XX"]),
        "countries.1",
        "ISO 3166",
    ),
    (
        "country ISO 3166-2",
        RecordKind.TRADES,
        _set(countries=["US-TX"]),
        _set(countries=["US-ZZ"]),
        "countries.0",
        "ISO 3166",
    ),
    (
        "country shape",
        RecordKind.TRADES,
        _set(countries=["GB"]),
        _set(countries=["nl"]),
        "countries.0",
        "an ISO 3166 code in capitals",
    ),
    (
        "currency ISO 4217",
        RecordKind.TRADES,
        _set(currency="GBP", total="2938.68"),
        _set(currency="EUX"),
        "currency",
        "ISO 4217",
    ),
    (
        "currency is money, not a metal, unit or test code",
        RecordKind.TRADES,
        _set(currency="XOF", total="2939"),
        _set(currency="XXX"),
        "currency",
        "not a currency",
    ),
    (
        "vintage YYYY-MM",
        RecordKind.TRADES,
        _set(vintage_from="2024-12"),
        _set(vintage_from="2024-13"),
        "vintage_from",
        "a month as YYYY-MM",
    ),
    (
        "vintage order",
        RecordKind.TRADES,
        _set(vintage_to="2025-01"),
        _set(vintage_from="2026-01"),
        "vintage_to",
        "before vintage_from",
    ),
    (
        "volume positive",
        RecordKind.TRADES,
        _set(volume_mwh="0.001", unit_price="1000", total="1.00"),
        _set(volume_mwh="-5"),
        "volume_mwh",
        "greater than 0",
    ),
    (
        "volume 3 decimals",
        RecordKind.TRADES,
        _set(volume_mwh="10.125", unit_price="2", total="20.25"),
        _set(volume_mwh="10.1255"),
        "volume_mwh",
        "3 decimal places",
    ),
    (
        "unit price 6 decimals",
        RecordKind.TRADES,
        _set(unit_price="2.123456", volume_mwh="100", total="212.35"),
        _set(unit_price="2.1234567"),
        "unit_price",
        "6 decimal places",
    ),
    (
        "total to the cent",
        RecordKind.TRADES,
        _set(total="2938.68"),
        _set(total="2938.67"),
        "total",
        "volume_mwh x unit_price",
    ),
    (
        "total in whole units of a currency without a minor unit",
        RecordKind.TRADES,
        _set(currency="JPY", total="2939"),
        _set(currency="JPY", total="2938.68"),
        "total",
        "volume_mwh x unit_price = 2939",
    ),
    (
        "total 2 decimals",
        RecordKind.TRADES,
        _set(),
        _set(total="2938.675"),
        "total",
        "2 decimal places",
    ),
    (
        "payment due after trade date",
        RecordKind.TRADES,
        _set(payment_due_date="2026-03-03"),
        _set(payment_due_date="2026-03-02"),
        "payment_due_date",
        "after trade_date",
    ),
    (
        "delivery not before trade",
        RecordKind.TRADES,
        _set(delivery_date="2026-03-02"),
        _set(delivery_date="2026-03-01"),
        "delivery_date",
        "before trade_date",
    ),
    (
        "cancellation needs reason",
        RecordKind.TRADES,
        _set(status="cancelled", cancellation_reason="Withdrawn"),
        _set(status="cancelled"),
        "cancellation_reason",
        "required",
    ),
    (
        "side enum",
        RecordKind.TRADES,
        _set(side="sell"),
        _set(side="hold"),
        "side",
        "'buy' or 'sell'",
    ),
    (
        "technology code",
        RecordKind.TRADES,
        _set(technologies=["F01050200", "ES100"]),
        _set(technologies=["t02"]),
        "technologies.0",
        "an EECS technology code",
    ),
    (
        "date format",
        RecordKind.TRADES,
        _set(trade_date="2026-03-02"),
        _set(trade_date="02/03/2026"),
        "trade_date",
        "date",
    ),
    (
        "whole MWh for GO deliveries",
        RecordKind.DELIVERIES,
        _set(),
        _set(volume_mwh="1200.5"),
        "volume_mwh",
        "whole MWh",
    ),
    (
        "hourly counted in Wh",
        RecordKind.DELIVERIES,
        _set(scheme="HOURLY", volume_mwh="0.012", batches=[testdata.batch(1, 12000)]),
        _set(scheme="HOURLY", volume_mwh="0.013", batches=[testdata.batch(1, 12000)]),
        "batches",
        "Wh",
    ),
    (
        "serial range matches quantity",
        RecordKind.DELIVERIES,
        _set_batch(serial_start=5, serial_end=1004, quantity=1000),
        _set_batch(quantity=999),
        "batches.0.quantity",
        "serial_end - serial_start + 1",
    ),
    (
        "batches of one device share no serial",
        RecordKind.DELIVERIES,
        _second_batch_from(1_000_500, device_code="NL-SOLAR-VLISSINGEN-02"),
        _second_batch_from(1_000_999),
        "batches",
        "batches 0 and 1 share serial numbers",
    ),
    (
        "a retirement lists each certificate once",
        RecordKind.RETIREMENTS,
        _set(),
        lambda record: record["batches"].append(dict(record["batches"][0])),
        "batches",
        "each certificate is listed once",
    ),
    (
        "serial end not below start",
        RecordKind.DELIVERIES,
        _set(),
        _set_batch(serial_end=0),
        "batches.0.serial_end",
        "below serial_start",
    ),
    (
        "batches add up to volume",
        RecordKind.DELIVERIES,
        _set(),
        _set(volume_mwh=1300),
        "batches",
        "add up to",
    ),
    (
        "completed delivery has batches",
        RecordKind.DELIVERIES,
        _set(),
        _set(batches=[]),
        "batches",
        "completed delivery",
    ),
    (
        "failure needs reason",
        RecordKind.DELIVERIES,
        _set(status="failed", batches=[], failure_reason="Registry down"),
        _set(status="failed", batches=[]),
        "failure_reason",
        "required",
    ),
    (
        "batch country ISO",
        RecordKind.DELIVERIES,
        _set_batch(country="DE"),
        _set_batch(country="EU"),
        "batches.0.country",
        "ISO 3166",
    ),
    (
        "batch vintage",
        RecordKind.DELIVERIES,
        _set_batch(vintage="2025-09"),
        _set_batch(vintage="2025-9"),
        "batches.0.vintage",
        "a month as YYYY-MM",
    ),
    (
        "whole MWh for retirements",
        RecordKind.RETIREMENTS,
        _set(volume_mwh="500"),
        _set(volume_mwh="500.5"),
        "volume_mwh",
        "whole MWh",
    ),
    (
        "consumption period order",
        RecordKind.RETIREMENTS,
        _set(consumption_period_end="2025-01-02"),
        _set(consumption_period_end="2025-01-01"),
        "consumption_period_end",
        "after consumption_period_start",
    ),
    (
        "consumption country",
        RecordKind.RETIREMENTS,
        _set(consumption_country="SE"),
        _set(consumption_country="SWE"),
        "consumption_country",
        "an ISO 3166 code in capitals",
    ),
    (
        "retirement needs batches",
        RecordKind.RETIREMENTS,
        _set(),
        _set(batches=[]),
        "batches",
        "at least 1",
    ),
    (
        "due date after issue date",
        RecordKind.INVOICES,
        _set(due_date="2026-04-03"),
        _set(due_date="2026-04-02"),
        "due_date",
        "after issue_date",
    ),
    (
        "net + tax = gross",
        RecordKind.INVOICES,
        _set(),
        _set(gross_amount="3555.81"),
        "gross_amount",
        "net_amount + tax_amount",
    ),
    (
        "lines add up to net",
        RecordKind.INVOICES,
        _set(),
        _set(net_amount="2938.00", gross_amount="3555.12"),
        "net_amount",
        "lines add up",
    ),
    (
        "line amount to the cent",
        RecordKind.INVOICES,
        _set(),
        lambda r: r["lines"][0].update(amount="2938.69"),
        "lines.0.amount",
        "quantity_mwh x unit_price",
    ),
    (
        "a line in whole units of a currency without a minor unit",
        RecordKind.INVOICES,
        _amounts("JPY"),
        _amounts("JPY", line="2938.68", net="2938.68", gross="3555.68"),
        "lines",
        "line 0: amount 2938.68 does not match quantity_mwh x unit_price = 2939 in JPY",
    ),
    (
        "a line to the cent in a currency with cents",
        RecordKind.INVOICES,
        _set(),
        _amounts("EUR"),
        "lines",
        "= 2938.68 in EUR",
    ),
    (
        "tax in whole units of a currency without a minor unit",
        RecordKind.INVOICES,
        _amounts("KRW"),
        _amounts("KRW", tax="617.12", gross="3556.12"),
        "tax_amount",
        "617.12 has a fraction KRW does not have",
    ),
    (
        "payments in whole units of a currency without a minor unit",
        RecordKind.INVOICES,
        _amounts("VND", paid="3556"),
        _amounts("VND", paid="3555.5"),
        "payments",
        "3555.5 has a fraction VND does not have",
    ),
    (
        "payment not before issue",
        RecordKind.INVOICES,
        _set(payments=[{"payment_reference": "P1", "paid_on": "2026-04-02", "amount": "100.00"}]),
        _set(payments=[{"payment_reference": "P1", "paid_on": "2026-04-01", "amount": "100.00"}]),
        "payments",
        "precede issue_date",
    ),
    (
        "each payment once",
        RecordKind.INVOICES,
        _set(
            payments=[
                {"payment_reference": "P1", "paid_on": "2026-04-20", "amount": "100.00"},
                {"payment_reference": "P2", "paid_on": "2026-04-20", "amount": "100.00"},
            ]
        ),
        _set(
            payments=[
                {"payment_reference": "P1", "paid_on": "2026-04-20", "amount": "100.00"},
                {"payment_reference": "P1", "paid_on": "2026-04-20", "amount": "100.00"},
            ]
        ),
        "payments",
        "listed twice",
    ),
    (
        "no overpayment",
        RecordKind.INVOICES,
        _set(payments=[{"payment_reference": "P1", "paid_on": "2026-04-20", "amount": "3555.80"}]),
        _set(payments=[{"payment_reference": "P1", "paid_on": "2026-04-20", "amount": "3555.81"}]),
        "payments",
        "more paid",
    ),
    (
        "invoice not negative",
        RecordKind.INVOICES,
        _set(),
        _set(
            net_amount="-100.00",
            tax_amount="0.00",
            gross_amount="-100.00",
            lines=[
                {
                    "description": "refund",
                    "quantity_mwh": "1",
                    "unit_price": "-100.00",
                    "amount": "-100.00",
                }
            ],
        ),
        "gross_amount",
        "send a credit note",
    ),
    (
        "credit note names invoice",
        RecordKind.INVOICES,
        _set(document_type="credit_note", credited_invoice_reference="INV-1"),
        _set(document_type="credit_note"),
        "credited_invoice_reference",
        "credit note",
    ),
    (
        "invoice currency",
        RecordKind.INVOICES,
        _set(currency="SEK"),
        _set(currency="XYZ"),
        "currency",
        "ISO 4217",
    ),
    (
        "document sha256",
        RecordKind.DOCUMENTS,
        _set(),
        _set(sha256="0" * 64),
        "sha256",
        "does not match",
    ),
    (
        "document is a PDF",
        RecordKind.DOCUMENTS,
        _with_document(b"%PDF-1.7 tiny"),
        _with_document(b"<html>not a pdf</html>"),
        "content_base64",
        "not a PDF",
    ),
    (
        "document base64",
        RecordKind.DOCUMENTS,
        _set(),
        _set(content_base64="!!!notbase64"),
        "content_base64",
        "base64",
    ),
    (
        "document size",
        RecordKind.DOCUMENTS,
        _with_document(b"%PDF-" + b"0" * 700_000),
        _with_document(b"%PDF-" + b"0" * 720_000),
        "content_base64",
        "larger than",
    ),
    (
        "document file name",
        RecordKind.DOCUMENTS,
        _set(file_name="Confirmation 2026-03.pdf"),
        _set(file_name="../etc/passwd"),
        "file_name",
        "ending in .pdf",
    ),
    (
        "counterparty account id",
        RecordKind.COUNTERPARTIES,
        _set(account_id="acc-7f3c2a91"),
        _set(account_id="acc 7f"),
        "account_id",
        "letters, digits, _ or -",
    ),
    (
        "counterparty name",
        RecordKind.COUNTERPARTIES,
        _set(legal_name="X"),
        _set(legal_name=""),
        "legal_name",
        "at least 1",
    ),
]


@pytest.mark.parametrize(
    ("kind", "accepted", "rejected", "field", "reason"),
    [pytest.param(k, a, r, f, why, id=rule) for rule, k, a, r, f, why in RULES],
)
def test_rule(
    kind: RecordKind, accepted: Mutation, rejected: Mutation, field: str, reason: str
) -> None:
    good = BUILDERS[kind]()
    accepted(good)
    assert validate_record(kind, good).reference == good["reference"]

    bad = BUILDERS[kind]()
    rejected(bad)
    with pytest.raises(RecordInvalid) as caught:
        validate_record(kind, bad)
    matching = [e for e in caught.value.errors if e.field == field]
    assert matching, f"no error on {field}: {caught.value.errors}"
    assert any(reason in e.reason for e in matching), matching


@pytest.mark.parametrize("kind", list(RecordKind))
def test_every_builder_is_valid(kind: RecordKind) -> None:
    assert validate_record(kind, BUILDERS[kind]()).version == 1


def test_a_record_must_be_an_object() -> None:
    with pytest.raises(RecordInvalid) as caught:
        validate_record(RecordKind.TRADES, ["not", "an", "object"])
    assert caught.value.errors[0].field == "(record)"


def test_every_broken_field_is_reported_at_once() -> None:
    bad = testdata.trade()
    bad.update(currency="EUX", countries=["XX"], vintage_from="2025-00")
    with pytest.raises(RecordInvalid) as caught:
        validate_record(RecordKind.TRADES, bad)
    assert {e.field for e in caught.value.errors} >= {"currency", "countries.0", "vintage_from"}


def test_retirement_vintage_outside_reporting_year_warns_without_blocking() -> None:
    record = testdata.retirement()
    record["reporting_year"] = 2026
    retirement = validate_record(RecordKind.RETIREMENTS, record)
    assert retirement.warnings() == ["vintage outside reporting year 2026"]  # type: ignore[attr-defined]


def test_csv_row_splits_lists_and_drops_empty_cells() -> None:
    row: dict[str | None, Any] = {
        k: (";".join(v) if isinstance(v, list) else str(v)) for k, v in testdata.trade().items()
    }
    row["countries"] = "NL; DE"
    row["cancellation_reason"] = ""
    raw = csv_row_to_raw(RecordKind.TRADES, row)
    assert isinstance(raw, dict)
    assert raw["countries"] == ["NL", "DE"]
    assert "cancellation_reason" not in raw
    assert validate_record(RecordKind.TRADES, raw).version == 1


def test_csv_row_with_extra_cells_is_rejected() -> None:
    row: dict[str | None, Any] = {"reference": "STX-CP-1", None: ["surplus"]}
    raw = csv_row_to_raw(RecordKind.COUNTERPARTIES, row)
    with pytest.raises(RecordInvalid) as caught:
        validate_record(RecordKind.COUNTERPARTIES, raw)
    assert [e.field for e in caught.value.errors] == ["(row)"]
    assert caught.value.errors[0].reason.startswith("has 2 cells, the header names 1")


def test_a_list_past_its_limit_is_judged_no_further_than_its_limit() -> None:
    """A list longer than its limit is refused on the list, and only its items up to the
    limit are judged one by one: a 0.9 MB batch of one invoice with 300,000 empty lines
    made 1.2 million problems (48 MB of answer, past what a Lambda may return, after
    seconds of CPU)."""
    bad = testdata.invoice()
    bad["lines"] = [{}] * 300_000
    with pytest.raises(RecordInvalid) as caught:
        validate_record(RecordKind.INVOICES, bad)
    fields = [e.field for e in caught.value.errors]
    assert "lines" in fields
    assert "lines.499.amount" in fields
    assert "lines.500.amount" not in fields
    assert len(fields) <= 500 * 4 + 10
