"""The JSON style of every API (`docs/api-conventions.md`), as types and formatters.

- Counts, years, versions, sequence numbers: JSON numbers (`int`).
- Money: a decimal string with the currency's ISO 4217 scale (`"82519.60"` EUR,
  `"1250000"` VND, `"12.345"` BHD), built with `money(amount, currency)`; field type `Money`.
- Volumes (MWh): a decimal string with exactly 3 decimals (`"1000.000"`), built with
  `mwh(value)`; field type `Volume`. Strings, not numbers, because JSON numbers are binary
  floats in most clients and volumes and money must add up exactly.
- Percentages: a decimal string with 2 decimals (`"12.50"`), `percent(value)`.
- Dates `YYYY-MM-DD`, times ISO 8601 with an offset (pydantic's `date` / `AwareDatetime`).
- Absent values: `null`, never `"-"` or `""`.
- Lists: `{"items": [...], "next_cursor": "..." | null}` (`Page[T]`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from common.text import readable_text

MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]{1,4})?$"
VOLUME_PATTERN = r"^-?[0-9]+\.[0-9]{3}$"
PERCENT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
"""Digits are spelled `[0-9]` in every pattern: pydantic's `\\d` matches the digits of every
script (`"٢٠٢٦"`)."""
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
"""What an id in a path may be (an account, a person's Cognito sub, a site, a target): every
API checks it the same way, before any lookup."""

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> Any:
    """Only `YYYY-MM-DD`: pydantic would also read `0` as 1970-01-01, a number as a Unix
    time and a midnight in any zone as that zone's day, whatever day the caller meant."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_parsing", "must be a date as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A day a query or a body takes: `YYYY-MM-DD` only."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(readable_text),
]
"""A name a person types (an account's, a CAM's): trimmed, something visible in it, one
line, no bidirectional controls (`common.text`)."""

Money = Annotated[
    str,
    Field(
        pattern=MONEY_PATTERN,
        description="Decimal string with the currency's ISO 4217 minor-unit scale.",
        examples=["82519.60"],
    ),
]
Volume = Annotated[
    str,
    Field(
        pattern=VOLUME_PATTERN,
        description="MWh as a decimal string with exactly 3 decimals.",
        examples=["1000.000"],
    ),
]
Percent = Annotated[
    str,
    Field(pattern=PERCENT_PATTERN, description="Percentage, 2 decimals.", examples=["12.50"]),
]

_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMALS = "CLF UYW"
_MINOR_UNITS: dict[str, int] = {
    # ISO 4217 currencies whose minor unit is not 2 (others: 2).
    **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
    **dict.fromkeys(_FOUR_DECIMALS.split(), 4),
}


def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit (ISO 4217)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def _fixed(value: Decimal | int | str, places: int) -> str:
    exponent = Decimal(1).scaleb(-places)
    quantized = Decimal(value).quantize(exponent, rounding=ROUND_HALF_EVEN)
    return f"{quantized:f}" if quantized != 0 else f"{Decimal(0).quantize(exponent):f}"


def money(amount: Decimal | int | str, currency: str) -> str:
    """`money(Decimal("82519.6"), "EUR") == "82519.60"`."""
    return _fixed(amount, minor_units(currency))


def mwh(value: Decimal | int | str) -> str:
    """`mwh(1000) == "1000.000"`."""
    return _fixed(value, 3)


def percent(value: Decimal | int | str) -> str:
    return _fixed(value, 2)


MAX_PAGE_LIMIT = 200
DEFAULT_PAGE_LIMIT = 50
MAX_CURSOR_CHARS = 2048


class PageQuery(BaseModel):
    """The query of a list route (`Annotated[PageQuery, Query()]`); a list with filters
    subclasses it and adds them."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    limit: int = Field(
        default=DEFAULT_PAGE_LIMIT, ge=1, le=MAX_PAGE_LIMIT, description="Items per page."
    )
    cursor: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CURSOR_CHARS,
        description="`next_cursor` of the previous page; absent for the first page.",
    )


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: up to `limit` items; `next_cursor` null on the last page."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    items: list[ItemT]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null when there is none."
    )
