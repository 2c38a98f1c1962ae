"""Responses of the holdings section: positions by group, batches, forward deals."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from common.api_types import Page, Volume, mwh
from services.portfolio.models.api.base import ApiModel
from services.portfolio.models.domain import BatchMovement, ForwardDeal, Movement, Side, TradeStatus
from services.portfolio.models.views import (
    Buckets,
    HoldingDimension,
    HoldingGroup,
    HoldingKey,
    Holdings,
)


class BucketsItem(ApiModel):
    """Certificate volume by where it stands (MWh)."""

    contracted_undelivered: Volume
    active: Volume
    retired: Volume
    expired: Volume

    @classmethod
    def of(cls, buckets: Buckets) -> BucketsItem:
        return cls(
            contracted_undelivered=mwh(buckets.contracted_undelivered),
            active=mwh(buckets.active),
            retired=mwh(buckets.retired),
            expired=mwh(buckets.expired),
        )


class HoldingKeyItem(ApiModel):
    """The group's value of each `group_by` dimension (null for the others, and for a lot
    without registry account or technology)."""

    scheme: str | None
    registry_account: str | None
    technology: str | None
    country: str | None
    vintage: str | None

    @classmethod
    def of(cls, key: HoldingKey) -> HoldingKeyItem:
        return cls(
            scheme=key.scheme,
            registry_account=key.registry_account,
            technology=key.technology,
            country=key.country,
            vintage=key.vintage,
        )


class HoldingGroupItem(ApiModel):
    key: HoldingKeyItem
    contracted_undelivered: Volume
    active: Volume
    retired: Volume
    expired: Volume

    @classmethod
    def of(cls, group: HoldingGroup) -> HoldingGroupItem:
        return cls(
            key=HoldingKeyItem.of(group.key),
            contracted_undelivered=mwh(group.buckets.contracted_undelivered),
            active=mwh(group.buckets.active),
            retired=mwh(group.buckets.retired),
            expired=mwh(group.buckets.expired),
        )


class HoldingsResponse(ApiModel):
    group_by: list[HoldingDimension]
    groups: list[HoldingGroupItem]
    totals: BucketsItem

    @classmethod
    def of(cls, holdings: Holdings) -> HoldingsResponse:
        return cls(
            group_by=list(holdings.group_by),
            groups=[HoldingGroupItem.of(g) for g in holdings.groups],
            totals=BucketsItem.of(holdings.totals),
        )


class BatchItem(ApiModel):
    scheme: str
    registry_account: str | None = Field(description="Null for retired certificates.")
    technology: str | None
    country: str | None
    vintage: str
    expires_on: date | None = Field(description="Null when the scheme sets no expiry.")
    movement: Movement
    source_reference: str
    trade_reference: str | None
    serial_start: int
    serial_end: int
    quantity: int
    device_code: str
    moved_on: date

    @classmethod
    def of(cls, batch: BatchMovement) -> BatchItem:
        return cls(
            scheme=batch.scheme,
            registry_account=batch.registry_account,
            technology=batch.technology,
            country=batch.country,
            vintage=batch.vintage,
            expires_on=batch.expires_on,
            movement=batch.movement,
            source_reference=batch.source_reference,
            trade_reference=batch.trade_reference,
            serial_start=batch.serial_start,
            serial_end=batch.serial_end,
            quantity=batch.quantity,
            device_code=batch.device_code,
            moved_on=batch.moved_on,
        )


class BatchPage(Page[BatchItem]):
    pass


class ForwardDealItem(ApiModel):
    reference: str
    side: Side
    scheme: str
    contracted_mwh: Volume
    delivered_mwh: Volume
    outstanding_mwh: Volume
    next_delivery_date: date
    registry_account: str
    status: TradeStatus

    @classmethod
    def of(cls, deal: ForwardDeal) -> ForwardDealItem:
        return cls(
            reference=deal.reference,
            side=deal.side,
            scheme=deal.scheme,
            contracted_mwh=mwh(deal.contracted_mwh),
            delivered_mwh=mwh(deal.delivered_mwh),
            outstanding_mwh=mwh(deal.outstanding_mwh),
            next_delivery_date=deal.next_delivery_date,
            registry_account=deal.registry_account,
            status=deal.status,
        )


class ForwardDealPage(Page[ForwardDealItem]):
    pass
