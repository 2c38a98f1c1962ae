"""Request bodies: what counterparty users write (consumption per site and period, targets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from common.api_types import Day

Mwh = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=3)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years targets and consumption may name (a typo such as 0001 is refused)."""
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class ConsumptionInput(BaseModel):
    """Consumption of one site in one period `[period_start, period_end)` within one year."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    site_name: str = Field(min_length=1, max_length=200)
    country: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    period_end: Day
    consumption_mwh: Mwh
    source: Literal["meter", "bill", "estimate"]


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    year: Year
    renewable_share_percent: Percent


class TargetInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["renewable_share"] = "renewable_share"
    base_year: Year
    base_renewable_share_percent: Percent
    target_year: Year
    target_renewable_share_percent: Percent
    milestones: list[Milestone] = Field(default_factory=list, max_length=50)
    net_zero_date: Day | None = None

    # Each rule names the field it refuses (`body.<name>`), not the whole body, and leaves
    # a rule whose other field was itself refused to that field's error.

    @field_validator("target_year")
    @classmethod
    def _after_base_year(cls, value: int, info: ValidationInfo) -> int:
        base_year = info.data.get("base_year")
        if base_year is not None and value <= base_year:
            raise ValueError("must be after base_year")
        return value

    @field_validator("milestones")
    @classmethod
    def _between_base_and_target(
        cls, value: list[Milestone], info: ValidationInfo
    ) -> list[Milestone]:
        base_year, target_year = info.data.get("base_year"), info.data.get("target_year")
        if base_year is not None and target_year is not None:
            outside = [m.year for m in value if not base_year < m.year < target_year]
            if outside:
                raise ValueError(
                    f"milestone years must lie between base_year and target_year: {outside}"
                )
        if len({m.year for m in value}) != len(value):
            raise ValueError("milestone years repeat")
        return value

    @field_validator("net_zero_date")
    @classmethod
    def _in_the_years_targets_name(cls, value: date | None) -> date | None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"must lie in the years {FIRST_YEAR} to {LAST_YEAR}")
        return value
