"""Concurrent deliveries against one trade on DynamoDB Local (AWS's own engine: moto
in-process is not thread-safe, so it cannot show what the transaction conditions
guarantee): the running total never passes the trade's volume, and every delivery
either lands with its event or is rejected per record - never an error, never half."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from infra.local.aws import client
from infra.local.demo import records as testdata
from services.provisioning.adapters.records import DynamoRecordStore, state_key
from services.provisioning.logic.ingest import IngestContext, RecordResult, ingest
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

WRITERS = 12
TRADE = "STX-T-000001"
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PUBLISHER = Publisher(
    publisher_id="pub-stx", name="STX", account_ids=None, created_at=NOW, created_by="admin"
)


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        yield client("dynamodb", url)


def push(store: DynamoRecordStore, kind: RecordKind, records: list[Any]) -> list[RecordResult]:
    context = IngestContext(publisher=PUBLISHER, correlation_id="req", clock=lambda: NOW)
    return ingest(kind, enumerate(records), store, context)


def test_concurrent_deliveries_never_exceed_the_trade(dynamodb_local: Any) -> None:
    table = TOPOLOGY.tables[0]
    create_table(dynamodb_local, "records-cap", table)
    store = DynamoRecordStore(dynamodb_local, None, "records-cap", "unused")
    store.record_account("acc-1", "Nordic AB", 1)
    push(store, RecordKind.COUNTERPARTIES, [testdata.counterparty("STX-CP-0001", "acc-1", "N")])
    push(store, RecordKind.TRADES, [testdata.trade(volume="1000")])

    barrier = threading.Barrier(WRITERS)
    results: dict[int, list[RecordResult]] = {}
    errors: list[BaseException] = []

    def deliver(n: int) -> None:
        record = testdata.delivery(f"STX-D-{n:03d}", volume=150)
        record["batches"] = [testdata.batch(1_000_000 + 1_000 * n, 150)]
        barrier.wait()
        try:
            results[n] = push(store, RecordKind.DELIVERIES, [record])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    outcomes = [results[n][0].outcome.value for n in range(WRITERS)]
    assert outcomes.count("accepted") == 6, outcomes  # 6 x 150 = 900; a 7th would be 1,050
    assert outcomes.count("rejected") == WRITERS - 6
    for n in range(WRITERS):
        if outcomes[n] == "rejected":
            assert results[n][0].errors[0].field == "volume_mwh", results[n][0].errors
    trade = dynamodb_local.get_item(
        TableName="records-cap", Key=state_key(RecordKind.TRADES, TRADE), ConsistentRead=True
    )["Item"]
    assert Decimal(trade["delivered_mwh"]["N"]) == 900
    items = dynamodb_local.scan(TableName="records-cap", ConsistentRead=True)["Items"]
    stored = sorted(i["pk"]["S"] for i in items if i["pk"]["S"].startswith("deliveries#"))
    events = [i for i in items if "outbox" in i and i["detail_type"]["S"] == "DeliveryCompleted"]
    accepted = sorted(
        f"deliveries#STX-D-{n:03d}" for n in range(WRITERS) if outcomes[n] == "accepted"
    )
    assert stored == accepted
    assert len(events) == 6


def test_amendment_and_cancellation_conditions_on_dynamodb_local(dynamodb_local: Any) -> None:
    """DynamoDB Local validates expressions more strictly than moto: the trade update
    (every attribute SET, delivered_mwh kept and checked) must pass it."""
    create_table(dynamodb_local, "records-amend", TOPOLOGY.tables[0])
    store = DynamoRecordStore(dynamodb_local, None, "records-amend", "unused")
    store.record_account("acc-1", "Nordic AB", 1)
    push(store, RecordKind.COUNTERPARTIES, [testdata.counterparty("STX-CP-0001", "acc-1", "N")])
    push(store, RecordKind.TRADES, [testdata.trade(volume="1000")])
    record = testdata.delivery("STX-D-1", volume=400)
    record["batches"] = [testdata.batch(1_000_000, 400)]
    assert push(store, RecordKind.DELIVERIES, [record])[0].outcome.value == "accepted"

    below = push(
        store, RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="399")]
    )
    assert below[0].errors[0].field == "volume_mwh"
    amended = push(
        store, RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="500")]
    )
    assert amended[0].outcome.value == "accepted"
    cancelled = push(
        store, RecordKind.TRADES, [testdata.trade(version=3, status="cancelled", volume="500")]
    )
    assert cancelled[0].outcome.value == "accepted"
    trade = dynamodb_local.get_item(
        TableName="records-amend", Key=state_key(RecordKind.TRADES, TRADE), ConsistentRead=True
    )["Item"]
    assert (trade["version"]["N"], trade["status"]["S"], trade["delivered_mwh"]["N"]) == (
        "3",
        "cancelled",
        "400",
    )
    again = dict(record, version=2)
    assert push(store, RecordKind.DELIVERIES, [again])[0].errors[0].field == "trade_reference"
