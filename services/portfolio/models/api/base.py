"""What every response module of the portfolio shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from common.access.fields import covered_by as covered_by
from common.api_types import minor_units, percent

UNIT_PRICE_DECIMALS = 6
UnitPrice = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]{1,6})?$",
        description="Price per MWh: the currency's scale, more decimals when given (up to 6).",
        examples=["2.50", "0.0125"],
    ),
]


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def unit_price(value: Decimal, currency: str) -> str:
    """At least the currency's scale, never fewer decimals than the price has (max 6)."""
    exponent = value.normalize().as_tuple().exponent
    given = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(minor_units(currency), min(UNIT_PRICE_DECIMALS, given))
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def percent_or_none(value: Decimal | None) -> str | None:
    return None if value is None else percent(value)
