"""POST /v1/{kind} against moto: results per record, limits, idempotency, outbox."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest

from common.outbox_relay import entries_from_stream
from infra.local.demo import records as testdata
from services.provisioning import dependencies
from tests.support.intercept import intercepted

from .conftest import ACCOUNT, CP, REGION, Cloud

pytestmark = pytest.mark.integration


def push(cloud: Cloud, key: str, kind: str, records: list[Any], **extra: Any) -> Any:
    return cloud.call("POST", f"/v1/{kind}", key=key, body={"records": records}, **extra)


def statuses(reply: Any) -> list[str]:
    return [r["status"] for r in reply.body["results"]]


def trade_events(cloud: Cloud) -> list[tuple[str, str, int]]:
    return [
        (e["detail_type"], e["data"]["reference"], e["data"]["version"])
        for e in cloud.outbox()
        if e["detail_type"].startswith("Trade")
    ]


def test_mixed_batch_reports_each_record_and_applies_the_good_ones(cloud: Cloud, key: str) -> None:
    bad = testdata.trade("STX-T-2")
    bad["currency"] = "EUX"
    bad["colour"] = "green"
    reply = push(cloud, key, "trades", [testdata.trade("STX-T-1"), bad, testdata.trade("STX-T-3")])
    assert reply.status == 200
    assert statuses(reply) == ["accepted", "rejected", "accepted"]
    errors = {(e["field"], e["reason"]) for e in reply.body["results"][1]["errors"]}
    assert ("colour", "unknown field") in errors
    assert any(f == "currency" and "ISO 4217" in why for f, why in errors)
    assert reply.body["counts"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert trade_events(cloud) == [("TradeExecuted", "STX-T-1", 1), ("TradeExecuted", "STX-T-3", 1)]
    envelope = next(e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted")
    assert envelope["account_id"] == ACCOUNT


def test_duplicate_stale_and_after_cancellation(cloud: Cloud, key: str) -> None:
    push(cloud, key, "trades", [testdata.trade(), testdata.trade(version=3, status="amended")])
    again = push(
        cloud,
        key,
        "trades",
        [
            testdata.trade(version=3, status="amended"),
            testdata.trade(version=2, status="amended"),
        ],
    )
    assert statuses(again) == ["duplicate", "duplicate"]
    assert "stale" in again.body["results"][1]["reason"]
    push(cloud, key, "trades", [testdata.trade(version=4, status="cancelled")])
    after = push(cloud, key, "trades", [testdata.trade(version=5, status="amended")])
    assert statuses(after) == ["rejected"]
    assert trade_events(cloud) == [
        ("TradeExecuted", "STX-T-000001", 1),
        ("TradeAmended", "STX-T-000001", 3),
        ("TradeCancelled", "STX-T-000001", 4),
    ]


def test_more_records_than_one_transaction_holds(cloud: Cloud, key: str) -> None:
    records = [testdata.trade(f"STX-T-{n:05d}") for n in range(60)]
    records[57] = testdata.trade("STX-T-00003")  # a repeat inside the batch
    reply = push(cloud, key, "trades", records)
    assert reply.body["counts"] == {"accepted": 59, "duplicate": 1, "rejected": 0}
    assert len(trade_events(cloud)) == 59


def test_unknown_counterparty_and_account_scope(cloud: Cloud, key: str) -> None:
    cloud.account_created("acc-other")
    _, narrow = cloud.register("narrow", account_ids=["acc-other"])
    unknown = push(cloud, key, "trades", [testdata.trade("T-1", "STX-CP-9999")])
    out_of_scope = push(cloud, narrow, "trades", [testdata.trade("T-2", CP)])
    assert unknown.body["results"][0]["errors"][0]["field"] == "counterparty_reference"
    # The same answer: a restricted publisher cannot tell another account's counterparty
    # from an unknown one.
    assert out_of_scope.body["results"][0]["errors"] == unknown.body["results"][0]["errors"]


def test_counterparty_needs_an_account_identity_announced(cloud: Cloud, key: str) -> None:
    reply = push(cloud, key, "counterparties", [testdata.counterparty("CP-X", "acc-unknown", "X")])
    assert reply.body["results"][0]["errors"][0] == {
        "field": "account_id",
        "reason": "unknown account, or not one you may feed",
    }


def test_dry_run_writes_nothing(cloud: Cloud, key: str) -> None:
    before = len(cloud.outbox())
    reply = push(cloud, key, "trades", [testdata.trade()], query={"dry_run": "true"})
    assert reply.body["dry_run"] is True
    assert statuses(reply) == ["accepted"]
    assert len(cloud.outbox()) == before
    assert statuses(push(cloud, key, "trades", [testdata.trade()])) == ["accepted"]


def test_wrong_content_type_is_415(cloud: Cloud, key: str) -> None:
    reply = cloud.call(
        "POST", "/v1/trades", key=key, raw_body="reference,version", content_type="text/csv"
    )
    assert reply.status == 415


def test_more_than_500_records_is_413(cloud: Cloud, key: str) -> None:
    reply = push(cloud, key, "trades", [{"reference": f"T{n}"} for n in range(501)])
    assert reply.status == 413


def test_more_than_1_mb_is_413(cloud: Cloud, key: str) -> None:
    big = [testdata.trade(f"T-{n}") | {"registry_account": "x" * 190} for n in range(10)]
    raw = json.dumps({"records": big, "pad": " "}).replace(
        '"pad": " "', '"pad": "' + "p" * 1_100_000 + '"'
    )
    reply = cloud.call("POST", "/v1/trades", key=key, raw_body=raw)
    assert reply.status == 413


def test_body_must_be_a_records_object(cloud: Cloud, key: str) -> None:
    assert cloud.call("POST", "/v1/trades", key=key, raw_body="[1, 2]").status == 422
    assert cloud.call("POST", "/v1/trades", key=key, raw_body="{nope").status == 400


def test_idempotency_key_replays_the_first_answer(cloud: Cloud, key: str) -> None:
    headers = {"idempotency-key": "batch-2026-03-02-001"}
    first = push(cloud, key, "trades", [testdata.trade()], headers=headers)
    second = push(cloud, key, "trades", [testdata.trade()], headers=headers)
    assert statuses(first) == statuses(second) == ["accepted"]
    assert len(trade_events(cloud)) == 1
    other_body = push(cloud, key, "trades", [testdata.trade("STX-T-2")], headers=headers)
    assert other_body.status == 422
    assert other_body.body["error"] == "idempotency_key_reused"


def test_every_kind_publishes_its_event(cloud: Cloud, key: str) -> None:
    batches = {
        "deliveries": [testdata.delivery(), testdata.delivery("STX-D-2", status="failed")],
        "retirements": [testdata.retirement()],
        "invoices": [testdata.invoice(), testdata.invoice("INV-2", paid=True)],
        "documents": [testdata.document()],
    }
    push(cloud, key, "trades", [testdata.trade()])  # deliveries need their trade
    for kind, records in batches.items():
        reply = push(cloud, key, kind, records)
        assert reply.body["counts"]["accepted"] == len(records), reply.body
    staff = {"PublisherRegistered", "PublisherKeyIssued", "PublisherKeyRevoked"}
    types = sorted(e["detail_type"] for e in cloud.outbox() if e["detail_type"] not in staff)
    assert types == [
        "CounterpartyLinked",
        "DeliveryCompleted",
        "DeliveryFailed",
        "DocumentPublished",
        "InvoiceIssued",
        "InvoicePaid",
        "RetirementCompleted",
        "TradeExecuted",
    ]
    document = next(e for e in cloud.outbox() if e["detail_type"] == "DocumentPublished")
    stored = cloud.s3.get_object(Bucket=cloud.bucket, Key=document["data"]["object_key"])
    assert stored["Body"].read().startswith(b"%PDF-")


def _stream_records(cloud: Cloud) -> list[dict[str, Any]]:
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    arn = cloud.dynamodb.describe_table(TableName=cloud.records_table)["Table"]["LatestStreamArn"]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records.extend(streams.get_records(ShardIterator=iterator)["Records"])
    return records


def test_crash_between_write_and_publish_loses_nothing_and_doubles_nothing(
    cloud: Cloud, key: str
) -> None:
    """The fact and its event are one transaction: once written, the stream carries the
    event even if the function dies before answering; a retried request changes nothing
    and a re-delivered stream batch carries the same event id."""
    store = dependencies.record_store()

    def apply_then_crash(writes: Any) -> Any:
        store.apply(writes)
        raise RuntimeError("Lambda killed after the write, before the answer")

    with dependencies.record_store.override(intercepted(store, apply=apply_then_crash)):
        crashed = push(cloud, key, "trades", [testdata.trade()])
    assert crashed.status == 500
    # the client did not get an answer, so it sends the batch again
    retried = push(cloud, key, "trades", [testdata.trade()])
    assert statuses(retried) == ["duplicate"]

    stream = _stream_records(cloud)
    first = [e["Detail"] for e in (r.entry for r in entries_from_stream(stream, "bus"))]
    again = [e["Detail"] for e in (r.entry for r in entries_from_stream(stream, "bus"))]
    trades = [json.loads(d) for d in first if '"TradeExecuted"' in d]
    assert len(trades) == 1
    assert [json.loads(d)["event_id"] for d in again if '"TradeExecuted"' in d] == [
        trades[0]["event_id"]
    ]


def test_request_counts_for_new_trades(cloud: Cloud, key: str) -> None:
    """Optimistic writes: new trades cost no state reads, 50 records per transaction.

    (100 records, not 1,000: moto deep-copies the table for every transaction item;
    bench/provisioning_requests.py measures 1,000 against DynamoDB Local.)"""
    calls: list[str] = []
    client = dependencies.dynamodb()
    client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    records = [testdata.trade(f"STX-T-{n:05d}") for n in range(100)]
    reply = push(cloud, key, "trades", records)
    assert reply.body["counts"]["accepted"] == 100
    assert calls.count("TransactWriteItems") == 2
    assert calls.count("BatchGetItem") == 1  # the counterparty link


def test_metrics_per_publisher_and_kind(
    cloud: Cloud, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    bad = testdata.trade("STX-T-2")
    bad["total"] = "0.01"
    push(cloud, key, "trades", [testdata.trade(), testdata.trade(), bad])
    emitted = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and "records_accepted" in line
    ]
    (metrics,) = emitted
    assert ["publisher", "kind", "service"] in metrics["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
    assert metrics["kind"] == "trades"
    assert metrics["publisher"].startswith("pub-")
    assert (
        metrics["records_accepted"],
        metrics["records_duplicate"],
        metrics["records_rejected"],
    ) == (
        [1.0],
        [1.0],
        [1.0],
    )


def test_a_batch_in_progress_holds_its_idempotency_key_only_until_it_would_time_out(
    cloud: Cloud, key: str
) -> None:
    """A killed invocation (timeout) leaves its key in progress; it must block retries
    only until the invocation's own deadline, not for the whole idempotency window."""
    store = dependencies.record_store()
    table = dependencies.settings().idempotency_table
    seen: list[dict[str, Any]] = []

    def apply_and_look(writes: Any) -> Any:
        seen.extend(cloud.dynamodb.scan(TableName=table)["Items"])
        return store.apply(writes)

    started = time.time()
    with dependencies.record_store.override(intercepted(store, apply=apply_and_look)):
        reply = push(cloud, key, "trades", [testdata.trade()], headers={"idempotency-key": "k-1"})
    assert statuses(reply) == ["accepted"]
    (in_progress,) = seen
    assert in_progress["status"]["S"] == "INPROGRESS"
    deadline = int(in_progress["in_progress_expiration"]["N"]) / 1000
    assert started < deadline < started + 3600  # the invocation's deadline, not 24 h
