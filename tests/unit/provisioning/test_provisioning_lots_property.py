"""Property (issue 12): random histories of buys, sells, amendments, cancellations, partial
and failed deliveries and retirements, in any order with duplicates, always reconcile per
lot; every record that would break the identity is refused with a field and a reason.

The identity is computed from the published events alone (as a consumer would): the newest
version of each delivery moves its batches in (buy) or out (sell) of its trade's registry
account, each retirement out of the account it names. Replayed in the order they were
published, no lot ever goes below zero, and the end balance is what provisioning holds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.local.demo import records as testdata
from services.provisioning.logic.lots import LotKey
from services.provisioning.models.records import RecordKind
from tests.support.provisioning_fakes import InMemoryRecordStore

from .test_provisioning_ingest import run, store

pytestmark = pytest.mark.unit

OWN, STX = "NL-CERTIQ-88412", "NL-CERTIQ-10001"
VINTAGES = ("2025-05", "2025-06")
TRADES = {"T-BUY-1": "buy", "T-BUY-2": "buy", "T-SELL-1": "sell", "T-SELL-2": "sell"}


def _trade(reference: str, version: int, status: str, volume: int) -> dict[str, Any]:
    record = testdata.trade(reference, version=version, status=status, volume=str(volume))
    record["side"] = TRADES[reference]
    return record


def _batches(units: int, vintage: str, serial: int) -> list[dict[str, Any]]:
    return [testdata.batch(serial, units, vintage=vintage)]


def _delivery(
    reference: str, trade_reference: str, version: int, status: str, units: int, vintage: str
) -> dict[str, Any]:
    record = testdata.delivery(
        reference, trade_reference=trade_reference, volume=units, status=status, version=version
    )
    if status == "completed":
        record["batches"] = _batches(units, vintage, 1_000_000)
    if TRADES[trade_reference] == "sell":
        record["from_registry_account"], record["to_registry_account"] = OWN, STX
    return record


def _retirement(reference: str, units: int, vintage: str) -> dict[str, Any]:
    record = testdata.retirement(reference, volume=units)
    record["batches"] = _batches(units, vintage, 3_000_000)
    return record


units = st.integers(min_value=1, max_value=400)
trade_records = st.builds(
    _trade,
    st.sampled_from(sorted(TRADES)),
    st.integers(1, 3),
    st.sampled_from(("executed", "amended", "cancelled")),
    st.sampled_from((400, 800, 1600)),
).map(lambda t: (RecordKind.TRADES, t))


@st.composite
def delivery_records(draw: st.DrawFn, trades: tuple[str, ...] = tuple(sorted(TRADES))) -> Any:
    trade_reference = draw(st.sampled_from(trades))
    # Mostly the trade's own deliveries; now and then one claiming another trade's reference.
    owner = draw(st.sampled_from((trade_reference,) * 4 + tuple(sorted(TRADES))))
    record = _delivery(
        f"D-{owner}-{draw(st.integers(0, 2))}",
        trade_reference,
        draw(st.integers(1, 3)),
        draw(st.sampled_from(("completed", "completed", "failed"))),
        draw(units),
        draw(st.sampled_from(VINTAGES)),
    )
    return (RecordKind.DELIVERIES, record)


retirement_records = st.builds(
    _retirement,
    st.sampled_from([f"R-{n}" for n in range(4)]),
    st.integers(min_value=1, max_value=150),
    st.sampled_from(VINTAGES),
).map(lambda r: (RecordKind.RETIREMENTS, r))
buy_deliveries = delivery_records(trades=("T-BUY-1", "T-BUY-2"))
records = st.one_of(
    trade_records, buy_deliveries, buy_deliveries, delivery_records(), retirement_records
)
OPENED = [(RecordKind.TRADES, _trade(t, 1, "executed", 1600)) for t in sorted(TRADES)]
"""Most histories open the trades first, so that deliveries and retirements have something
to move (a history may also start anywhere: the trades are among its random records)."""
histories = st.tuples(
    st.booleans(),
    st.lists(records, min_size=1, max_size=40).flatmap(
        # Duplicates: some records sent again, anywhere later.
        lambda h: st.lists(st.sampled_from(h), max_size=8).flatmap(
            lambda again: st.permutations(h + again)
        )
    ),
).map(lambda opened_and_rest: (OPENED if opened_and_rest[0] else []) + opened_and_rest[1])


def replayed(target: InMemoryRecordStore) -> dict[LotKey, int]:
    """Lot balances from the published events, in publishing order; never below zero."""
    trades: dict[str, Any] = {}
    moved: dict[str, list[tuple[LotKey, int]]] = {}
    held: dict[LotKey, int] = defaultdict(int)
    for event in target.outbox:
        data = event.data
        if event.detail_type.startswith("Trade"):
            trades[data.reference] = data
            continue
        if event.detail_type.startswith("Delivery"):
            trade = trades[data.trade_reference]
            sign = 1 if trade.side == "buy" else -1
            registry = trade.registry_account
            if event.detail_type == "DeliveryFailed":
                sign = 0
        else:
            sign, registry = -1, data.registry_account
        assert event.account_id is not None
        lots = [
            (LotKey(event.account_id, data.scheme, registry, b.technology, b.country, b.vintage), b)
            for b in data.batches
        ]
        now = [(lot, sign * b.quantity) for lot, b in lots]
        for lot, change in moved.get(data.reference, []):
            held[lot] -= change
        for lot, change in now:
            held[lot] += change
        moved[data.reference] = now
        negative = {lot: n for lot, n in held.items() if n < 0}
        assert not negative, f"{event.detail_type} {data.reference} took {negative}"
    return {lot: n for lot, n in held.items() if n}


def _batched(history: list[tuple[RecordKind, dict[str, Any]]], size: int) -> list[Any]:
    """Consecutive records of one kind sent together, at most `size` per batch."""
    batches: list[tuple[RecordKind, list[dict[str, Any]]]] = []
    for kind, record in history:
        if batches and batches[-1][0] is kind and len(batches[-1][1]) < size:
            batches[-1][1].append(record)
        else:
            batches.append((kind, [record]))
    return batches


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories, size=st.integers(1, 6))
def test_random_histories_reconcile_per_lot(
    history: list[tuple[RecordKind, dict[str, Any]]], size: int
) -> None:
    target = store()
    for kind, batch in _batched(history, size):
        for result in run(kind, batch, target):
            if result.outcome.value == "rejected":
                assert result.errors
                assert all(e.field and e.reason for e in result.errors)
    held = replayed(target)
    assert held == {lot: n for lot, n in target.lots.items() if n}
    for (kind, _), state in target.states.items():
        if kind is RecordKind.TRADES:
            assert state.volume_mwh is not None
            assert 0 <= state.delivered_mwh <= state.volume_mwh


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories)
def test_a_record_is_refused_on_its_batches_exactly_when_it_would_break_the_identity(
    history: list[tuple[RecordKind, dict[str, Any]]],
) -> None:
    """One record at a time: a record refused on `batches` would have taken a lot below
    zero (its change applied to the replayed balances), and no accepted one did."""
    target = store()
    for kind, record in history:
        before = replayed(target)
        published = len(target.outbox)
        (result,) = run(kind, [record], target)
        outcome = result.outcome.value
        if outcome == "accepted":
            assert len(target.outbox) == published + 1
            replayed(target)  # asserts that no lot went below zero
        elif outcome == "rejected" and result.errors[0].field == "batches":
            assert "holds" in result.errors[0].reason
            assert _would_go_negative(target, kind, record, before)


def _would_go_negative(
    target: InMemoryRecordStore,
    kind: RecordKind,
    record: dict[str, Any],
    before: dict[LotKey, int],
) -> bool:
    """The record's change, from the version stored of it, applied to `before`."""
    if kind is RecordKind.RETIREMENTS:
        sign, registry, previous = -1, record["registry_account"], []
    else:
        trade = target.states[(RecordKind.TRADES, record["trade_reference"])]
        sign = 1 if trade.side == "buy" else -1
        registry = trade.registry_account
        stored = target.states.get((RecordKind.DELIVERIES, record["reference"]))
        previous = list(stored.lots) if stored is not None else []
    held = defaultdict(int, before)
    for lot, change in previous:
        held[lot] -= change
    for b in record["batches"] if record.get("status", "completed") == "completed" else []:
        lot = LotKey(
            "acc-1", record["scheme"], registry, b["technology"], b["country"], b["vintage"]
        )
        held[lot] += sign * b["quantity"]
    return any(n < 0 for n in held.values())
