"""What the query layer answers: the views logic computes from the read model's rows
(handlers map them to the API's response models field by field)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from common.access import Access
from services.portfolio.models.domain import (
    ZERO,
    BatchMovement,
    ForwardDeal,
    Invoice,
    InvoiceSummary,
    Target,
    Trade,
    TradeStatus,
    TradeVersion,
)
from services.portfolio.models.domain import DeliveryVersion as DeliveryVersion

ItemT = TypeVar("ItemT")
OVERDUE_LISTED = 25
"""How many overdue invoices (oldest due first) the financials and the summary list; their
totals and counts are exact whatever the number (the invoice list filtered by state=overdue
pages through all of them)."""
InvoiceStatus = Literal["issued", "partially_paid", "paid", "overdue", "credited", "credit_note"]
HoldingDimension = Literal["scheme", "registry_account", "technology", "country", "vintage"]


@dataclass(frozen=True)
class ListPage(Generic[ItemT]):
    """Up to `limit` items; `next_cursor` continues the same list (None: nothing more)."""

    items: list[ItemT]
    next_cursor: str | None


@dataclass(frozen=True)
class Buckets:
    """Where an account's certificate volume stands (MWh, never negative)."""

    contracted_undelivered: Decimal = ZERO
    active: Decimal = ZERO
    retired: Decimal = ZERO
    expired: Decimal = ZERO

    def __add__(self, other: Buckets) -> Buckets:
        return Buckets(
            self.contracted_undelivered + other.contracted_undelivered,
            self.active + other.active,
            self.retired + other.retired,
            self.expired + other.expired,
        )

    def any_volume(self) -> bool:
        return any(
            v > ZERO for v in (self.contracted_undelivered, self.active, self.retired, self.expired)
        )


@dataclass(frozen=True)
class HoldingKey:
    """The dimensions a holdings group is keyed by; those not grouped by are None."""

    scheme: str | None = None
    registry_account: str | None = None
    technology: str | None = None
    country: str | None = None
    vintage: str | None = None


@dataclass(frozen=True)
class LotPosition:
    """One lot's buckets today."""

    key: HoldingKey
    buckets: Buckets


@dataclass(frozen=True)
class HoldingGroup:
    key: HoldingKey
    buckets: Buckets


@dataclass(frozen=True)
class Holdings:
    group_by: list[HoldingDimension]
    groups: list[HoldingGroup]
    totals: Buckets


@dataclass(frozen=True)
class InvoiceView:
    invoice: Invoice
    status: InvoiceStatus


@dataclass(frozen=True)
class LinkedInvoice:
    """An invoice of a trade, as the trade's partition knows it."""

    summary: InvoiceSummary
    status: InvoiceStatus


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_count: int = 0


@dataclass(frozen=True)
class Financials:
    currencies: list[CurrencyTotals]
    overdue_invoices: list[InvoiceSummary]


@dataclass(frozen=True)
class TargetShare:
    target_id: str
    name: str
    target_percent: Decimal | None


@dataclass(frozen=True)
class CoverageYear:
    year: int
    consumption_mwh: Decimal
    retired_mwh: Decimal
    coverage_percent: Decimal | None
    targets: list[TargetShare]


@dataclass(frozen=True)
class Usage:
    targets: list[Target]
    coverage: list[CoverageYear]


@dataclass(frozen=True)
class StatusCount:
    status: TradeStatus
    trades: int
    volume_mwh: Decimal


@dataclass(frozen=True)
class YearTrades:
    year: int
    by_status: list[StatusCount]


@dataclass(frozen=True)
class OpenForward:
    """Trades of one side with volume still to deliver."""

    side: Literal["buy", "sell"]
    deals: int
    outstanding_mwh: Decimal


@dataclass(frozen=True)
class Summary:
    account_id: str
    trades_by_year: list[YearTrades]
    holdings: Buckets
    coverage: list[CoverageYear]
    targets: list[Target]
    currencies: list[CurrencyTotals]
    overdue_invoices: list[InvoiceSummary]
    next_deliveries: list[ForwardDeal]
    reconciliation: ReconciliationStatus
    open_forward: list[OpenForward] = field(default_factory=list)
    last_activity: dict[str, datetime] = field(default_factory=dict)
    """Stream kind (trade, retirement, invoice) -> when its newest fact occurred."""


@dataclass(frozen=True)
class OverviewRow:
    """One account of the CAM overview, with the access it was read with."""

    summary: Summary
    access: Access
    name: str | None


@dataclass(frozen=True)
class OverviewPage:
    rows: list[OverviewRow]
    next_cursor: str | None


@dataclass(frozen=True)
class TradeDetail:
    trade: Trade
    versions: list[TradeVersion]
    deliveries: list[DeliveryVersion]
    invoices: list[LinkedInvoice] = field(default_factory=list)


@dataclass(frozen=True)
class LotFlows:
    """One lot's certificates between two dates (MWh, Wh for HOURLY): opening + delivered
    in - delivered out - retired = closing, with the movements of the period."""

    key: HoldingKey
    opening: int
    delivered_in: int
    delivered_out: int
    retired: int
    closing: int
    movements: list[BatchMovement]
    problem: str | None = None
    """Why the lot does not reconcile (None: it does)."""


@dataclass(frozen=True)
class Reconciliation:
    first_day: date | None
    last_day: date
    lots: list[LotFlows]

    @property
    def unreconciled(self) -> list[LotFlows]:
        return [lot for lot in self.lots if lot.problem is not None]


@dataclass(frozen=True)
class ReconciliationStatus:
    """What the summary says: every lot reconciles, or the first that does not and why."""

    lot: HoldingKey | None = None
    problem: str | None = None

    @property
    def reconciled(self) -> bool:
        return self.problem is None
