"""Bodies and files whose meaning depends on the reader: a JSON object naming one member
twice (most parsers keep the last, some the first, a few refuse). Each is refused, naming
the member, and nothing of it is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning import dependencies

from .conftest import ACCOUNT, Cloud
from .test_provisioning_hostile_files import finished
from .test_provisioning_uploads import upload

pytestmark = pytest.mark.integration


def _counterparty_with(member: str, value: Any) -> str:
    """A counterparties record as JSON text, naming `member` a second time (with `value`)."""
    record = json.dumps(testdata.counterparty("STX-CP-9", ACCOUNT, "Nordic AB"))
    return f'{record[:-1]}, "{member}": {json.dumps(value)}}}'


def _linked(cloud: Cloud) -> list[str]:
    return [
        e["data"]["reference"]
        for e in cloud.outbox()
        if e["detail_type"] == "CounterpartyLinked" and e["data"]["reference"] != "STX-CP-0001"
    ]


def test_a_record_naming_a_field_twice_is_rejected_on_that_field(cloud: Cloud, key: str) -> None:
    good = json.dumps(testdata.counterparty("STX-CP-10", ACCOUNT, "Fine"))
    body = f'{{"records": [{_counterparty_with("reference", "STX-CP-8")}, {good}]}}'
    reply = cloud.call("POST", "/v1/counterparties", key=key, raw_body=body)
    assert reply.status == 200, reply.body
    first, second = reply.body["results"]
    assert first["status"] == "rejected"
    assert [e["field"] for e in first["errors"]] == ["reference"]
    assert "more than once" in first["errors"][0]["reason"]
    assert second["status"] == "accepted"
    assert _linked(cloud) == ["STX-CP-10"]


def test_a_nested_member_named_twice_is_rejected_with_its_path(cloud: Cloud, key: str) -> None:
    record = json.dumps(testdata.delivery())
    doubled = record.replace('"quantity": 1000,', '"quantity": 1000, "quantity": 1000,', 1)
    assert doubled != record
    reply = cloud.call("POST", "/v1/deliveries", key=key, raw_body=f'{{"records": [{doubled}]}}')
    assert reply.status == 200, reply.body
    (result,) = reply.body["results"]
    assert result["status"] == "rejected"
    assert [e["field"] for e in result["errors"]] == ["batches.0.quantity"]
    assert "more than once" in result["errors"][0]["reason"]


def test_a_batch_naming_records_twice_is_refused_whole(cloud: Cloud, key: str) -> None:
    first = json.dumps(testdata.counterparty("STX-CP-9", ACCOUNT, "One"))
    second = json.dumps(testdata.counterparty("STX-CP-8", ACCOUNT, "Two"))
    body = f'{{"records": [{first}], "records": [{second}]}}'
    reply = cloud.call("POST", "/v1/counterparties", key=key, raw_body=body)
    assert reply.status == 422, reply.body
    assert [p["path"] for p in reply.body["fields"]] == ["body.records"]
    assert "more than once" in reply.body["fields"][0]["reason"]
    assert _linked(cloud) == []


def test_an_uploaded_line_naming_a_field_twice_is_that_rows_rejection(
    cloud: Cloud, key: str
) -> None:
    good = json.dumps(testdata.counterparty("STX-CP-10", ACCOUNT, "Fine"))
    content = f"{_counterparty_with('legal_name', 'Other AB')}\n{good}\n".encode()
    body = finished(cloud, key, upload(cloud, key, content, kind="counterparties", fmt="jsonl"))
    assert (body["status"], body["counts"]["accepted"], body["counts"]["rejected"]) == (
        "completed",
        1,
        1,
    ), body
    assert [r["field"] for r in body["rejected_rows"]] == ["legal_name"]
    assert "more than once" in body["rejected_rows"][0]["reason"]
    assert _linked(cloud) == ["STX-CP-10"]


def _invoice_of(lines: int, description: str) -> dict[str, Any]:
    invoice = testdata.invoice()
    line = invoice["lines"][0]
    invoice["lines"] = [{**line, "description": description} for _ in range(lines)]
    net = f"{2938.68 * lines:.2f}"
    invoice.update(net_amount=net, tax_amount="0.00", gross_amount=net)
    return invoice


def test_a_record_too_large_to_store_is_rejected_not_a_500(cloud: Cloud, key: str) -> None:
    """500 lines of 200 Cyrillic letters fit a batch (260 KB) but not a DynamoDB item
    (400 KB, the record was stored \\u-escaped) nor an EventBridge event (256 KB)."""
    reply = cloud.call(
        "POST", "/v1/invoices", key=key, body={"records": [_invoice_of(500, "Ж" * 200)]}
    )
    assert reply.status == 200, reply.body
    (result,) = reply.body["results"]
    assert result["status"] == "rejected"
    assert [e["field"] for e in result["errors"]] == ["lines"]
    assert "bytes" in result["errors"][0]["reason"]
    assert not [e for e in cloud.outbox() if e["detail_type"].startswith("Invoice")]


def test_a_large_record_within_the_limit_is_stored_and_published(cloud: Cloud, key: str) -> None:
    """Text is stored as UTF-8 (it was \\u-escaped: 12 bytes an emoji, 160 KB became over
    400 KB), so a record's stored size is the size it was judged by."""
    reply = cloud.call(
        "POST", "/v1/invoices", key=key, body={"records": [_invoice_of(250, "🌍" * 130)]}
    )
    assert reply.status == 200, reply.body
    assert reply.body["counts"]["accepted"] == 1, reply.body
    (event,) = [e for e in cloud.outbox() if e["detail_type"].startswith("Invoice")]
    assert len(json.dumps(event, ensure_ascii=False).encode()) < 256 * 1024


TRANSACT_MAX_BYTES = 4 * 1024 * 1024
"""DynamoDB: the items of one TransactWriteItems add up to at most 4 MB (moto does not
check it)."""


def test_an_upload_of_large_records_keeps_each_transaction_under_4_mb(
    cloud: Cloud, key: str
) -> None:
    """A file chunk is 4 MB of rows; written as state + event, it was one transaction of
    twice that, which DynamoDB refuses: the upload failed on every retry."""
    sizes: list[int] = []

    def measure(params: dict[str, Any], **_: Any) -> None:
        sizes.append(sum(len(json.dumps(i, ensure_ascii=False)) for i in params["TransactItems"]))

    dependencies.dynamodb().meta.events.register(
        "provide-client-params.dynamodb.TransactWriteItems", measure
    )
    invoices = []
    for number in range(28):
        invoice = _invoice_of(500, "x" * 200)
        invoice["reference"] = f"INV-{number:03d}"
        invoices.append(json.dumps(invoice))
    content = ("\n".join(invoices) + "\n").encode()
    assert len(content) > 4 * 1024 * 1024
    body = finished(cloud, key, upload(cloud, key, content, kind="invoices", fmt="jsonl"))
    assert (body["status"], body["counts"]["accepted"]) == ("completed", 28), body
    assert sizes
    assert max(sizes) < TRANSACT_MAX_BYTES, sizes
