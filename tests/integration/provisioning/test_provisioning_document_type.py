"""The ingest API and uploads (moto) refuse a later version that changes a document's or an
invoice's document type, per record, naming `document_type`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.provisioning.document_type_records import (
    DOC,
    DOCUMENT_REFUSAL,
    document,
    invoice,
    invoice_refusal,
)

from .conftest import Cloud
from .test_provisioning_uploads import upload

pytestmark = pytest.mark.integration


def push(cloud: Cloud, key: str, kind: str, records: list[dict[str, Any]]) -> Any:
    reply = cloud.call("POST", f"/v1/{kind}", key=key, body={"records": records})
    assert reply.status == 200, reply.body
    return reply.body["results"]


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


def published(cloud: Cloud, detail_type: str) -> list[tuple[str, int]]:
    return [
        (e["data"]["document_type"], e["data"]["version"])
        for e in cloud.outbox()
        if e["detail_type"] == detail_type
    ]


def test_a_later_document_version_with_another_type_is_rejected(cloud: Cloud, key: str) -> None:
    assert statuses(push(cloud, key, "documents", [document(1)])) == ["accepted"]
    (changed,) = push(cloud, key, "documents", [document(2, "invoice")])
    assert changed["status"] == "rejected"
    assert changed["errors"] == [{"field": "document_type", "reason": DOCUMENT_REFUSAL}]
    assert statuses(push(cloud, key, "documents", [document(2)])) == ["accepted"]
    assert statuses(push(cloud, key, "documents", [document(2)])) == ["duplicate"]
    assert published(cloud, "DocumentPublished") == [
        ("trade_confirmation", 1),
        ("trade_confirmation", 2),
    ]


def test_an_invoice_never_becomes_a_credit_note(cloud: Cloud, key: str) -> None:
    assert statuses(push(cloud, key, "invoices", [invoice(1, "invoice")])) == ["accepted"]
    (changed,) = push(cloud, key, "invoices", [invoice(2, "credit_note")])
    assert changed["status"] == "rejected"
    assert changed["errors"] == [
        {"field": "document_type", "reason": invoice_refusal("an invoice")}
    ]
    assert statuses(push(cloud, key, "invoices", [invoice(2, "invoice")])) == ["accepted"]
    assert published(cloud, "InvoiceIssued") == [("invoice", 1), ("invoice", 2)]


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_upload_row_changing_the_type_is_rejected(cloud: Cloud, key: str, dry_run: bool) -> None:
    lines = [json.dumps(r) for r in (document(1), document(2, "invoice"), document(2))]
    content = "\n".join(lines).encode()
    upload_id = upload(cloud, key, content, kind="documents", fmt="jsonl", dry_run=dry_run)
    cloud.deliver_uploads()
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["counts"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert status.body["rejected_rows"] == [
        {"row": 2, "reference": DOC, "field": "document_type", "reason": DOCUMENT_REFUSAL}
    ]
