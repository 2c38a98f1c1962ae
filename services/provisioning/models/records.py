"""What a publisher may send, one pydantic model per kind, with every field rule.

Rules that look at one record only live here (strict schema, ISO codes, decimals,
totals, serial ranges, dates); rules that need stored state live in `logic.lifecycle`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Literal

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

CENT = Decimal("0.01")
MAX_DOCUMENT_BYTES = 700 * 1024
"""A document travels base64-encoded inside a batch that must stay under 1 MB."""

CERTIFICATE_SCHEMES = frozenset({"GO", "I-REC", "REC", "REGO"})
"""Schemes whose certificates are whole MWh units."""

WH_PER_MWH = 1_000_000


class RecordKind(StrEnum):
    COUNTERPARTIES = "counterparties"
    TRADES = "trades"
    DELIVERIES = "deliveries"
    RETIREMENTS = "retirements"
    INVOICES = "invoices"
    DOCUMENTS = "documents"


@lru_cache(maxsize=4096)
def _country(code: str) -> str:
    """ISO 3166-1 alpha-2 (`NL`) or an ISO 3166-2 subdivision (`US-TX`)."""
    found = (
        pycountry.subdivisions.get(code=code)
        if "-" in code
        else pycountry.countries.get(alpha_2=code)
    )
    if found is None:
        raise ValueError(f"'{code}' is not an ISO 3166 country or subdivision code")
    return code


NON_MONETARY_CODES = frozenset(
    {"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XTS", "XXX"}
)
"""ISO 4217 codes that are not money one can be invoiced in: precious metals, bond-market and
SDR-like units, the testing code and "no currency" (XAF, XCD, XOF, XPF are real currencies)."""


@lru_cache(maxsize=512)
def _currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    if code in NON_MONETARY_CODES:
        raise ValueError(f"'{code}' is an ISO 4217 code but not a currency (metal, unit or test)")
    return code


Reference = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$")]
Version = Annotated[int, Field(ge=1, le=1_000_000)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"), AfterValidator(_country)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency)]
Vintage = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Volume = Annotated[Decimal, Field(gt=0, decimal_places=3, max_digits=15)]
UnitPrice = Annotated[Decimal, Field(ge=0, decimal_places=6, max_digits=18)]
Amount = Annotated[Decimal, Field(decimal_places=2, max_digits=15)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Scheme = Literal["GO", "I-REC", "REC", "REGO", "HOURLY"]
TechnologyCode = Annotated[str, Field(pattern=r"^(T\d{6}|F\d{8}|ES\d{3}|[A-Z][A-Za-z0-9-]{1,19})$")]
AccountId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def to_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Record(BaseModel):
    """Fields every record has: the source system's reference and its version."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    reference: Reference
    version: Version

    def content_hash(self) -> str:
        """Stable digest of the record, to tell a true duplicate from a conflicting one."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


class OwnedRecord(Record):
    """A record that belongs to one counterparty, named by its STX reference."""

    counterparty_reference: Reference


class CounterpartyRecord(Record):
    """Links an STX counterparty reference to a portal account."""

    account_id: AccountId
    legal_name: Text


class TradeRecord(OwnedRecord):
    status: Literal["executed", "amended", "cancelled"]
    side: Literal["buy", "sell"]
    trade_date: date
    scheme: Scheme
    volume_mwh: Volume
    unit_price: UnitPrice
    currency: Currency
    total: Amount
    countries: list[Country] = Field(min_length=1, max_length=50)
    technologies: list[TechnologyCode] = Field(default_factory=list, max_length=50)
    vintage_from: Vintage
    vintage_to: Vintage
    delivery_date: date
    registry_account: Text
    payment_due_date: date
    cancellation_reason: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TradeRecord:
        expected = to_cent(self.volume_mwh * self.unit_price)
        if self.total != expected:
            raise ValueError(
                f"total: {self.total} does not match volume_mwh x unit_price = {expected}"
            )
        if self.vintage_from > self.vintage_to:
            raise ValueError("vintage_to: must not be before vintage_from")
        if self.payment_due_date <= self.trade_date:
            raise ValueError("payment_due_date: must be after trade_date")
        if self.delivery_date < self.trade_date:
            raise ValueError("delivery_date: must not be before trade_date")
        if (self.status == "cancelled") != (self.cancellation_reason is not None):
            raise ValueError(
                "cancellation_reason: required when status is cancelled, and only then"
            )
        return self


class CertificateBatch(BaseModel):
    """Certificates with consecutive serial numbers; quantity = end - start + 1."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    serial_start: int = Field(ge=0)
    serial_end: int = Field(ge=0)
    quantity: int = Field(gt=0)
    vintage: Vintage
    country: Country
    device_code: Text
    technology: TechnologyCode

    @model_validator(mode="after")
    def _serials_match(self) -> CertificateBatch:
        if self.serial_end < self.serial_start:
            raise ValueError("serial_end: must not be below serial_start")
        if self.quantity != self.serial_end - self.serial_start + 1:
            raise ValueError(
                "quantity: must equal serial_end - serial_start + 1 "
                f"({self.serial_end - self.serial_start + 1})"
            )
        return self


