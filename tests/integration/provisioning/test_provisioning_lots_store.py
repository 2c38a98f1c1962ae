"""Certificate lots on the DynamoDB record store (moto): the `LOT#` items change in the
record's own transaction, and a write that would take a lot below zero (another writer
got there first) fails its condition, is judged again and rejected."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.adapters.lot_items import lot_key
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic.lots import LotKey
from services.provisioning.models.records import RecordKind

from .conftest import Cloud
from .test_provisioning_delivery_cap import Book, outcomes, reasons

pytestmark = pytest.mark.integration

OWN, STX = "NL-CERTIQ-88412", "NL-CERTIQ-10001"
LOT = LotKey("acc-1", "GO", OWN, "T020001", "NL", "2025-06")


def held(book: Book, lot: LotKey = LOT) -> int:
    item = book.cloud.dynamodb.get_item(TableName=book.cloud.records_table, Key=lot_key(lot))
    return int(item["Item"]["held"]["N"]) if "Item" in item else 0


def retirement(reference: str, units: int) -> dict[str, Any]:
    record = testdata.retirement(reference, volume=units)
    record["batches"] = [testdata.batch(3_000_000, units)]
    return record


@pytest.fixture
def book(cloud: Cloud) -> Book:
    """The account holds 1,000 certificates of the lot (a buy, delivered), and has a sell."""
    made = Book(cloud)
    sell = testdata.trade("T-SELL", volume="1000")
    sell["side"] = "sell"
    trades = [testdata.trade("T-BUY", volume="1000"), sell]
    assert outcomes(made.push(RecordKind.TRADES, trades)) == ["accepted"] * 2
    bought = testdata.delivery("D-IN", trade_reference="T-BUY", volume=1000)
    bought["batches"] = [testdata.batch(1_000_000, 1000)]
    assert outcomes(made.push(RecordKind.DELIVERIES, [bought])) == ["accepted"]
    assert held(made) == 1000
    return made


def test_sells_and_retirements_lower_the_lot_in_their_own_transaction(book: Book) -> None:
    sold = testdata.delivery("D-OUT", trade_reference="T-SELL", volume=300)
    sold.update(from_registry_account=OWN, to_registry_account=STX)
    sold["batches"] = [testdata.batch(1_000_000, 300)]
    assert outcomes(book.push(RecordKind.DELIVERIES, [sold])) == ["accepted"]
    results = book.push(RecordKind.RETIREMENTS, [retirement("R-1", 600), retirement("R-2", 200)])
    assert outcomes(results) == ["accepted", "rejected"]
    assert reasons(results)[0] == (
        "batches",
        f"GO T020001 NL vintage 2025-06 on registry account {OWN} holds 100 certificates; "
        "retirement R-2 takes 200 out",
    )
    assert held(book) == 100
    assert book.events("Retirement") == ["R-1"]


def test_a_writer_that_retired_first_makes_the_lot_condition_fail(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our read and our write another request retires 800: our transaction's
    condition on the lot fails, nothing of ours is written, we read again and reject."""
    other = Book.__new__(Book)
    other.cloud, other.calls = book.cloud, []
    other.store = DynamoRecordStore(
        book.cloud.dynamodb, book.cloud.s3, book.cloud.records_table, book.cloud.bucket
    )
    real_apply = book.store.apply
    failures: list[int] = []

    def apply_after_another_writer(writes: Any) -> Any:
        if not failures:
            failures.append(0)
            pushed = other.push(RecordKind.RETIREMENTS, [retirement("R-other", 800)])
            assert outcomes(pushed) == ["accepted"]
        failed = real_apply(writes)
        failures.append(len(failed))
        return failed

    monkeypatch.setattr(book.store, "apply", apply_after_another_writer)
    results = book.push(RecordKind.RETIREMENTS, [retirement("R-1", 300)])
    assert outcomes(results) == ["rejected"]
    assert "holds 200 certificates" in reasons(results)[0][1]
    assert failures == [0, 1]
    assert held(book) == 200
    assert book.events("Retirement") == ["R-other"]
