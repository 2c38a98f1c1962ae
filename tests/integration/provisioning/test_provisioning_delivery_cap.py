"""The delivery cap on the DynamoDB record store (moto): the running total on the trade's
item, changed in the delivery's transaction; amendments keep it and respect it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.adapters.records import DynamoRecordStore, state_key
from services.provisioning.logic.ingest import IngestContext, RecordResult, ingest
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind

from .conftest import Cloud

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TRADE = "STX-T-000001"
PUBLISHER = Publisher(
    publisher_id="pub-stx", name="STX", account_ids=None, created_at=NOW, created_by="admin"
)


class Book:
    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.store = DynamoRecordStore(cloud.dynamodb, cloud.s3, cloud.records_table, cloud.bucket)
        self.calls: list[str] = []
        cloud.dynamodb.meta.events.register(
            "before-call.dynamodb.*", lambda model, **_: self.calls.append(model.name)
        )
        self.store.record_account("acc-1", "Nordic AB", 1)
        self.push(RecordKind.COUNTERPARTIES, [testdata.counterparty("STX-CP-0001", "acc-1", "N")])

    def push(
        self, kind: RecordKind, records: list[dict[str, Any]], *, dry_run: bool = False
    ) -> list[RecordResult]:
        context = IngestContext(publisher=PUBLISHER, correlation_id="req", clock=lambda: NOW)
        return ingest(kind, enumerate(records), self.store, context, dry_run=dry_run)

    def delivered(self, trade: str = TRADE) -> Decimal:
        item = self.cloud.dynamodb.get_item(
            TableName=self.cloud.records_table, Key=state_key(RecordKind.TRADES, trade)
        )["Item"]
        return Decimal(item["delivered_mwh"]["N"])

    def events(self, prefix: str = "Delivery") -> list[str]:
        return [
            e["data"]["reference"]
            for e in self.cloud.outbox()
            if e["detail_type"].startswith(prefix)
        ]


@pytest.fixture
def book(cloud: Cloud) -> Book:
    made = Book(cloud)
    assert outcomes(made.push(RecordKind.TRADES, [testdata.trade(volume="1000")])) == ["accepted"]
    return made


def delivery(reference: str, volume: int, **extra: Any) -> dict[str, Any]:
    record = testdata.delivery(reference, volume=volume, **extra)
    if record["status"] == "completed":
        record["batches"] = [testdata.batch(1_000_000, volume)]
    return record


def outcomes(results: list[RecordResult]) -> list[str]:
    return [r.outcome.value for r in results]


def reasons(results: list[RecordResult]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for r in results for e in r.errors]


def test_exactly_the_volume_in_two_partial_deliveries(book: Book) -> None:
    assert outcomes(book.push(RecordKind.DELIVERIES, [delivery("D-1", 600)])) == ["accepted"]
    assert outcomes(book.push(RecordKind.DELIVERIES, [delivery("D-2", 400)])) == ["accepted"]
    assert book.delivered() == 1000
    over = book.push(RecordKind.DELIVERIES, [delivery("D-3", 1)])
    assert reasons(over) == [
        (
            "volume_mwh",
            f"trade {TRADE} has a volume of 1000 MWh, 1000 MWh already delivered; "
            "this delivery of 1 MWh would exceed it",
        )
    ]
    assert book.events() == ["D-1", "D-2"]


def test_one_over_is_rejected_and_writes_nothing(book: Book) -> None:
    results = book.push(RecordKind.DELIVERIES, [delivery("D-1", 1001)])
    assert outcomes(results) == ["rejected"]
    assert book.delivered() == 0
    assert book.events() == []


def test_a_resent_version_replaces_and_a_failed_one_counts_zero(book: Book) -> None:
    book.push(RecordKind.DELIVERIES, [delivery("D-1", 900)])
    results = book.push(
        RecordKind.DELIVERIES,
        [delivery("D-1", 1000, version=2), delivery("D-2", 50, status="failed")],
    )
    assert outcomes(results) == ["accepted", "accepted"]
    assert book.delivered() == 1000
    failed = book.push(RecordKind.DELIVERIES, [delivery("D-1", 1000, version=3, status="failed")])
    assert outcomes(failed) == ["accepted"]
    assert book.delivered() == 0


def test_a_same_batch_pair_over_the_cap(book: Book) -> None:
    results = book.push(
        RecordKind.DELIVERIES, [delivery("D-1", 600), delivery("D-2", 600), delivery("D-3", 400)]
    )
    assert outcomes(results) == ["accepted", "rejected", "accepted"]
    assert "600 MWh already delivered" in reasons(results)[0][1]
    assert book.delivered() == 1000
    assert sorted(book.events()) == ["D-1", "D-3"]


def test_dry_run_counts_the_batch_and_writes_nothing(book: Book) -> None:
    book.push(RecordKind.DELIVERIES, [delivery("D-0", 100)])
    writes_before = book.calls.count("TransactWriteItems")
    results = book.push(
        RecordKind.DELIVERIES, [delivery("D-1", 500), delivery("D-2", 401)], dry_run=True
    )
    assert outcomes(results) == ["accepted", "rejected"]
    assert "600 MWh already delivered" in reasons(results)[0][1]
    assert book.calls.count("TransactWriteItems") == writes_before
    assert book.delivered() == 100


def test_an_amendment_keeps_the_total_and_may_not_go_below_it(book: Book) -> None:
    book.push(RecordKind.DELIVERIES, [delivery("D-1", 800)])
    below = book.push(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="799.5")]
    )
    assert reasons(below) == [
        ("volume_mwh", f"trade {TRADE}: volume 799.5 MWh is below the 800 MWh already delivered")
    ]
    raised = book.push(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="1200")]
    )
    assert outcomes(raised) == ["accepted"]
    assert book.delivered() == 800
    item = book.cloud.dynamodb.get_item(
        TableName=book.cloud.records_table, Key=state_key(RecordKind.TRADES, TRADE)
    )["Item"]
    assert (item["version"]["N"], item["volume_mwh"]["N"]) == ("2", "1200")
    assert json.loads(item["record"]["S"])["volume_mwh"] == "1200"
    assert outcomes(book.push(RecordKind.DELIVERIES, [delivery("D-2", 400)])) == ["accepted"]
    assert book.delivered() == 1200


def test_cancellation_of_a_partly_and_a_fully_delivered_trade(book: Book) -> None:
    book.push(RecordKind.TRADES, [testdata.trade("STX-T-2", volume="100")])
    book.push(
        RecordKind.DELIVERIES,
        [delivery("D-1", 300), delivery("D-2", 100, trade_reference="STX-T-2")],
    )
    results = book.push(
        RecordKind.TRADES,
        [
            testdata.trade(version=2, status="cancelled", volume="1000"),
            testdata.trade("STX-T-2", version=2, status="cancelled", volume="100"),
        ],
    )
    assert outcomes(results) == ["accepted", "rejected"]
    assert reasons(results)[0][0] == "status"
    assert book.delivered() == 300
    after = book.push(RecordKind.DELIVERIES, [delivery("D-3", 10)])
    assert reasons(after)[0] == (
        "trade_reference",
        f"trade {TRADE} is cancelled: no delivery may follow",
    )


def test_a_delivery_for_an_unknown_trade_is_rejected(book: Book) -> None:
    results = book.push(RecordKind.DELIVERIES, [delivery("D-1", 10, trade_reference="STX-T-404")])
    assert reasons(results)[0][0] == "trade_reference"


def test_deliveries_fill_transactions_of_33(book: Book) -> None:
    trades = [testdata.trade(f"STX-T-{n:03d}", volume="10") for n in range(40)]
    book.push(RecordKind.TRADES, trades)
    book.calls.clear()
    deliveries = [delivery(f"D-{n:03d}", 10, trade_reference=f"STX-T-{n:03d}") for n in range(40)]
    assert set(outcomes(book.push(RecordKind.DELIVERIES, deliveries))) == {"accepted"}
    assert book.calls.count("TransactWriteItems") == 2
    assert book.calls.count("BatchGetItem") == 2  # links, trades: new deliveries are not read


def test_a_writer_that_got_there_first_makes_the_condition_fail(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our read and our write another request delivers 900 MWh: our transaction's
    condition on the trade fails, nothing of ours is written, we read again and reject."""
    other = Book.__new__(Book)
    other.cloud, other.calls = book.cloud, []
    other.store = DynamoRecordStore(
        book.cloud.dynamodb, book.cloud.s3, book.cloud.records_table, book.cloud.bucket
    )
    real_apply = book.store.apply
    refused: list[int] = []

    def apply_after_another_writer(writes: Any) -> Any:
        if not refused:
            refused.append(0)
            assert outcomes(other.push(RecordKind.DELIVERIES, [delivery("D-other", 900)])) == [
                "accepted"
            ]
        failed = real_apply(writes)
        refused.append(len(failed))
        return failed

    monkeypatch.setattr(book.store, "apply", apply_after_another_writer)
    results = book.push(RecordKind.DELIVERIES, [delivery("D-1", 200)])
    assert outcomes(results) == ["rejected"]
    assert "900 MWh already delivered" in reasons(results)[0][1]
    assert refused == [0, 1]
    assert book.delivered() == 900
    assert book.events() == ["D-other"]
