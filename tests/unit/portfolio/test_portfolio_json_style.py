"""The portfolio's responses in the one JSON style: numbers as numbers, money at its
currency's scale, volumes with 3 decimals, unit prices as given (at least the currency's
scale), null for absent values, never "-"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.portfolio.models.api.base import unit_price
from services.portfolio.models.api.holdings import BatchItem
from services.portfolio.models.api.trades import TradeItem
from services.portfolio.models.domain import BatchMovement
from tests.unit.portfolio.test_portfolio_paging import trade

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("price", "currency", "shown"),
    [
        ("2.5", "EUR", "2.50"),
        ("0.0125", "EUR", "0.0125"),
        ("1.1234567", "EUR", "1.123457"),
        ("25000", "VND", "25000"),
        ("2E+1", "EUR", "20.00"),
    ],
)
def test_unit_prices_keep_their_decimals_and_at_least_the_currency_scale(
    price: str, currency: str, shown: str
) -> None:
    assert unit_price(Decimal(price), currency) == shown


def test_a_trade_answers_numbers_as_numbers_and_decimals_at_their_scale() -> None:
    item = TradeItem.of(
        trade(7).model_copy(update={"volume_mwh": Decimal("1E+3"), "total": Decimal("82519.6")})
    ).model_dump(mode="json")
    assert item["version"] == 1
    assert item["volume_mwh"] == "1000.000"
    assert item["total"] == "82519.60"
    assert item["cancellation_reason"] is None
    assert item["trade_date"] == "2024-01-08"


def test_placeholders_of_the_store_answer_null() -> None:
    stored = {
        "scheme": "I-REC",
        "registry_account": "-",
        "technology": "-",
        "country": "VN",
        "vintage": "2025-06",
        "expires_on": "-",
        "movement": "retired",
        "source_reference": "R-1",
        "serial_start": 1,
        "serial_end": 10,
        "quantity": 10,
        "device_code": "DEV",
        "moved_on": "2026-05-01",
    }
    item = BatchItem.of(BatchMovement.model_validate(stored)).model_dump(mode="json")
    assert (item["registry_account"], item["technology"], item["expires_on"]) == (None, None, None)
    assert item["trade_reference"] is None
