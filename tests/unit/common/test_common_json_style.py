"""common/api_types.py and common/wiring.py: the JSON style and the wiring style."""

from __future__ import annotations

from decimal import Decimal

import pytest

from common.api_types import minor_units, money, mwh, percent
from common.wiring import Provider, provider

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("amount", "currency", "wire"),
    [
        (Decimal("82519.6"), "EUR", "82519.60"),
        (Decimal("1250000"), "VND", "1250000"),
        (Decimal("12.3456"), "BHD", "12.346"),
        (Decimal("0"), "USD", "0.00"),
        (Decimal("-5.005"), "EUR", "-5.00"),
        (Decimal("1E+3"), "EUR", "1000.00"),
    ],
)
def test_money_takes_the_scale_of_its_currency(amount: Decimal, currency: str, wire: str) -> None:
    assert money(amount, currency) == wire


def test_volumes_have_three_decimals_and_never_an_exponent() -> None:
    assert mwh(Decimal("1E+3")) == "1000.000"
    assert mwh(7) == "7.000"
    assert mwh(Decimal("0.0005")) == "0.000"
    assert percent(Decimal("12.5")) == "12.50"
    assert minor_units("jpy") == 0


def test_a_provider_builds_once_and_can_be_overridden() -> None:
    built: list[int] = []

    @provider
    def store() -> list[int]:
        built.append(1)
        return [7]

    assert store() is store()
    assert built == [1]
    with store.override([42]):
        assert store() == [42]
    assert store() == [7]
    assert isinstance(store, Provider)
