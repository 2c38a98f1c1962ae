"""What a publisher may send, one pydantic model per kind, with every field rule.

Rules that look at one record only live here: the field types (`models.fields`, each rule
in words) and each model's `CROSS_RULES` (rules over several fields, checked by the model
and, one by one, by `logic.validation` so that every problem of a record is reported at
once). Rules that need stored state live in `logic.lifecycle`, `logic.deliveries` and
`logic.lots`. `docs/ingest.md` is generated from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field

from services.provisioning.models.fields import (
    AccountId,
    Amount,
    Country,
    CrossRule,
    Currency,
    Day,
    Reference,
    TechnologyCode,
    Text,
    UnitPrice,
    Vintage,
    Volume,
    WholeNumber,
    not_in_future,
)
from services.provisioning.models.financial_records import (
    DocumentRecord,
    InvoiceLine,
    InvoiceRecord,
    Payment,
)
from services.provisioning.models.record_base import (
    CERTIFICATE_SCHEMES,
    WH_PER_MWH,
    WHOLE_UNITS_WORDS,
    OwnedRecord,
    Record,
    RecordKind,
    RuleChecked,
    Scheme,
    to_cent,
    to_minor_unit,
)
from services.provisioning.models.record_base import rule as _rule

__all__ = [
    "CSV_KINDS",
    "RECORD_MODELS",
    "CertificateBatch",
    "CounterpartyRecord",
    "DeliveryRecord",
    "DocumentRecord",
    "InvoiceLine",
    "InvoiceRecord",
    "OwnedRecord",
    "Payment",
    "Record",
    "RecordKind",
    "RetirementRecord",
    "TradeRecord",
    "list_fields",
    "record_label",
    "to_cent",
    "to_minor_unit",
]


class CounterpartyRecord(Record):
    """Links an STX counterparty reference to a portal account."""

    account_id: AccountId
    legal_name: Text


def _total_matches(v: Mapping[str, Any], _: date | None) -> str | None:
    expected = to_minor_unit(v["volume_mwh"] * v["unit_price"], v["currency"])
    if v["total"] != expected:
        return f"{v['total']} does not match volume_mwh x unit_price = {expected}"
    return None


def _cancellation(v: Mapping[str, Any], _: date | None) -> str | None:
    if (v["status"] == "cancelled") != (v.get("cancellation_reason") is not None):
        return "required when status is cancelled, and only then"
    return None


class TradeRecord(OwnedRecord):
    status: Literal["executed", "amended", "cancelled"] = Field(
        description="executed (version 1), then amended or cancelled (higher versions)."
    )
    side: Literal["buy", "sell"] = Field(
        description="From the counterparty's point of view: a buy delivers certificates into "
        "registry_account, a sell delivers them out of it."
    )
    trade_date: Day
    scheme: Scheme
    volume_mwh: Volume
    unit_price: UnitPrice
    currency: Currency
    total: Amount = Field(
        description=f"volume_mwh x unit_price, rounded to the cent ({WHOLE_UNITS_WORDS})."
    )
    countries: list[Country] = Field(min_length=1, max_length=50)
    technologies: list[TechnologyCode] = Field(default_factory=list, max_length=50)
    vintage_from: Vintage
    vintage_to: Vintage
    delivery_date: Day = Field(
        description="When the whole volume is due; a forward deal not fully delivered by "
        "then is shown as late."
    )
    registry_account: Text = Field(
        description="The counterparty's registry account the certificates go into (buy) or "
        "come out of (sell)."
    )
    payment_due_date: Day
    cancellation_reason: Text | None = None

    CROSS_RULES = (
        _rule(
            "total",
            ("volume_mwh", "unit_price", "currency", "total"),
            f"total = volume_mwh x unit_price, rounded half up to the cent ({WHOLE_UNITS_WORDS})",
            _total_matches,
        ),
        _rule(
            "vintage_to",
            ("vintage_from", "vintage_to"),
            "vintage_to is not before vintage_from",
            lambda v, _: (
                "must not be before vintage_from" if v["vintage_from"] > v["vintage_to"] else None
            ),
        ),
        _rule(
            "payment_due_date",
            ("trade_date", "payment_due_date"),
            "payment_due_date is after trade_date",
            lambda v, _: (
                "must be after trade_date" if v["payment_due_date"] <= v["trade_date"] else None
            ),
        ),
        _rule(
            "delivery_date",
            ("trade_date", "delivery_date"),
            "delivery_date is not before trade_date",
            lambda v, _: (
                "must not be before trade_date" if v["delivery_date"] < v["trade_date"] else None
            ),
        ),
        _rule(
            "cancellation_reason",
            ("status", "cancellation_reason"),
            "cancellation_reason is given when status is cancelled, and only then",
            _cancellation,
        ),
        not_in_future("trade_date", "trade_date"),
    )


def _serials(v: Mapping[str, Any], _: date | None) -> str | None:
    if v["quantity"] != v["serial_end"] - v["serial_start"] + 1:
        return (
            f"must equal serial_end - serial_start + 1 ({v['serial_end'] - v['serial_start'] + 1})"
        )
    return None


MAX_SERIAL = 10**38 - 1
"""Serial numbers have at most 38 digits, as a DynamoDB number: consumers keep batches as
numbers (portfolio's holdings drill-down), and a longer one would fail them on every try."""


class CertificateBatch(RuleChecked):
    """Certificates with consecutive serial numbers; quantity = end - start + 1."""

    serial_start: WholeNumber = Field(ge=0, le=MAX_SERIAL)
    serial_end: WholeNumber = Field(ge=0, le=MAX_SERIAL)
    quantity: WholeNumber = Field(gt=0, description="Certificates: MWh, or Wh for HOURLY.")
    vintage: Vintage
    country: Country
    device_code: Text
    technology: TechnologyCode

    CROSS_RULES = (
        _rule(
            "serial_end",
            ("serial_start", "serial_end"),
            "serial_end is not below serial_start",
            lambda v, _: (
                "must not be below serial_start" if v["serial_end"] < v["serial_start"] else None
            ),
        ),
        _rule(
            "quantity",
            ("serial_start", "serial_end", "quantity"),
            "quantity = serial_end - serial_start + 1",
            _serials,
        ),
    )


def _whole_mwh(v: Mapping[str, Any], _: date | None) -> str | None:
    volume = v["volume_mwh"]
    if v["scheme"] in CERTIFICATE_SCHEMES and volume != volume.to_integral_value():
        return f"{v['scheme']} certificates are whole MWh"
    return None


def _batches_add_up(v: Mapping[str, Any], _: date | None) -> str | None:
    """Certificate schemes count one serial per MWh, hourly certificates one per Wh."""
    batches = v["batches"]
    if not batches:
        return None
    units = sum(b.quantity for b in batches)
    expected = v["volume_mwh"] * (WH_PER_MWH if v["scheme"] == "HOURLY" else 1)
    if units != expected:
        unit = "Wh" if v["scheme"] == "HOURLY" else "MWh"
        return f"quantities add up to {units} {unit}, volume_mwh says {expected}"
    return None


def _shared_serials(v: Mapping[str, Any], _: date | None) -> str | None:
    """Two batches of one device holding the same serial numbers would count the same
    certificates twice (in the volume and in the holdings)."""
    ranges = sorted(
        (b.device_code, b.serial_start, b.serial_end, index) for index, b in enumerate(v["batches"])
    )
    for before, after in pairwise(ranges):
        if before[0] == after[0] and after[1] <= before[2]:
            first, second = sorted((before[3], after[3]))
            return (
                f"batches {first} and {second} share serial numbers of device {before[0]}: "
                "each certificate is listed once"
            )
    return None


def _issued_before(date_field: str) -> CrossRule:
    """A vintage is the month production ended, and certificates are issued after it: none
    moves (is delivered, retired) before its vintage month."""

    def check(v: Mapping[str, Any], _: date | None) -> str | None:
        day = v[date_field]
        month = f"{day.year:04d}-{day.month:02d}"
        for index, batch in enumerate(v["batches"]):
            if batch.vintage > month:
                return (
                    f"batch {index} is of vintage {batch.vintage}, after {date_field} "
                    f"{day.isoformat()}: certificates move only after their production month"
                )
        return None

    words = f"no batch's vintage is after the month of {date_field}"
    return _rule("batches", ("batches", date_field), words, check)


BATCH_RULES = (
    _rule(
        "batches",
        ("batches",),
        "no two batches of one device share a serial number",
        _shared_serials,
    ),
    _rule(
        "volume_mwh",
        ("scheme", "volume_mwh"),
        "GO, I-REC, REC and REGO volumes are whole MWh",
        _whole_mwh,
    ),
    _rule(
        "batches",
        ("scheme", "volume_mwh", "batches"),
        "the batches' quantities add up to volume_mwh (in Wh for HOURLY)",
        _batches_add_up,
    ),
)


class DeliveryRecord(OwnedRecord):
    status: Literal["completed", "failed"]
    trade_reference: Reference = Field(description="The trade delivered (sent first).")
    delivery_date: Day
    scheme: Scheme
    volume_mwh: Volume
    from_registry_account: Text = Field(
        description="Where the certificates come from: the counterparty's registry account "
        "(the trade's) for a sell."
    )
    to_registry_account: Text = Field(
        description="Where they go: the counterparty's registry account (the trade's) for a buy."
    )
    batches: list[CertificateBatch] = Field(default_factory=list, max_length=200)
    failure_reason: Text | None = None

    CROSS_RULES = (
        *BATCH_RULES,
        _issued_before("delivery_date"),
        _rule(
            "batches",
            ("status", "batches"),
            "a completed delivery names its certificate batches",
            lambda v, _: (
                "a completed delivery names its certificate batches"
                if v["status"] == "completed" and not v["batches"]
                else None
            ),
        ),
        _rule(
            "failure_reason",
            ("status", "failure_reason"),
            "failure_reason is given when status is failed, and only then",
            lambda v, _: (
                "required when status is failed, and only then"
                if (v["status"] == "failed") != (v.get("failure_reason") is not None)
                else None
            ),
        ),
        _rule(
            "to_registry_account",
            ("from_registry_account", "to_registry_account"),
            "to_registry_account differs from from_registry_account",
            lambda v, _: (
                "must differ from from_registry_account"
                if v["from_registry_account"] == v["to_registry_account"]
                else None
            ),
        ),
        not_in_future("delivery_date", "a completed delivery's delivery_date", when="completed"),
    )


class RetirementRecord(OwnedRecord):
    scheme: Scheme
    registry_account: Text = Field(
        description="The counterparty's registry account the certificates are retired from."
    )
    volume_mwh: Volume
    retired_on: Day
    beneficiary_name: Text
    consumption_country: Country
    consumption_period_start: Day
    consumption_period_end: Day
    reporting_year: WholeNumber = Field(ge=2000, le=2100)
    purpose: Text
    registry_transaction_reference: Text
    batches: list[CertificateBatch] = Field(
        min_length=1, max_length=200, description="The serial ranges retired."
    )

    CROSS_RULES = (
        *BATCH_RULES,
        _issued_before("retired_on"),
        _rule(
            "consumption_period_end",
            ("consumption_period_start", "consumption_period_end"),
            "consumption_period_end is after consumption_period_start",
            lambda v, _: (
                "must be after consumption_period_start"
                if v["consumption_period_end"] <= v["consumption_period_start"]
                else None
            ),
        ),
        not_in_future("retired_on", "retired_on"),
    )

    def warnings(self) -> list[str]:
        """Facts worth a look that do not block the record (domain: warn, never block)."""
        years = {int(b.vintage[:4]) for b in self.batches}
        if years - {self.reporting_year}:
            return [f"vintage outside reporting year {self.reporting_year}"]
        return []


RECORD_MODELS: dict[RecordKind, type[Record]] = {
    RecordKind.COUNTERPARTIES: CounterpartyRecord,
    RecordKind.TRADES: TradeRecord,
    RecordKind.DELIVERIES: DeliveryRecord,
    RecordKind.RETIREMENTS: RetirementRecord,
    RecordKind.INVOICES: InvoiceRecord,
    RecordKind.DOCUMENTS: DocumentRecord,
}

CSV_KINDS = frozenset({RecordKind.COUNTERPARTIES, RecordKind.TRADES})
"""Kinds whose records are flat enough for CSV; the others upload as JSON Lines."""


def list_fields(kind: RecordKind) -> frozenset[str]:
    """Fields that a CSV cell carries as a `;`-separated list."""
    model = RECORD_MODELS[kind]
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if getattr(info.annotation, "__origin__", None) is list
    )


def record_label(raw: Any) -> str | None:
    """The reference of a raw record, if it has a usable one (for result lines)."""
    if isinstance(raw, dict):
        value = raw.get("reference")
        if isinstance(value, str):  # shown as sent, but always as text UTF-8 can carry
            return value[:64].encode("utf-8", "backslashreplace").decode("utf-8")
    return None
