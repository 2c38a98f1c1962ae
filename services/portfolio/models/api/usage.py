"""Responses of the usage section: targets, coverage per year, consumption records."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from common.api_types import Page, Percent, Volume, mwh, percent
from services.portfolio.models.api.base import ApiModel, percent_or_none
from services.portfolio.models.domain import Consumption, ConsumptionSource, Target
from services.portfolio.models.views import CoverageYear, TargetShare, Usage


class MilestoneItem(ApiModel):
    year: int
    renewable_share_percent: Percent


class TargetItem(ApiModel):
    target_id: str
    name: str
    kind: Literal["renewable_share"]
    base_year: int
    base_renewable_share_percent: Percent
    target_year: int
    target_renewable_share_percent: Percent
    milestones: list[MilestoneItem]
    net_zero_date: date | None
    updated_by: str | None = Field(description="Subject of the user who last wrote it.")
    updated_by_email: str | None = Field(
        description="Email of the user who last wrote it (null: written before emails were kept)."
    )
    updated_at: AwareDatetime | None

    @classmethod
    def of(cls, target: Target) -> TargetItem:
        return cls(
            target_id=target.target_id,
            name=target.name,
            kind=target.kind,
            base_year=target.base_year,
            base_renewable_share_percent=percent(target.base_renewable_share_percent),
            target_year=target.target_year,
            target_renewable_share_percent=percent(target.target_renewable_share_percent),
            milestones=[
                MilestoneItem(
                    year=m.year, renewable_share_percent=percent(m.renewable_share_percent)
                )
                for m in target.milestones
            ],
            net_zero_date=target.net_zero_date,
            updated_by=target.updated_by,
            updated_by_email=target.updated_by_email,
            updated_at=target.updated_at,
        )


class TargetShareItem(ApiModel):
    target_id: str
    name: str
    target_percent: Percent | None = Field(
        description="The share the target asks for in the year (null: before its base year)."
    )

    @classmethod
    def of(cls, share: TargetShare) -> TargetShareItem:
        return cls(
            target_id=share.target_id,
            name=share.name,
            target_percent=percent_or_none(share.target_percent),
        )


class CoverageYearItem(ApiModel):
    year: int
    consumption_mwh: Volume
    retired_mwh: Volume
    coverage_percent: Percent | None = Field(
        description="Retired / consumed in the year (null: no consumption recorded)."
    )
    targets: list[TargetShareItem]

    @classmethod
    def of(cls, year: CoverageYear) -> CoverageYearItem:
        return cls(
            year=year.year,
            consumption_mwh=mwh(year.consumption_mwh),
            retired_mwh=mwh(year.retired_mwh),
            coverage_percent=percent_or_none(year.coverage_percent),
            targets=[TargetShareItem.of(t) for t in year.targets],
        )


class UsageResponse(ApiModel):
    targets: list[TargetItem]
    coverage: list[CoverageYearItem]

    @classmethod
    def of(cls, usage: Usage) -> UsageResponse:
        return cls(
            targets=[TargetItem.of(t) for t in usage.targets],
            coverage=[CoverageYearItem.of(y) for y in usage.coverage],
        )


class ConsumptionItem(ApiModel):
    site_id: str
    site_name: str
    country: str
    period_start: date
    period_end: date
    consumption_mwh: Volume
    source: ConsumptionSource
    updated_by: str | None = Field(description="Subject of the user who last wrote it.")
    updated_by_email: str | None = Field(
        description="Email of the user who last wrote it (null: written before emails were kept)."
    )
    updated_at: AwareDatetime | None

    @classmethod
    def of(cls, record: Consumption) -> ConsumptionItem:
        return cls(
            site_id=record.site_id,
            site_name=record.site_name,
            country=record.country,
            period_start=record.period_start,
            period_end=record.period_end,
            consumption_mwh=mwh(record.consumption_mwh),
            source=record.source,
            updated_by=record.updated_by,
            updated_by_email=record.updated_by_email,
            updated_at=record.updated_at,
        )


class ConsumptionPage(Page[ConsumptionItem]):
    pass
