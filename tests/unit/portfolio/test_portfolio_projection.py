"""Projection rules: versions, duplicates, amendments before trades, cancellation, counters."""

from __future__ import annotations

import copy
import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.portfolio.adapters import keys
from services.portfolio.logic.collections import Collection
from services.portfolio.logic.facts import Fact
from services.portfolio.logic.projector import LatestActivity, Outcome, apply_fact
from tests.unit.portfolio.portfolio_factories import delivery, fact, invoice, retirement, trade
from tests.unit.portfolio.portfolio_memory_store import MemoryStore

pytestmark = pytest.mark.unit
ACCOUNT = "acct-a"


def current(store: MemoryStore, reference: str) -> dict[str, Any]:
    return store.items[(keys.trade_pk(ACCOUNT, reference), keys.CURRENT_SK)]


def counter(store: MemoryStore, sk: str) -> dict[str, Any]:
    return store.items.get((keys.agg_pk(ACCOUNT), sk), {})


def test_newer_version_wins_and_older_after_newer_changes_nothing() -> None:
    store = MemoryStore()
    assert apply_fact(store, fact(trade(ACCOUNT, "T1", 1, volume="100"))) is Outcome.APPLIED
    assert (
        apply_fact(store, fact(trade(ACCOUNT, "T1", 3, status="amended", volume="300")))
        is Outcome.APPLIED
    )
    before = copy.deepcopy(store.items)
    outcome = apply_fact(store, fact(trade(ACCOUNT, "T1", 2, status="amended", volume="200")))
    assert outcome is Outcome.STALE
    after = current(store, "T1")
    assert after["volume_mwh"] == Decimal(300)
    assert after["version"] == 3
    current_key = (keys.trade_pk(ACCOUNT, "T1"), keys.CURRENT_SK)
    assert {k: v for k, v in after.items() if k not in ("revision",)} == {
        k: v for k, v in before[current_key].items() if k not in ("revision",)
    }
    stale = fact(trade(ACCOUNT, "T1", 2, status="amended", volume="200"))
    stored_fact = (keys.trade_pk(ACCOUNT, "T1"), keys.fact_sk(stale.key))
    assert {k: v for k, v in store.items.items() if k not in (current_key, stored_fact)} == {
        k: v for k, v in before.items() if k != current_key
    }


def test_duplicate_changes_nothing() -> None:
    store = MemoryStore()
    executed = fact(trade(ACCOUNT, "T1"))
    apply_fact(store, executed)
    snapshot = copy.deepcopy(store.items)  # a shallow copy would share the nested items
    assert apply_fact(store, executed) is Outcome.DUPLICATE
    assert store.items == snapshot


def test_a_fact_stored_without_its_fold_is_folded_by_its_next_delivery() -> None:
    """Earlier code stored a fact, then committed its fold: a crash between the two left the
    stream behind its facts. The next delivery (a duplicate) brings the view up to date."""
    executed = fact(trade(ACCOUNT, "T1"))
    expected = MemoryStore()
    apply_fact(expected, executed)
    store = MemoryStore()
    store.store_fact_alone(executed)

    assert apply_fact(store, executed) is Outcome.DUPLICATE
    assert store.items == expected.items


def test_amendment_before_its_trade_is_applied_and_history_filled_later() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", 2, status="amended", volume="250")))
    assert current(store, "T1")["volume_mwh"] == Decimal(250)
    assert apply_fact(store, fact(trade(ACCOUNT, "T1", 1))) is Outcome.STALE
    assert current(store, "T1")["status"] == "amended"
    history = [
        sk
        for (pk, sk) in store.items
        if pk == keys.trade_pk(ACCOUNT, "T1") and sk.startswith("F#V#")
    ]
    assert len(history) == 2


def test_cancelled_is_terminal() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", 1)))
    apply_fact(store, fact(trade(ACCOUNT, "T1", 2, status="cancelled")))
    outcome = apply_fact(store, fact(trade(ACCOUNT, "T1", 3, status="amended", volume="999")))
    assert outcome is Outcome.STALE
    assert current(store, "T1")["status"] == "cancelled"
    assert current(store, "T1")["outstanding_mwh"] == 0
    assert (
        keys.collection_pk(ACCOUNT, Collection.FORWARD_DEALS),
        "2026-06-30#T1",
    ) not in store.items


