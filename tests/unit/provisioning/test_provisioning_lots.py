"""Certificate lots (issue 12): buys deliver into the trade's registry account, sells out of
it, retirements out of the account they name; nothing may take a lot below zero."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.lots import LotKey
from services.provisioning.models.records import RecordKind
from tests.support.provisioning_fakes import InMemoryRecordStore

from .test_provisioning_ingest import outcomes, run, store

pytestmark = pytest.mark.unit

OWN, STX = "NL-CERTIQ-88412", "NL-CERTIQ-10001"
LOT = LotKey("acc-1", "GO", OWN, "T020001", "NL", "2025-06")


def trade(reference: str, side: str, volume: int = 1000, **extra: Any) -> dict[str, Any]:
    record = testdata.trade(reference, volume=str(volume), **extra)
    record["side"] = side
    return record


def delivery(
    reference: str, trade_reference: str, side: str, units: int, **extra: Any
) -> dict[str, Any]:
    """A completed delivery of one batch of the lot, the right way round for its side."""
    record = testdata.delivery(reference, trade_reference=trade_reference, volume=units, **extra)
    if record["status"] == "completed":
        record["batches"] = [testdata.batch(1_000_000, units)]
    if side == "sell":
        record["from_registry_account"], record["to_registry_account"] = OWN, STX
    return record


def retirement(reference: str, units: int, **extra: Any) -> dict[str, Any]:
    record = testdata.retirement(reference, volume=units)
    record["batches"] = [testdata.batch(3_000_000, units)]
    record.update(extra)
    return record


def holding(units: int) -> InMemoryRecordStore:
    """The account holds `units` of the lot, bought and delivered."""
    target = store()
    run(RecordKind.TRADES, [trade("T-BUY", "buy", 5000), trade("T-SELL", "sell", 5000)], target)
    assert outcomes(run(RecordKind.DELIVERIES, [delivery("D-IN", "T-BUY", "buy", units)], target))
    assert target.lots == {LOT: units}
    return target


def errors(results: list[Any]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for r in results for e in r.errors]


def test_a_sell_takes_certificates_out_of_the_account() -> None:
    target = holding(800)
    results = run(RecordKind.DELIVERIES, [delivery("D-OUT", "T-SELL", "sell", 300)], target)
    assert outcomes(results) == ["accepted"]
    assert target.lots == {LOT: 500}


def test_selling_more_than_the_lot_holds_is_rejected_naming_the_lot() -> None:
    target = holding(800)
    results = run(RecordKind.DELIVERIES, [delivery("D-OUT", "T-SELL", "sell", 801)], target)
    assert outcomes(results) == ["rejected"]
    assert errors(results) == [
        (
            "batches",
            f"GO T020001 NL vintage 2025-06 on registry account {OWN} holds 800 certificates; "
            "this version of delivery D-OUT takes 801 out",
        )
    ]
    assert target.lots == {LOT: 800}
    assert [e.detail_type for e in target.outbox].count("DeliveryCompleted") == 1


@pytest.mark.parametrize(
    ("side", "field", "change"),
    [
        ("buy", "to_registry_account", {"to_registry_account": "NL-CERTIQ-99999"}),
        ("sell", "from_registry_account", {"from_registry_account": "STX-REGISTRY-0001"}),
        ("buy", "scheme", {"scheme": "REGO"}),
    ],
)
def test_a_delivery_moves_certificates_of_its_trade_s_registry_account(
    side: str, field: str, change: dict[str, str]
) -> None:
    target = holding(800)
    record = delivery("D-X", "T-SELL" if side == "sell" else "T-BUY", side, 100)
    record.update(change)
    results = run(RecordKind.DELIVERIES, [record], target)
    assert outcomes(results) == ["rejected"]
    assert errors(results)[0][0] == field
    assert target.lots == {LOT: 800}


def test_a_retirement_takes_certificates_out_of_the_account_it_names() -> None:
    target = holding(800)
    results = run(RecordKind.RETIREMENTS, [retirement("R-1", 500)], target)
    assert outcomes(results) == ["accepted"]
    assert target.lots == {LOT: 300}
    assert target.outbox[-1].data.registry_account == OWN


def test_retiring_more_than_held_or_from_another_account_is_rejected() -> None:
    target = holding(800)
    too_much = retirement("R-1", 801)
    elsewhere = retirement("R-2", 100, registry_account="NL-CERTIQ-55555")
    results = run(RecordKind.RETIREMENTS, [too_much, elsewhere], target)
    assert outcomes(results) == ["rejected", "rejected"]
    assert errors(results)[0] == (
        "batches",
        f"GO T020001 NL vintage 2025-06 on registry account {OWN} holds 800 certificates; "
        "retirement R-1 takes 801 out",
    )
    assert "NL-CERTIQ-55555 holds 0 certificates" in errors(results)[1][1]
    assert target.lots == {LOT: 800}


def test_retirements_of_one_batch_share_what_is_held() -> None:
    target = holding(800)
    results = run(
        RecordKind.RETIREMENTS,
        [retirement("R-1", 500), retirement("R-2", 400), retirement("R-3", 300)],
        target,
    )
    assert outcomes(results) == ["accepted", "rejected", "accepted"]
    assert target.lots == {LOT: 0}


def test_a_delivery_whose_certificates_were_retired_cannot_be_withdrawn() -> None:
    target = holding(800)
    run(RecordKind.RETIREMENTS, [retirement("R-1", 500)], target)
    failed = delivery("D-IN", "T-BUY", "buy", 800, status="failed", version=2)
    smaller = delivery("D-IN", "T-BUY", "buy", 400, version=2)
    assert outcomes(run(RecordKind.DELIVERIES, [failed], target)) == ["rejected"]
    assert outcomes(run(RecordKind.DELIVERIES, [smaller], target)) == ["rejected"]
    still = delivery("D-IN", "T-BUY", "buy", 500, version=2)
    assert outcomes(run(RecordKind.DELIVERIES, [still], target)) == ["accepted"]
    assert target.lots == {LOT: 0}


def test_a_trade_with_deliveries_keeps_its_side_and_registry_account() -> None:
    target = holding(800)
    turned = trade("T-BUY", "sell", 5000, version=2, status="amended")
    moved = trade("T-BUY", "buy", 5000, version=2, status="amended")
    moved["registry_account"] = "NL-CERTIQ-77777"
    assert errors(run(RecordKind.TRADES, [turned], target))[0][0] == "side"
    assert errors(run(RecordKind.TRADES, [moved], target))[0][0] == "registry_account"
    repriced = trade("T-BUY", "buy", 5000, version=2, status="amended", unit_price="2.40")
    assert outcomes(run(RecordKind.TRADES, [repriced], target)) == ["accepted"]


def test_a_sell_after_a_buy_in_the_batch_sees_it_even_when_the_buy_waits_a_round() -> None:
    """The buy's second delivery waits for the first (same trade); the sell after it in the
    batch is judged after it, not before."""
    target = store()
    run(RecordKind.TRADES, [trade("T-BUY", "buy"), trade("T-SELL", "sell")], target)
    batch = [
        delivery("D-1", "T-BUY", "buy", 100),
        delivery("D-2", "T-BUY", "buy", 300),
        delivery("D-3", "T-SELL", "sell", 350),
    ]
    assert outcomes(run(RecordKind.DELIVERIES, batch, target)) == ["accepted"] * 3
    assert target.lots == {LOT: 50}


def test_a_dry_run_judges_against_the_lots_and_writes_nothing() -> None:
    target = holding(800)
    batch = [delivery("D-OUT", "T-SELL", "sell", 600), delivery("D-OUT2", "T-SELL", "sell", 300)]
    results = run(RecordKind.DELIVERIES, batch, target, dry_run=True)
    assert outcomes(results) == ["accepted", "rejected"]
    assert target.lots == {LOT: 800}