def _check_batches(scheme: str, volume: Decimal, batches: list[CertificateBatch]) -> None:
    """Whole MWh for certificate schemes; batch quantities add up to the volume.

    Certificate schemes count one serial per MWh, hourly certificates one per Wh.
    """
    if scheme in CERTIFICATE_SCHEMES and volume != volume.to_integral_value():
        raise ValueError(f"volume_mwh: {scheme} certificates are whole MWh")
    if not batches:
        return
    units = sum(b.quantity for b in batches)
    expected = volume * (WH_PER_MWH if scheme == "HOURLY" else 1)
    if units != expected:
        unit = "Wh" if scheme == "HOURLY" else "MWh"
        raise ValueError(
            f"batches: quantities add up to {units} {unit}, volume_mwh says {expected}"
        )


class DeliveryRecord(OwnedRecord):
    status: Literal["completed", "failed"]
    trade_reference: Reference
    delivery_date: date
    scheme: Scheme
    volume_mwh: Volume
    from_registry_account: Text
    to_registry_account: Text
    batches: list[CertificateBatch] = Field(default_factory=list, max_length=200)
    failure_reason: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DeliveryRecord:
        _check_batches(self.scheme, self.volume_mwh, self.batches)
        if self.status == "completed" and not self.batches:
            raise ValueError("batches: a completed delivery names its certificate batches")
        if (self.status == "failed") != (self.failure_reason is not None):
            raise ValueError("failure_reason: required when status is failed, and only then")
        return self


class RetirementRecord(OwnedRecord):
    scheme: Scheme
    volume_mwh: Volume
    retired_on: date
    beneficiary_name: Text
    consumption_country: Country
    consumption_period_start: date
    consumption_period_end: date
    reporting_year: int = Field(ge=2000, le=2100)
    purpose: Text
    registry_transaction_reference: Text
    batches: list[CertificateBatch] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _consistent(self) -> RetirementRecord:
        _check_batches(self.scheme, self.volume_mwh, self.batches)
        if self.consumption_period_end <= self.consumption_period_start:
            raise ValueError("consumption_period_end: must be after consumption_period_start")
        return self

    def warnings(self) -> list[str]:
        """Facts worth a look that do not block the record (domain: warn, never block)."""
        years = {int(b.vintage[:4]) for b in self.batches}
        if years - {self.reporting_year}:
            return [f"vintage outside reporting year {self.reporting_year}"]
        return []


class InvoiceLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    description: Text
    trade_reference: Reference | None = None
    delivery_reference: Reference | None = None
    quantity_mwh: Volume
    unit_price: UnitPrice
    amount: Amount

    @model_validator(mode="after")
    def _amount_matches(self) -> InvoiceLine:
        expected = to_cent(self.quantity_mwh * self.unit_price)
        if self.amount != expected:
            raise ValueError(
                f"amount: {self.amount} does not match quantity_mwh x unit_price = {expected}"
            )
        return self


class Payment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    payment_reference: Reference
    paid_on: date
    amount: Annotated[Decimal, Field(gt=0, decimal_places=2, max_digits=15)]


class InvoiceRecord(OwnedRecord):
    """An invoice or a credit note; `reference` is its number (unique per issuer)."""

    document_type: Literal["invoice", "credit_note"]
    credited_invoice_reference: Reference | None = None
    issue_date: date
    due_date: date
    currency: Currency
    net_amount: Amount
    tax_amount: Amount
    gross_amount: Amount
    lines: list[InvoiceLine] = Field(min_length=1, max_length=500)
    payments: list[Payment] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> InvoiceRecord:
        if self.due_date <= self.issue_date:
            raise ValueError("due_date: must be after issue_date")
        if self.net_amount + self.tax_amount != self.gross_amount:
            raise ValueError("gross_amount: must equal net_amount + tax_amount")
        lines_total = sum((line.amount for line in self.lines), Decimal(0))
        if lines_total != self.net_amount:
            raise ValueError(f"net_amount: lines add up to {lines_total}")
        if any(p.paid_on < self.issue_date for p in self.payments):
            raise ValueError("payments: a payment cannot precede issue_date")
        if self.paid_total > abs(self.gross_amount):
            raise ValueError("payments: more paid than gross_amount")
        is_credit = self.document_type == "credit_note"
        if is_credit != (self.credited_invoice_reference is not None):
            raise ValueError(
                "credited_invoice_reference: required for a credit note, and only then"
            )
        return self

    @property
    def paid_total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def fully_paid(self) -> bool:
        return bool(self.payments) and self.paid_total == abs(self.gross_amount)


class DocumentRecord(OwnedRecord):
    """A document to publish to an account: metadata plus the file (base64)."""

    document_type: Literal["trade_confirmation", "invoice", "redemption_statement"]
    title: Text
    related_reference: Reference | None = None
    issued_on: date
    file_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,120}\.pdf$")]
    content_type: Literal["application/pdf"]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    content_base64: Annotated[str, Field(min_length=4, repr=False)]

    @model_validator(mode="after")
    def _content_matches(self) -> DocumentRecord:
        content = self.content()
        if len(content) > MAX_DOCUMENT_BYTES:
            raise ValueError(f"content_base64: file larger than {MAX_DOCUMENT_BYTES} bytes")
        if not content.startswith(b"%PDF-"):
            raise ValueError("content_base64: not a PDF file")
        if hashlib.sha256(content).hexdigest() != self.sha256:
            raise ValueError("sha256: does not match the file content")
        return self

    def content(self) -> bytes:
        try:
            return base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("content_base64: not valid base64") from exc


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
        if isinstance(value, str):
            return value[:64]
    return None