def test_a_trade_is_indexed_by_status_and_findable_by_any_part_of_its_reference() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T-9", volume="100")))
    assert current(store, "T-9")["gsi3pk"] == keys.facet_pk("trade", ACCOUNT, "executed")
    search = keys.collection_pk(ACCOUNT, Collection.TRADE_SEARCH)
    entries = {sk for (pk, sk) in store.items if pk == search}
    assert entries == {"t-9#T-9", "-9#T-9", "9#T-9"}
    apply_fact(store, fact(trade(ACCOUNT, "T-9", 2, status="amended", volume="300")))
    assert store.items[(search, "-9#T-9")]["volume_mwh"] == Decimal(300)
    apply_fact(store, fact(trade(ACCOUNT, "T-9", 3, status="cancelled", volume="300")))
    assert current(store, "T-9")["gsi3pk"] == keys.facet_pk("trade", ACCOUNT, "cancelled")
    assert {sk for (pk, sk) in store.items if pk == search} == entries


def test_a_trade_has_one_filter_entry_listed_by_date_and_by_volume() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T-9", volume="100")))
    apply_fact(store, fact(trade(ACCOUNT, "T-9", 2, status="amended", trade_date=date(2026, 3, 5))))
    filters = keys.collection_pk(ACCOUNT, Collection.TRADE_FILTER)
    entries = {sk: item for (pk, sk), item in store.items.items() if pk == filters}
    assert list(entries) == ["2026-03-05#T-9"]
    entry = entries["2026-03-05#T-9"]
    assert (entry["status"], entry["side"], entry["countries"]) == ("amended", "buy", ["NL"])
    assert entry["gsi2pk"] == filters
    assert entry["gsi2sk"] == keys.volume_sort_key(Decimal(100), "T-9")
    assert "unit_price" not in entry


def test_delivery_before_trade_is_held_then_counted() -> None:
    store = MemoryStore()
    assert apply_fact(store, fact(delivery(ACCOUNT, "T1", "D1", 40))) is Outcome.HELD
    assert store.items[(keys.trade_pk(ACCOUNT, "T1"), keys.CURRENT_SK)]["held"] is True
    apply_fact(store, fact(trade(ACCOUNT, "T1", volume="100")))
    row = current(store, "T1")
    assert row["status"] == "partially_delivered"
    assert (row["delivered_mwh"], row["outstanding_mwh"]) == (Decimal(40), Decimal(60))


def test_deliveries_never_exceed_volume_and_buckets_never_negative() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", volume="50")))
    apply_fact(store, fact(delivery(ACCOUNT, "T1", "D1", 40)))
    apply_fact(store, fact(delivery(ACCOUNT, "T1", "D2", 40)))
    row = current(store, "T1")
    assert (row["delivered_mwh"], row["outstanding_mwh"], row["status"]) == (
        Decimal(50),
        Decimal(0),
        "delivered",
    )
    lots = [i for (pk, sk), i in store.items.items() if sk.startswith("HOLD#")]
    assert all(v >= 0 for lot in lots for v in lot.values() if isinstance(v, Decimal))


def test_failed_delivery_version_replaces_completed() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", volume="100")))
    apply_fact(store, fact(delivery(ACCOUNT, "T1", "D1", 40, version=2, status="failed")))
    assert apply_fact(store, fact(delivery(ACCOUNT, "T1", "D1", 40, version=1))) is Outcome.STALE
    assert current(store, "T1")["delivered_mwh"] == 0


def test_status_counters_move_with_the_trade() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", volume="100")))
    assert counter(store, "YEAR#2026#executed")["trades"] == 1
    apply_fact(store, fact(trade(ACCOUNT, "T1", 2, status="cancelled")))
    assert counter(store, "YEAR#2026#executed")["trades"] == 0
    assert counter(store, "YEAR#2026#cancelled")["trades"] == 1
    lot = next(i for (pk, sk), i in store.items.items() if sk.startswith("HOLD#"))
    assert lot["contracted"] == 0


def test_retirement_and_invoice_projection() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1")))
    apply_fact(store, fact(retirement(ACCOUNT, "R1", 30)))
    assert counter(store, "RETYR#2026")["retired_mwh"] == 30
    apply_fact(store, fact(invoice(ACCOUNT, "INV1", "T1", gross="121.00")))
    open_key = (keys.collection_pk(ACCOUNT, Collection.OPEN_INVOICES), "2026-04-30#INV1")
    assert store.items[open_key]["outstanding_amount"] == Decimal("121.00")
    assert (keys.trade_pk(ACCOUNT, "T1"), "LINK#INV#INV1") in store.items
    apply_fact(
        store, fact(invoice(ACCOUNT, "INV1", "T1", gross="121.00", paid="121.00", version=2))
    )
    assert open_key not in store.items
    assert counter(store, "CUR#EUR")["paid"] == Decimal("121.00")


