"""Responses of the trades section."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from common.access import Access, Area
from common.access.fields import visible_to
from common.api_types import Money, Page, Volume, money, mwh
from services.portfolio.models.api.base import ApiModel, UnitPrice, covered_by, unit_price
from services.portfolio.models.domain import (
    CertificateBatch,
    DeliveryVersion,
    Side,
    Trade,
    TradeStatus,
    TradeVersion,
)
from services.portfolio.models.views import InvoiceStatus, LinkedInvoice, TradeDetail


class TradeItem(ApiModel):
    reference: str
    account_id: str
    version: int
    status: TradeStatus
    side: Side
    trade_date: date
    scheme: str
    volume_mwh: Volume
    unit_price: UnitPrice
    currency: str
    total: Money
    countries: list[str]
    technologies: list[str]
    vintage_from: str
    vintage_to: str
    delivery_date: date
    registry_account: str
    payment_due_date: date
    delivered_mwh: Volume
    outstanding_mwh: Volume
    cancellation_reason: str | None

    @classmethod
    def of(cls, trade: Trade) -> TradeItem:
        return cls(
            reference=trade.reference,
            account_id=trade.account_id,
            version=trade.version,
            status=trade.status,
            side=trade.side,
            trade_date=trade.trade_date,
            scheme=trade.scheme,
            volume_mwh=mwh(trade.volume_mwh),
            unit_price=unit_price(trade.unit_price, trade.currency),
            currency=trade.currency,
            total=money(trade.total, trade.currency),
            countries=list(trade.countries),
            technologies=list(trade.technologies),
            vintage_from=trade.vintage_from,
            vintage_to=trade.vintage_to,
            delivery_date=trade.delivery_date,
            registry_account=trade.registry_account,
            payment_due_date=trade.payment_due_date,
            delivered_mwh=mwh(trade.delivered_mwh),
            outstanding_mwh=mwh(trade.outstanding_mwh),
            cancellation_reason=trade.cancellation_reason,
        )


class TradePage(Page[TradeItem]):
    pass


class CertificateBatchItem(ApiModel):
    serial_start: int
    serial_end: int
    quantity: int
    vintage: str
    country: str
    device_code: str
    technology: str

    @classmethod
    def of(cls, batch: CertificateBatch) -> CertificateBatchItem:
        return cls(
            serial_start=batch.serial_start,
            serial_end=batch.serial_end,
            quantity=batch.quantity,
            vintage=batch.vintage,
            country=batch.country,
            device_code=batch.device_code,
            technology=batch.technology,
        )


class TradeVersionItem(ApiModel):
    """One version of the trade as provisioning published it."""

    detail_type: str
    occurred_at: AwareDatetime
    reference: str
    version: int
    status: Literal["executed", "amended", "cancelled"]
    side: Side
    trade_date: date
    scheme: str
    volume_mwh: Volume
    unit_price: UnitPrice
    currency: str
    total: Money
    countries: list[str]
    technologies: list[str]
    vintage_from: str
    vintage_to: str
    delivery_date: date
    registry_account: str
    payment_due_date: date
    cancellation_reason: str | None

    @classmethod
    def of(cls, version: TradeVersion) -> TradeVersionItem:
        return cls(
            detail_type=version.detail_type,
            occurred_at=version.occurred_at,
            reference=version.reference,
            version=version.version,
            status=version.status,
            side=version.side,
            trade_date=version.trade_date,
            scheme=version.scheme,
            volume_mwh=mwh(version.volume_mwh),
            unit_price=unit_price(version.unit_price, version.currency),
            currency=version.currency,
            total=money(version.total, version.currency),
            countries=list(version.countries),
            technologies=list(version.technologies),
            vintage_from=version.vintage_from,
            vintage_to=version.vintage_to,
            delivery_date=version.delivery_date,
            registry_account=version.registry_account,
            payment_due_date=version.payment_due_date,
            cancellation_reason=version.cancellation_reason,
        )


class DeliveryStepItem(ApiModel):
    version: int
    status: Literal["completed", "failed"]


class DeliveryItem(ApiModel):
    """The newest version of one delivery, with the statuses it went through."""

    detail_type: str
    occurred_at: AwareDatetime
    reference: str
    version: int
    status: Literal["completed", "failed"]
    delivery_date: date
    scheme: str
    volume_mwh: Volume
    from_registry_account: str
    to_registry_account: str
    batches: list[CertificateBatchItem]
    failure_reason: str | None
    history: list[DeliveryStepItem]

    @classmethod
    def of(cls, delivery: DeliveryVersion) -> DeliveryItem:
        return cls(
            detail_type=delivery.detail_type,
            occurred_at=delivery.occurred_at,
            reference=delivery.reference,
            version=delivery.version,
            status=delivery.status,
            delivery_date=delivery.delivery_date,
            scheme=delivery.scheme,
            volume_mwh=mwh(delivery.volume_mwh),
            from_registry_account=delivery.from_registry_account,
            to_registry_account=delivery.to_registry_account,
            batches=[CertificateBatchItem.of(b) for b in delivery.batches],
            failure_reason=delivery.failure_reason,
            history=[
                DeliveryStepItem(version=s.version, status=s.status) for s in delivery.history
            ],
        )


class TradeInvoiceItem(ApiModel):
    """An invoice that bills the trade."""

    reference: str
    document_type: Literal["invoice", "credit_note"]
    status: InvoiceStatus
    currency: str
    gross_amount: Money
    paid_amount: Money
    credited_amount: Money = Field(description="What credit notes took off it.")
    outstanding_amount: Money
    issue_date: date
    due_date: date

    @classmethod
    def of(cls, linked: LinkedInvoice) -> TradeInvoiceItem:
        summary, currency = linked.summary, linked.summary.currency
        return cls(
            reference=summary.reference,
            document_type=summary.document_type,
            status=linked.status,
            currency=currency,
            gross_amount=money(summary.gross_amount, currency),
            paid_amount=money(summary.paid_amount, currency),
            credited_amount=money(summary.credited_amount, currency),
            outstanding_amount=money(summary.outstanding_amount, currency),
            issue_date=summary.issue_date,
            due_date=summary.due_date,
        )


class TradeDetailResponse(ApiModel):
    trade: TradeItem
    versions: list[TradeVersionItem]
    deliveries: list[DeliveryItem]
    invoices: list[TradeInvoiceItem] | None = Field(
        None,
        description="The trade's invoices; null unless the caller may read billing.",
        json_schema_extra=covered_by(Area.BILLING),
    )

    @classmethod
    def of(cls, detail: TradeDetail, access: Access) -> TradeDetailResponse:
        whole = cls(
            trade=TradeItem.of(detail.trade),
            versions=[TradeVersionItem.of(v) for v in detail.versions],
            deliveries=[DeliveryItem.of(d) for d in detail.deliveries],
            invoices=[TradeInvoiceItem.of(i) for i in detail.invoices],
        )
        return visible_to(whole, access)
