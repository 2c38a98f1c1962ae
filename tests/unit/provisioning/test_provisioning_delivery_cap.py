"""Completed deliveries never exceed the traded volume: the running total per trade."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.ingest import IngestContext, ingest
from services.provisioning.models.records import RecordKind
from tests.support.provisioning_fakes import InMemoryRecordStore

from .test_provisioning_ingest import NOW, context, outcomes, publisher, run, store

pytestmark = pytest.mark.unit

TRADE = "STX-T-000001"


def with_trade(volume: str = "1000") -> InMemoryRecordStore:
    target = store()
    assert outcomes(run(RecordKind.TRADES, [testdata.trade(volume=volume)], target)) == ["accepted"]
    return target


def delivery(reference: str, volume: int, **extra: Any) -> dict[str, Any]:
    """A delivery of `volume` MWh in one certificate batch (any volume from 1 MWh)."""
    record = testdata.delivery(reference, volume=volume, **extra)
    if record["status"] == "completed":
        record["batches"] = [testdata.batch(1_000_000, volume)]
    return record


def delivered(target: InMemoryRecordStore, trade: str = TRADE) -> Decimal:
    return target.states[(RecordKind.TRADES, trade)].delivered_mwh


def reasons(results: list[Any]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for r in results for e in r.errors]


def test_a_delivery_of_exactly_the_volume_is_accepted() -> None:
    target = with_trade("1000")
    assert outcomes(run(RecordKind.DELIVERIES, [delivery("D-1", 1000)], target)) == ["accepted"]
    assert delivered(target) == 1000


def test_two_partial_deliveries_may_sum_to_the_volume() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 600)], target)
    assert outcomes(run(RecordKind.DELIVERIES, [delivery("D-2", 400)], target)) == ["accepted"]
    assert delivered(target) == 1000


def test_a_newer_version_of_a_delivery_replaces_its_volume() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 900)], target)
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 1000, version=2)], target)
    assert outcomes(results) == ["accepted"]
    assert delivered(target) == 1000
    lower = run(RecordKind.DELIVERIES, [delivery("D-1", 300, version=3)], target)
    assert outcomes(lower) == ["accepted"]
    assert delivered(target) == 300


def test_a_failed_delivery_counts_zero() -> None:
    target = with_trade("1000")
    results = run(
        RecordKind.DELIVERIES,
        [delivery("D-1", 1000, status="failed"), delivery("D-2", 1000)],
        target,
    )
    assert outcomes(results) == ["accepted", "accepted"]
    assert delivered(target) == 1000


def test_a_delivery_that_fails_later_frees_its_volume() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 1000)], target)
    results = run(
        RecordKind.DELIVERIES,
        [delivery("D-1", 1000, version=2, status="failed"), delivery("D-2", 1000)],
        target,
    )
    assert outcomes(results) == ["accepted", "accepted"]
    assert delivered(target) == 1000


def test_one_delivery_over_the_volume_is_rejected() -> None:
    target = with_trade("1000")
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 1001)], target)
    assert outcomes(results) == ["rejected"]
    assert reasons(results) == [
        (
            "volume_mwh",
            f"trade {TRADE} has a volume of 1000 MWh, 0 MWh already delivered; "
            "this delivery of 1001 MWh would exceed it",
        )
    ]
    assert delivered(target) == 0
    assert [e.detail_type for e in target.outbox] == ["TradeExecuted"]


def test_a_second_delivery_over_the_remainder_is_rejected() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 700)], target)
    results = run(RecordKind.DELIVERIES, [delivery("D-2", 301)], target)
    assert outcomes(results) == ["rejected"]
    (field, reason) = reasons(results)[0]
    assert field == "volume_mwh"
    assert "volume of 1000 MWh" in reason
    assert "700 MWh already delivered" in reason
    assert "delivery of 301 MWh" in reason
    assert delivered(target) == 700


def test_a_same_batch_pair_over_the_volume_both_count() -> None:
    target = with_trade("1000")
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 600), delivery("D-2", 600)], target)
    assert outcomes(results) == ["accepted", "rejected"]
    assert "600 MWh already delivered" in reasons(results)[0][1]
    assert delivered(target) == 600


def test_dry_run_judges_a_same_batch_pair_and_writes_nothing() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-0", 100)], target)
    results = run(
        RecordKind.DELIVERIES,
        [delivery("D-1", 500), delivery("D-2", 400), delivery("D-3", 1)],
        target,
        dry_run=True,
    )
    assert outcomes(results) == ["accepted", "accepted", "rejected"]
    assert "1000 MWh already delivered" in reasons(results)[0][1]
    assert delivered(target) == 100
    assert (RecordKind.DELIVERIES, "D-1") not in target.states


def test_an_amendment_below_the_delivered_volume_is_rejected() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 800)], target)
    lower = run(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="799")], target
    )
    assert outcomes(lower) == ["rejected"]
    assert reasons(lower) == [
        ("volume_mwh", f"trade {TRADE}: volume 799 MWh is below the 800 MWh already delivered")
    ]
    exact = run(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="800")], target
    )
    assert outcomes(exact) == ["accepted"]
    assert delivered(target) == 800
    full = run(RecordKind.DELIVERIES, [delivery("D-2", 1)], target)
    assert "volume of 800 MWh" in reasons(full)[0][1]


def test_dry_run_amendment_sees_the_delivered_volume() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 800)], target)
    results = run(
        RecordKind.TRADES,
        [testdata.trade(version=2, status="amended", volume="700")],
        target,
        dry_run=True,
    )
    assert outcomes(results) == ["rejected"]
    assert reasons(results)[0][0] == "volume_mwh"


def test_cancelling_a_partly_delivered_trade_cancels_the_rest() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 400)], target)
    cancel = run(
        RecordKind.TRADES, [testdata.trade(version=2, status="cancelled", volume="1000")], target
    )
    assert outcomes(cancel) == ["accepted"]
    assert delivered(target) == 400
    after = run(RecordKind.DELIVERIES, [delivery("D-2", 100)], target)
    assert reasons(after) == [
        ("trade_reference", f"trade {TRADE} is cancelled: no delivery may follow")
    ]
    resent = run(RecordKind.DELIVERIES, [delivery("D-1", 400, version=2)], target)
    assert outcomes(resent) == ["rejected"]


def test_a_fully_delivered_trade_cannot_be_cancelled() -> None:
    target = with_trade("1000")
    run(RecordKind.DELIVERIES, [delivery("D-1", 1000)], target)
    cancel = run(
        RecordKind.TRADES, [testdata.trade(version=2, status="cancelled", volume="1000")], target
    )
    assert outcomes(cancel) == ["rejected"]
    assert reasons(cancel)[0] == (
        "status",
        f"trade {TRADE} is fully delivered (1000 MWh): nothing is left to cancel",
    )


def test_a_delivery_for_an_unknown_trade_is_rejected() -> None:
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 10)], store())
    assert reasons(results) == [
        ("trade_reference", f"trade {TRADE} is unknown for this counterparty; send the trade first")
    ]


def test_a_delivery_for_another_accounts_trade_is_rejected() -> None:
    target = with_trade("1000")
    target.links["STX-CP-0002"] = "acc-2"
    results = run(
        RecordKind.DELIVERIES, [delivery("D-1", 10, counterparty_reference="STX-CP-0002")], target
    )
    assert reasons(results)[0][0] == "trade_reference"


def test_a_delivery_for_another_publishers_trade_is_rejected() -> None:
    target = with_trade("1000")
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 10)], target, who=publisher("pub-2"))
    assert reasons(results)[0][0] == "trade_reference"


def test_a_delivery_never_moves_to_another_trade() -> None:
    target = with_trade("1000")
    run(RecordKind.TRADES, [testdata.trade("STX-T-2")], target)
    run(RecordKind.DELIVERIES, [delivery("D-1", 10)], target)
    results = run(
        RecordKind.DELIVERIES, [delivery("D-1", 10, version=2, trade_reference="STX-T-2")], target
    )
    assert reasons(results)[0][0] == "trade_reference"
    assert "never moves" in reasons(results)[0][1]


def test_a_duplicate_delivery_does_not_count_twice() -> None:
    target = with_trade("1000")
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 600), delivery("D-1", 600)], target)
    assert outcomes(results) == ["accepted", "duplicate"]
    assert outcomes(run(RecordKind.DELIVERIES, [delivery("D-1", 600)], target)) == ["duplicate"]
    assert delivered(target) == 600


class RacingStore(InMemoryRecordStore):
    """Another writer gets in between our read and our first delivery write."""

    def __init__(self, kind: RecordKind, race: list[dict[str, Any]]) -> None:
        super().__init__(accounts={"acc-1"}, links={"STX-CP-0001": "acc-1"})
        self.race_kind = kind
        self.race = race
        self.refused = 0

    def apply(self, writes: Any) -> Any:
        if self.race and writes and writes[0].kind is RecordKind.DELIVERIES:
            other, self.race = self.race, []
            ingest(self.race_kind, enumerate(other), self, context())
        failed = super().apply(writes)
        self.refused += len(failed)
        return failed


def test_a_race_over_the_cap_is_retried_then_rejected() -> None:
    target = RacingStore(RecordKind.DELIVERIES, [delivery("D-other", 900)])
    run(RecordKind.TRADES, [testdata.trade(volume="1000")], target)
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 200), delivery("D-2", 100)], target)
    assert outcomes(results) == ["rejected", "accepted"]
    assert target.refused == 1
    assert "900 MWh already delivered" in reasons(results)[0][1]
    assert delivered(target) == 1000


def test_concurrent_deliveries_within_the_cap_need_no_retry() -> None:
    target = RacingStore(RecordKind.DELIVERIES, [delivery("D-other", 700)])
    run(RecordKind.TRADES, [testdata.trade(volume="1000")], target)
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 300)], target)
    assert outcomes(results) == ["accepted"]
    assert target.refused == 0
    assert delivered(target) == 1000


def test_a_trade_amended_meanwhile_is_read_again() -> None:
    target = RacingStore(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="2000")]
    )
    run(RecordKind.TRADES, [testdata.trade(volume="1000")], target)
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 1500)], target)
    assert outcomes(results) == ["rejected"]
    assert target.refused == 0
    results = run(RecordKind.DELIVERIES, [delivery("D-1", 900)], target)
    assert outcomes(results) == ["accepted"]


def test_the_demo_book_is_fully_accepted() -> None:
    references = [f"STX-CP-{n:04d}" for n in range(1, 4)]
    target = InMemoryRecordStore(
        accounts={"acc-1", "acc-2", "acc-3"},
        links={r: f"acc-{n}" for n, r in enumerate(references, start=1)},
    )
    data = testdata.demo_dataset(references, 150)
    ctx = IngestContext(publisher=publisher(), correlation_id="demo", clock=lambda: NOW)
    for kind in ("trades", "deliveries", "retirements", "invoices", "documents"):
        results = ingest(RecordKind(kind), enumerate(data[kind]), target, ctx)
        assert {r.outcome.value for r in results} == {"accepted"}, kind
    for record in data["trades"]:
        state = target.states[(RecordKind.TRADES, record["reference"])]
        assert state.volume_mwh is not None
        assert state.delivered_mwh <= state.volume_mwh
