"""The facts the documents service renders from: its own, narrow copies of provisioning's
event data.

Each model reads only the fields documents need and ignores the rest (`extra="ignore"`),
so a newer event version that adds fields (registry accounts, serial ranges: issue 12,
parsed and upcast by the Catalog) folds into the same facts without a change here. A fact
is stored with the event's full data as received, so a later version of these models can
read more of it from the same table.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from common.api_types import Day


class FactKind(StrEnum):
    PARTY = "PARTY"
    TRADE = "TRADE"
    DELIVERY = "DELIVERY"
    RETIREMENT = "RETIREMENT"
    INVOICE = "INVOICE"
    PUBLISHED = "PUBLISHED"


class _Tolerant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


class EntityFact(_Tolerant):
    account_id: str
    reference: str
    version: int = Field(ge=1)


class PartyFact(EntityFact):
    legal_name: str


class TradeFact(EntityFact):
    counterparty_reference: str
    status: Literal["executed", "amended", "cancelled"]
    side: Literal["buy", "sell"]
    trade_date: date
    scheme: str
    volume_mwh: Decimal
    unit_price: Decimal
    currency: str
    total: Decimal
    countries: tuple[str, ...]
    technologies: tuple[str, ...]
    vintage_from: str
    vintage_to: str
    delivery_date: date
    registry_account: str
    payment_due_date: date
    cancellation_reason: str | None = None


class BatchFact(_Tolerant):
    serial_start: int
    serial_end: int
    quantity: int
    vintage: str
    country: str
    device_code: str
    technology: str


class DeliveryFact(EntityFact):
    counterparty_reference: str
    status: Literal["completed", "failed"]
    trade_reference: str
    delivery_date: date
    scheme: str
    volume_mwh: Decimal
    batches: tuple[BatchFact, ...] = ()


class RetirementFact(EntityFact):
    counterparty_reference: str
    scheme: str
    volume_mwh: Decimal
    retired_on: date
    beneficiary_name: str
    consumption_country: str
    consumption_period_start: date
    consumption_period_end: date
    reporting_year: int
    purpose: str
    registry_transaction_reference: str
    batches: tuple[BatchFact, ...] = ()
    warnings: tuple[str, ...] = ()


class InvoiceLineFact(_Tolerant):
    description: str
    trade_reference: str | None = None
    delivery_reference: str | None = None
    quantity_mwh: Decimal
    unit_price: Decimal
    amount: Decimal


class PaymentFact(_Tolerant):
    payment_reference: str
    paid_on: date
    amount: Decimal


class InvoiceFact(EntityFact):
    counterparty_reference: str
    document_type: Literal["invoice", "credit_note"]
    credited_invoice_reference: str | None = None
    issue_date: date
    due_date: date
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    lines: tuple[InvoiceLineFact, ...]
    payments: tuple[PaymentFact, ...] = ()

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))


PUBLISHED_REFERENCE = r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}$"
"""A reference as provisioning's ingest takes it: no `#` (a separator of our keys and
prefixes), no control characters."""
PUBLISHED_FILE_NAME = r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,120}\.pdf$"
"""A file name as provisioning's ingest takes it: no path separator (it ends an S3 key and
a CDN URL), no control character (it goes into `Content-Disposition`), 125 at most."""
FIRST_ISSUED, LAST_ISSUED = date(1990, 1, 1), date(2100, 12, 31)
"""The days a published document may be issued on (year 1 or 9999 is a typo or worse)."""


class PublishedFact(EntityFact):
    """A file STX published. The contract leaves these fields free; the rules here refuse
    what would be unsafe in a key, a header or a list, so `parse` fails on such an event
    and it goes the way of an unparsable one (retried, then the DLQ)."""

    reference: str = Field(pattern=PUBLISHED_REFERENCE)
    document_type: Literal["trade_confirmation", "invoice", "redemption_statement"]
    title: str
    related_reference: str | None = Field(default=None, pattern=PUBLISHED_REFERENCE)
    issued_on: Day
    file_name: str = Field(pattern=PUBLISHED_FILE_NAME)
    content_type: str
    size_bytes: int
    sha256: str
    object_key: str

    @field_validator("issued_on")
    @classmethod
    def _a_plausible_day(cls, value: date) -> date:
        if not FIRST_ISSUED <= value <= LAST_ISSUED:
            raise ValueError(f"must lie between {FIRST_ISSUED} and {LAST_ISSUED}")
        return value


FactData = PartyFact | TradeFact | DeliveryFact | RetirementFact | InvoiceFact | PublishedFact

MODEL_OF: dict[FactKind, type[EntityFact]] = {
    FactKind.PARTY: PartyFact,
    FactKind.TRADE: TradeFact,
    FactKind.DELIVERY: DeliveryFact,
    FactKind.RETIREMENT: RetirementFact,
    FactKind.INVOICE: InvoiceFact,
    FactKind.PUBLISHED: PublishedFact,
}

KIND_OF_DETAIL_TYPE: dict[str, FactKind] = {
    "CounterpartyLinked": FactKind.PARTY,
    "TradeExecuted": FactKind.TRADE,
    "TradeAmended": FactKind.TRADE,
    "TradeCancelled": FactKind.TRADE,
    "DeliveryCompleted": FactKind.DELIVERY,
    "DeliveryFailed": FactKind.DELIVERY,
    "RetirementCompleted": FactKind.RETIREMENT,
    "InvoiceIssued": FactKind.INVOICE,
    "InvoicePaid": FactKind.INVOICE,
    "DocumentPublished": FactKind.PUBLISHED,
}


class Fact(_Tolerant):
    """One entity version as received: unique per (account, kind, reference, version)."""

    kind: FactKind
    event_id: str
    detail_type: str
    occurred_at: datetime
    data: dict[str, Any]

    @property
    def account_id(self) -> str:
        return str(self.data["account_id"])

    @property
    def reference(self) -> str:
        return str(self.data["reference"])

    @property
    def version(self) -> int:
        return int(self.data["version"])

    def parsed(self) -> Any:
        """The data as this service's model of its kind (unknown fields ignored)."""
        return MODEL_OF[self.kind].model_validate(self.data)
