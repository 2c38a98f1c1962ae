"""Certificate flows per lot (issue 12): opening + delivered in - delivered out - retired =
closing between any two dates, computed from what the projection writes (lot counters and
batch movements), and forward deals flagged late."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from contracts.catalog import CATALOG
from contracts.events import provisioning as prov
from services.portfolio.logic.collections import Collection
from services.portfolio.logic.facts import Fact
from services.portfolio.logic.folds import fold
from services.portfolio.logic.holdings import flag_late, lot_positions
from services.portfolio.logic.reconciliation import UNKNOWN_ACCOUNT, reconcile, status_of
from services.portfolio.models.domain import BatchMovement, ForwardDeal, Lot
from services.portfolio.models.views import HoldingKey
from tests.unit.portfolio import portfolio_factories as make

pytestmark = pytest.mark.unit

ACCOUNT = "acc-1"
LOT = HoldingKey("GO", "REG-1", "T020001", "NL", "2025-12")


def sell_delivery(reference: str, quantity: int, day: date) -> prov.Delivery:
    """A sell's delivery: out of the counterparty's registry account REG-1."""
    return make.delivery(ACCOUNT, "T-SELL", reference, quantity).model_copy(
        update={
            "from_registry_account": "REG-1",
            "to_registry_account": "STX-REG",
            "delivery_date": day,
            "batches": [make.batch(quantity, start=1000)],
        }
    )


def projected(*events: Any) -> tuple[list[Lot], list[BatchMovement]]:
    """The lot counters and batch movements the projection writes for these events."""
    facts = [make.fact(e) for e in events]
    streams: dict[Any, list[Fact]] = defaultdict(list)
    for fact in facts:
        streams[fact.stream].append(fact)
    amounts: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    dims: dict[str, dict[str, str]] = {}
    moves = []
    for stream, stream_facts in streams.items():
        projection = fold(stream, stream_facts)
        for key, counter in projection.counters.items():
            if key.startswith("HOLD#"):
                dims[key] = counter.dims
                for name, amount in counter.amounts.items():
                    amounts[key][name] += amount
        for marker_key, marker in projection.markers.items():
            if marker_key.collection is Collection.BATCHES:
                moves.append(BatchMovement.model_validate(marker))
    lots = [Lot.model_validate({**dims[key], **amounts[key]}) for key in amounts]
    return lots, moves


def book() -> tuple[list[Lot], list[BatchMovement]]:
    """100 bought (delivered 1 April), 30 sold (2 May), 20 retired (1 May) from REG-1."""
    return projected(
        make.trade(ACCOUNT, "T-BUY", volume="100"),
        make.delivery(ACCOUNT, "T-BUY", "D-IN", 100),
        make.trade(ACCOUNT, "T-SELL", side="sell", volume="30"),
        sell_delivery("D-OUT", 30, date(2026, 5, 2)),
        make.retirement(ACCOUNT, "R-1", 20),
    )


def test_flows_between_two_dates_add_up_per_lot() -> None:
    lots, moves = book()
    whole = reconcile(lots, moves, None, date(2026, 12, 1))
    (lot,) = whole.lots
    assert lot.key == LOT
    assert (lot.opening, lot.delivered_in, lot.delivered_out, lot.retired, lot.closing) == (
        0,
        100,
        30,
        20,
        50,
    )
    assert lot.problem is None

    may = reconcile(lots, moves, date(2026, 4, 15), date(2026, 5, 1))
    (lot,) = may.lots
    assert (lot.opening, lot.delivered_in, lot.delivered_out, lot.retired, lot.closing) == (
        100,
        0,
        0,
        20,
        80,
    )
    assert [(m.movement, m.source_reference) for m in lot.movements] == [("retired", "R-1")]
    assert lot.problem is None


def test_a_retirement_counts_on_the_registry_account_it_names() -> None:
    lots, _ = book()
    (position,) = lot_positions(lots, date(2026, 6, 1))
    assert position.key.registry_account == "REG-1"
    assert (position.buckets.active, position.buckets.retired) == (Decimal(50), Decimal(20))
    assert status_of(lots).reconciled


def test_a_retirement_published_as_v1_is_named_as_the_lot_that_does_not_reconcile() -> None:
    v1 = make.retirement(ACCOUNT, "R-OLD", 10).model_dump(mode="json")
    v1.pop("registry_account")
    _, upcast = CATALOG.upcast_data("RetirementCompleted", 1, v1)
    lots, moves = projected(
        make.trade(ACCOUNT, "T-BUY", volume="100"),
        make.delivery(ACCOUNT, "T-BUY", "D-IN", 100),
        upcast,
    )
    status = status_of(lots)
    assert not status.reconciled
    assert status.lot == HoldingKey("GO", None, "T020001", "NL", "2025-12")
    assert status.problem == UNKNOWN_ACCOUNT
    flows = reconcile(lots, moves, None, date(2026, 12, 1))
    assert [lot.key.registry_account for lot in flows.unreconciled] == [None]


def test_a_lot_that_goes_below_zero_at_some_date_does_not_reconcile() -> None:
    """Sold on 1 March, bought on 1 April: the totals add up, 1 March does not."""
    lots, moves = projected(
        make.trade(ACCOUNT, "T-BUY", volume="100"),
        make.delivery(ACCOUNT, "T-BUY", "D-IN", 100),
        make.trade(ACCOUNT, "T-SELL", side="sell", volume="30"),
        sell_delivery("D-OUT", 30, date(2026, 3, 1)),
    )
    (lot,) = reconcile(lots, moves, None, date(2026, 12, 1)).lots
    assert lot.closing == 70
    assert lot.problem == "below zero on 2026-03-01 (-30) after D-OUT"
    assert status_of(lots).reconciled  # the counters alone cannot see dates


def test_movements_that_do_not_add_up_to_the_holdings_are_named() -> None:
    lots, moves = book()
    missing = [m for m in moves if m.source_reference != "R-1"]
    (lot,) = reconcile(lots, missing, None, date(2026, 12, 1)).lots
    assert lot.problem == "its batches moved 0 retired, its holdings count 20"


def forward(next_delivery: date, outstanding: str) -> ForwardDeal:
    return ForwardDeal.model_validate(
        {
            "reference": "T-1",
            "side": "buy",
            "scheme": "GO",
            "contracted_mwh": "100",
            "delivered_mwh": str(100 - Decimal(outstanding)),
            "outstanding_mwh": outstanding,
            "next_delivery_date": next_delivery,
            "registry_account": "REG-1",
            "status": "partially_delivered",
        }
    )


def test_a_forward_deal_past_its_date_with_volume_outstanding_is_late() -> None:
    today = date(2026, 6, 1)
    deals = [forward(date(2026, 5, 31), "40"), forward(today, "40"), forward(date(2026, 7, 1), "1")]
    assert [d.late for d in flag_late(deals, today)] == [True, False, False]
