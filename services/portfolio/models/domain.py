"""What the read model holds, typed: the rows logic reads (parsed by the adapters from
their items, storage attributes ignored) and works with. Amounts and volumes are exact
decimals, dates are dates; "no value" is None (never "-").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

TradeStatus = Literal["executed", "amended", "partially_delivered", "delivered", "cancelled"]
Side = Literal["buy", "sell"]
Movement = Literal["in", "out", "retired"]
ConsumptionSource = Literal["meter", "bill", "estimate"]
NO_VALUE = "-"
"""How a lot's missing dimension is spelled inside an aggregate's name (never shown)."""


def _none_for_placeholder(value: Any) -> Any:
    return None if value in (NO_VALUE, "") else value


OptionalText = Annotated[str | None, BeforeValidator(_none_for_placeholder)]
OptionalDate = Annotated[date | None, BeforeValidator(_none_for_placeholder)]
ZERO = Decimal(0)


class Row(BaseModel):
    """Parsed from a stored item: an allow-list (attributes it does not name are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class TradeEntry(Row):
    """What the trade list filters and orders on: a trade's filter entry holds only this."""

    reference: str
    trade_date: date
    volume_mwh: Decimal
    side: Side
    status: TradeStatus
    scheme: str
    technologies: list[str]
    countries: list[str]
    vintage_from: str
    vintage_to: str


class Trade(TradeEntry):
    account_id: str
    version: int
    unit_price: Decimal
    currency: str
    total: Decimal
    delivery_date: date
    registry_account: str
    payment_due_date: date
    delivered_mwh: Decimal
    outstanding_mwh: Decimal
    cancellation_reason: str | None = None


class TradeHit(Row):
    """One trade found by reference search: enough to order and range it before reading it."""

    reference: str
    trade_date: date
    volume_mwh: Decimal


class CertificateBatch(Row):
    serial_start: int
    serial_end: int
    quantity: int
    vintage: str
    country: str
    device_code: str
    technology: str


class TradeVersion(Row):
    """One version of a trade as provisioning published it."""

    detail_type: str
    occurred_at: datetime
    reference: str
    version: int
    status: Literal["executed", "amended", "cancelled"]
    side: Side
    trade_date: date
    scheme: str
    volume_mwh: Decimal
    unit_price: Decimal
    currency: str
    total: Decimal
    countries: list[str]
    technologies: list[str]
    vintage_from: str
    vintage_to: str
    delivery_date: date
    registry_account: str
    payment_due_date: date
    cancellation_reason: str | None = None


class DeliveryStep(Row):
    version: int
    status: Literal["completed", "failed"]


class DeliveryVersion(Row):
    """The newest version of one delivery of a trade, with the statuses it went through."""

    detail_type: str
    occurred_at: datetime
    reference: str
    version: int
    status: Literal["completed", "failed"]
    delivery_date: date
    scheme: str
    volume_mwh: Decimal
    from_registry_account: str
    to_registry_account: str
    batches: list[CertificateBatch]
    failure_reason: str | None = None
    history: list[DeliveryStep] = Field(default_factory=list)


class InvoiceSummary(Row):
    """What a trade's partition and the open-invoice collection keep of an invoice."""

    reference: str
    document_type: Literal["invoice", "credit_note"]
    currency: str
    gross_amount: Decimal
    outstanding_amount: Decimal
    credited_amount: Decimal = ZERO
    due_date: date
    issue_date: date

    @property
    def paid_amount(self) -> Decimal:
        return self.gross_amount - self.outstanding_amount - self.credited_amount


class InvoiceLine(Row):
    description: str
    trade_reference: str | None = None
    delivery_reference: str | None = None
    quantity_mwh: Decimal
    unit_price: Decimal
    amount: Decimal


class Payment(Row):
    payment_reference: str
    paid_on: date
    amount: Decimal


class Invoice(Row):
    reference: str
    account_id: str
    version: int
    document_type: Literal["invoice", "credit_note"]
    credited_invoice_reference: str | None = None
    issue_date: date
    due_date: date
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    paid_amount: Decimal
    credited_amount: Decimal = ZERO
    """What credit notes took off it (at most its gross)."""
    outstanding_amount: Decimal
    trade_references: list[str]
    lines: list[InvoiceLine]
    payments: list[Payment]


class Retirement(Row):
    reference: str
    account_id: str
    version: int
    status: Literal["completed"]
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
    batches: list[CertificateBatch]
    warnings: list[str] = Field(default_factory=list)
    registry_account: OptionalText = None
    """The counterparty's registry account retired from (None: a v1 retirement named none)."""


class BatchMovement(Row):
    """One certificate batch moved in, out or retired (the holdings drill-down)."""

    scheme: str
    registry_account: OptionalText
    technology: OptionalText
    country: OptionalText
    vintage: str
    expires_on: OptionalDate
    movement: Movement
    source_reference: str
    trade_reference: str | None = None
    serial_start: int
    serial_end: int
    quantity: int
    device_code: str
    moved_on: date


class ForwardDeal(Row):
    """A trade with volume still to deliver."""

    reference: str
    side: Side
    scheme: str
    contracted_mwh: Decimal
    delivered_mwh: Decimal
    outstanding_mwh: Decimal
    next_delivery_date: date
    registry_account: str
    status: TradeStatus
    late: bool = False
    """Past its delivery date with volume outstanding (set on reading: it depends on today)."""


class Lot(Row):
    """Certificates of one kind on one registry account: what was contracted, moved, retired."""

    scheme: str
    registry_account: OptionalText
    technology: OptionalText
    country: OptionalText
    vintage: str
    expires_on: OptionalDate
    contracted: Decimal = ZERO
    delivered_in: Decimal = ZERO
    delivered_out: Decimal = ZERO
    retired: Decimal = ZERO


class YearStatusCount(Row):
    year: int
    status: TradeStatus
    trades: int = 0
    volume_mwh: Decimal = ZERO


class DueBucket(Row):
    """What the open invoices due on one day still owe in one currency."""

    currency: str
    due_date: date
    outstanding: Decimal = ZERO
    invoices: Decimal = ZERO


class CurrencyCounter(Row):
    currency: str
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    """What credit notes in the currency credit (whether or not their invoice is known)."""
    paid: Decimal = ZERO
    credit_applied: Decimal = ZERO
    """What credit notes took off the invoices they credit: at most what each invoice still
    owed after its payments, so invoiced - paid - credit_applied is what the invoices owe."""


class ForwardCounter(Row):
    side: Side
    deals: int = 0
    outstanding_mwh: Decimal = ZERO


class Milestone(Row):
    year: int
    renewable_share_percent: Decimal


class Target(Row):
    target_id: str
    name: str
    kind: Literal["renewable_share"] = "renewable_share"
    base_year: int
    base_renewable_share_percent: Decimal
    target_year: int
    target_renewable_share_percent: Decimal
    milestones: list[Milestone] = Field(default_factory=list)
    net_zero_date: date | None = None
    updated_by: str | None = None
    updated_by_email: str | None = None
    updated_at: datetime | None = None


class Consumption(Row):
    site_id: str
    site_name: str
    country: str
    period_start: date
    period_end: date
    consumption_mwh: Decimal
    source: ConsumptionSource
    updated_by: str | None = None
    updated_by_email: str | None = None
    updated_at: datetime | None = None

    @property
    def year(self) -> int:
        return self.period_start.year


class Aggregates(BaseModel):
    """The account's aggregate items (one partition), by kind."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    lots: list[Lot] = Field(default_factory=list)
    years: list[YearStatusCount] = Field(default_factory=list)
    currencies: list[CurrencyCounter] = Field(default_factory=list)
    retired_by_year: dict[int, Decimal] = Field(default_factory=dict)
    consumption_by_year: dict[int, Decimal] = Field(default_factory=dict)
    targets: list[Target] = Field(default_factory=list)
    forward: list[ForwardCounter] = Field(default_factory=list)
    last_activity: dict[str, datetime] = Field(
        default_factory=dict, description="Stream kind (trade, retirement, invoice) -> when."
    )