# --- property: any order, any duplicates -> the ordered, de-duplicated result -------------


@st.composite
def trade_histories(draw: st.DrawFn) -> list[Fact]:
    facts: list[Fact] = []
    for number in range(draw(st.integers(1, 3))):
        reference = f"T{number}"
        side = draw(st.sampled_from(["buy", "sell"]))
        versions = draw(st.integers(1, 4))
        cancel_at = draw(st.one_of(st.none(), st.integers(1, versions)))
        for version in range(1, versions + 1):
            status = (
                "cancelled" if version == cancel_at else ("executed" if version == 1 else "amended")
            )
            volume = draw(st.integers(10, 200))
            facts.append(
                fact(
                    trade(ACCOUNT, reference, version, status=status, side=side, volume=str(volume))
                )
            )
        for index in range(draw(st.integers(0, 2))):
            for version in range(1, draw(st.integers(1, 2)) + 1):
                status = draw(st.sampled_from(["completed", "failed"]))
                quantity = draw(st.integers(1, 120))
                facts.append(
                    fact(
                        delivery(
                            ACCOUNT, reference, f"{reference}-D{index}", quantity, version, status
                        )
                    )
                )
        if draw(st.booleans()):
            facts.append(fact(invoice(ACCOUNT, f"{reference}-INV", reference)))
    return facts


def ordered(facts: list[Fact]) -> list[Fact]:
    unique = {(f.stream, f.key): f for f in facts}
    return sorted(
        unique.values(), key=lambda f: (f.stream.reference, f.key.startswith("D#"), f.key)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=trade_histories(), seed=st.integers(0, 2**32 - 1), duplicates=st.integers(0, 6))
def test_any_order_with_duplicates_equals_ordered_deduplicated(
    history: list[Fact], seed: int, duplicates: int
) -> None:
    rng = random.Random(seed)
    shuffled = history + [rng.choice(history) for _ in range(duplicates)]
    rng.shuffle(shuffled)

    live, reference = MemoryStore(), MemoryStore()
    for item in shuffled:
        apply_fact(live, item)
    for item in ordered(history):
        apply_fact(reference, item)

    assert live.observable() == reference.observable()


def test_last_activity_is_the_newest_fact_of_each_kind_in_any_order() -> None:
    """A maximum per stream kind, kept once per batch: a late or duplicated older fact, in
    the same batch or a later one, never moves it back."""
    facts = [
        fact(trade(ACCOUNT, "T1", 1, volume="100")),
        fact(trade(ACCOUNT, "T1", 3, status="amended", volume="300")),
        fact(delivery(ACCOUNT, "T1", "D1", 40)),
        fact(retirement(ACCOUNT, "R1", 5)),
        fact(invoice(ACCOUNT, "INV1", "T1", gross="10.00")),
    ]
    expected = {
        kind: keys.activity_at(max(f.occurred_at for f in facts if f.stream.kind == kind))
        for kind in ("trade", "retirement", "invoice")
    }
    for order in (facts, list(reversed(facts)), [*facts, *facts]):
        for batch_size in (1, 2, len(order)):
            store = MemoryStore()
            for start in range(0, len(order), batch_size):
                activity = LatestActivity()
                for one in order[start : start + batch_size]:
                    activity.see(one)
                    apply_fact(store, one)
                activity.keep(store)
            shown = {k: counter(store, keys.activity_sk(k)).get("at") for k in expected}
            assert shown == expected


def test_open_forward_counts_what_each_side_still_has_to_deliver() -> None:
    store = MemoryStore()
    apply_fact(store, fact(trade(ACCOUNT, "T1", 1, volume="100")))
    apply_fact(store, fact(trade(ACCOUNT, "T2", 1, side="sell", volume="50")))
    apply_fact(store, fact(delivery(ACCOUNT, "T1", "D1", 40)))
    assert counter(store, "FWD#buy")["outstanding_mwh"] == Decimal("60")
    assert counter(store, "FWD#sell")["deals"] == Decimal(1)
    apply_fact(store, fact(trade(ACCOUNT, "T2", 2, status="cancelled", volume="50")))
    assert counter(store, "FWD#sell")["deals"] == Decimal(0)
    assert counter(store, "FWD#sell")["outstanding_mwh"] == Decimal(0)
