"""Request bodies: what counterparty users write (consumption per site and period, targets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    period_end: date
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
    net_zero_date: date | None = None

    @model_validator(mode="after")
    def _years_in_order(self) -> TargetInput:
        if self.target_year <= self.base_year:
            raise ValueError("target_year must be after base_year")
        for milestone in self.milestones:
            if not self.base_year < milestone.year < self.target_year:
                raise ValueError("milestone years must lie between base_year and target_year")
        if len({m.year for m in self.milestones}) != len(self.milestones):
            raise ValueError("milestone years repeat")
        return self
