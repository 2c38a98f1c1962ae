"""Responses of the overview section: one account's summary, the CAM overview.

Each section of the summary names the permission its content falls under
(`x-scts-permission` in the schema): a caller gets the summary if it may read at least one
section, and the sections it may not read are null (`common.access.fields`).
"""

from __future__ import annotations

from typing import Self

from pydantic import AwareDatetime, Field

from common.access import Access, Area
from common.access.fields import visible_to
from common.api_types import Page, Volume, mwh
from services.portfolio.models.api.base import ApiModel, covered_by
from services.portfolio.models.api.billing import CurrencyTotalsItem, OverdueInvoiceItem
from services.portfolio.models.api.holdings import BucketsItem, ForwardDealItem
from services.portfolio.models.api.reconciliation import ReconciliationStatusItem
from services.portfolio.models.api.usage import CoverageYearItem, TargetItem
from services.portfolio.models.domain import Side, TradeStatus
from services.portfolio.models.views import OverviewPage, OverviewRow, Summary, YearTrades


class StatusCountItem(ApiModel):
    status: TradeStatus
    trades: int
    volume_mwh: Volume


class YearTradesItem(ApiModel):
    year: int
    by_status: list[StatusCountItem]

    @classmethod
    def of(cls, year: YearTrades) -> YearTradesItem:
        return cls(
            year=year.year,
            by_status=[
                StatusCountItem(status=s.status, trades=s.trades, volume_mwh=mwh(s.volume_mwh))
                for s in year.by_status
            ],
        )


class OpenForwardItem(ApiModel):
    """The account's trades of one side with volume still to deliver."""

    side: Side
    deals: int
    outstanding_mwh: Volume


class SummaryResponse(ApiModel):
    account_id: str
    trades_by_year: list[YearTradesItem] | None = Field(
        None, json_schema_extra=covered_by(Area.TRADES)
    )
    holdings: BucketsItem | None = Field(None, json_schema_extra=covered_by(Area.PORTFOLIO))
    coverage: list[CoverageYearItem] | None = Field(
        None, json_schema_extra=covered_by(Area.USAGE_TARGETS)
    )
    targets: list[TargetItem] | None = Field(None, json_schema_extra=covered_by(Area.USAGE_TARGETS))
    currencies: list[CurrencyTotalsItem] | None = Field(
        None, json_schema_extra=covered_by(Area.BILLING)
    )
    overdue_invoices: list[OverdueInvoiceItem] | None = Field(
        None, json_schema_extra=covered_by(Area.BILLING)
    )
    next_deliveries: list[ForwardDealItem] | None = Field(
        None, json_schema_extra=covered_by(Area.PORTFOLIO)
    )
    reconciliation: ReconciliationStatusItem | None = Field(
        None, json_schema_extra=covered_by(Area.PORTFOLIO)
    )
    open_forward: list[OpenForwardItem] | None = Field(
        None,
        description="Open forward volume per side (sides without open deals left out).",
        json_schema_extra=covered_by(Area.PORTFOLIO),
    )
    last_trade_activity_at: AwareDatetime | None = Field(
        None,
        description="When the newest trade fact (executed, amended, cancelled, a delivery) "
        "occurred; null when none (or not covered).",
        json_schema_extra=covered_by(Area.TRADES),
    )
    last_retirement_at: AwareDatetime | None = Field(
        None,
        description="When the newest retirement fact occurred.",
        json_schema_extra=covered_by(Area.PORTFOLIO),
    )
    last_invoice_activity_at: AwareDatetime | None = Field(
        None,
        description="When the newest invoice fact (issued, paid, credit note) occurred.",
        json_schema_extra=covered_by(Area.BILLING),
    )

    @classmethod
    def of(cls, summary: Summary, access: Access) -> Self:
        """The sections the caller's permissions cover; the others null."""
        return visible_to(cls._whole(summary), access)

    @classmethod
    def _whole(cls, summary: Summary) -> Self:
        return cls(
            account_id=summary.account_id,
            trades_by_year=[YearTradesItem.of(y) for y in summary.trades_by_year],
            holdings=BucketsItem.of(summary.holdings),
            coverage=[CoverageYearItem.of(y) for y in summary.coverage],
            targets=[TargetItem.of(t) for t in summary.targets],
            currencies=[CurrencyTotalsItem.of(c) for c in summary.currencies],
            overdue_invoices=[OverdueInvoiceItem.of(i) for i in summary.overdue_invoices],
            next_deliveries=[ForwardDealItem.of(d) for d in summary.next_deliveries],
            reconciliation=ReconciliationStatusItem.of(summary.reconciliation),
            open_forward=[
                OpenForwardItem(side=f.side, deals=f.deals, outstanding_mwh=mwh(f.outstanding_mwh))
                for f in summary.open_forward
            ],
            last_trade_activity_at=summary.last_activity.get("trade"),
            last_retirement_at=summary.last_activity.get("retirement"),
            last_invoice_activity_at=summary.last_activity.get("invoice"),
        )


class CamOverviewItem(SummaryResponse):
    """One account of the CAM overview: its summary (sections as the caller's permissions
    cover them) and its name."""

    name: str | None = Field(
        None, description="The account's name; null until identity's AccountCreated has arrived."
    )

    @classmethod
    def of_row(cls, row: OverviewRow) -> CamOverviewItem:
        return cls.of(row.summary, row.access).model_copy(update={"name": row.name})


class CamOverviewPage(Page[CamOverviewItem]):
    """A page of the caller's accounts (account id order without `accounts`; the named
    order with it); accounts the caller may not read are absent."""

    @classmethod
    def of(cls, page: OverviewPage) -> CamOverviewPage:
        return cls(
            items=[CamOverviewItem.of_row(r) for r in page.rows], next_cursor=page.next_cursor
        )
