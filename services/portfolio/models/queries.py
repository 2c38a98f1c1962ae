"""Query-string models of the portfolio API (unknown parameters are refused)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from common.api_types import ID_PATTERN, Day
from services.portfolio.models.views import HoldingDimension

VINTAGE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
COUNTRY_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
HOLDING_DIMENSIONS = ("scheme", "registry_account", "technology", "country", "vintage")
MAX_OVERVIEW_ACCOUNTS = 50

Bound = TypeVar("Bound", date, str)


def not_before(end: Bound | None, info: ValidationInfo, start_field: str) -> Bound | None:
    """The end of a range, refused when it comes before its start: the error names the
    end's own field (`query.<name>`), not the whole query."""
    start = info.data.get(start_field)
    if end is not None and start is not None and start > end:
        raise ValueError(f"is before {start_field}")
    return end


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    limit: int = Field(default=50, ge=1, le=200, description="Items per page (1-200).")
    cursor: str | None = Field(
        default=None, max_length=4096, description="`next_cursor` of the previous page."
    )

    def filters(self) -> dict[str, object]:
        """Everything but paging: what a cursor is bound to."""
        return self.model_dump(mode="json", exclude={"limit", "cursor"}, exclude_none=True)


class TradeQuery(ListQuery):
    side: Literal["buy", "sell"] | None = None
    status: (
        Literal["executed", "amended", "partially_delivered", "delivered", "cancelled"] | None
    ) = None
    scheme: str | None = Field(default=None, max_length=20)
    technology: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    vintage_from: str | None = Field(default=None, pattern=VINTAGE_PATTERN)
    vintage_to: str | None = Field(default=None, pattern=VINTAGE_PATTERN)
    trade_date_from: Day | None = None
    trade_date_to: Day | None = None
    q: str | None = Field(
        default=None, min_length=1, max_length=64, description="Reference contains."
    )
    sort: Literal["trade_date", "-trade_date", "volume", "-volume"] = "-trade_date"

    @field_validator("vintage_to")
    @classmethod
    def _vintages_in_order(cls, value: str | None, info: ValidationInfo) -> str | None:
        return not_before(value, info, "vintage_from")

    @field_validator("trade_date_to")
    @classmethod
    def _dates_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "trade_date_from")


class BatchQuery(ListQuery):
    scheme: str | None = Field(default=None, max_length=20)
    registry_account: str | None = Field(default=None, max_length=64)
    technology: str | None = Field(default=None, max_length=40)
    country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    vintage: str | None = Field(default=None, pattern=VINTAGE_PATTERN)
    movement: Literal["in", "out", "retired"] | None = None


class HoldingsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    group_by: str = Field(default="scheme", description="Comma-separated dimensions.")

    @field_validator("group_by")
    @classmethod
    def _known_dimensions(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        unknown = [p for p in parts if p not in HOLDING_DIMENSIONS]
        if not parts or unknown or len(set(parts)) != len(parts):
            raise ValueError(
                f"group_by takes distinct values among {', '.join(HOLDING_DIMENSIONS)}"
            )
        return ",".join(parts)

    @property
    def dimensions(self) -> list[HoldingDimension]:
        return [cast(HoldingDimension, d) for d in self.group_by.split(",")]


class ReconciliationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    date_from: Day | None = Field(
        default=None, description="First day of the period (default: since the first movement)."
    )
    date_to: Day | None = Field(
        default=None, description="Last day of the period (default: today)."
    )
    scheme: str | None = Field(default=None, max_length=20)
    registry_account: str | None = Field(default=None, max_length=64)

    @field_validator("date_to")
    @classmethod
    def _in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "date_from")


class ForwardDealQuery(ListQuery):
    side: Literal["buy", "sell"] | None = None
    scheme: str | None = Field(default=None, max_length=20)


class RetirementQuery(ListQuery):
    reporting_year: int | None = Field(default=None, ge=1990, le=2100)
    consumption_country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    scheme: str | None = Field(default=None, max_length=20)


class InvoiceQuery(ListQuery):
    document_type: Literal["invoice", "credit_note"] | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    state: Literal["open", "paid", "overdue"] | None = None


class ConsumptionQuery(ListQuery):
    pass


class OverviewQuery(ListQuery):
    limit: int = Field(
        default=20,
        ge=1,
        le=MAX_OVERVIEW_ACCOUNTS,
        description=f"Accounts per page (1-{MAX_OVERVIEW_ACCOUNTS}): each is a summary.",
    )
    accounts: str | None = Field(
        default=None,
        min_length=1,
        max_length=4000,
        description=(
            "Optional filter: comma-separated account ids, at most "
            f"{MAX_OVERVIEW_ACCOUNTS} distinct. Without it, every account assigned to the "
            "caller as CAM."
        ),
    )

    @field_validator("accounts")
    @classmethod
    def _at_most_fifty(cls, value: str | None) -> str | None:
        if value is None:
            return None
        ids = {a.strip() for a in value.split(",") if a.strip()}
        if not ids:
            raise ValueError("name at least one account")
        if not all(re.fullmatch(ID_PATTERN, a) for a in ids):
            raise ValueError("account ids are 1-64 of A-Z a-z 0-9 _ -, separated by commas")
        if len(ids) > MAX_OVERVIEW_ACCOUNTS:
            raise ValueError(
                f"names {len(ids)} accounts; ask for at most {MAX_OVERVIEW_ACCOUNTS} at a time"
            )
        return value

    @property
    def account_ids(self) -> list[str] | None:
        """The named accounts (first mention order), or None for "all assigned"."""
        if self.accounts is None:
            return None
        return list(dict.fromkeys(a.strip() for a in self.accounts.split(",") if a.strip()))
