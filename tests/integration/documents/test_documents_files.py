"""Published files through the handlers (claim check on provisioning's bucket, quarantine,
GuardDuty-shaped verdicts), the DynamoDB library's pages, and a rebuild from provisioning's
outbox giving the same documents with the same SHA-256."""

from __future__ import annotations

from datetime import date
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from common.outbox import outbox_item
from infra.local.malware_scan import EICAR, scan_result_detail
from services.documents import rebuild
from services.documents.adapters.documents_store import DynamoDocumentStore
from services.documents.handlers import intake
from services.documents.logic.ports import ListFilter
from services.documents.models.domain import DocumentKind
from services.documents.topology import TOPOLOGY
from tests.integration.documents.conftest import (
    CONTEXT,
    FILES_BUCKET,
    PROVISIONING_BUCKET,
    REGION,
    TABLES,
    Documents,
    eventbridge,
    sqs_record,
)
from tests.integration.documents.test_documents_api import A, envelope, link, setup_book
from tests.support.tables import create_table
from tests.unit.documents.documents_factories import invoice, published, trade

pytestmark = pytest.mark.integration
CLEAN = b"%PDF-1.4\n% STX confirmation\n%%EOF\n"


def publish_file(documents: Documents, reference: str, content: bytes) -> Any:
    fact = published(reference, content, account=A)
    documents.s3.put_object(Bucket=PROVISIONING_BUCKET, Key=fact.data["object_key"], Body=content)
    documents.publish(envelope(fact))
    return fact


def quarantined(documents: Documents) -> list[str]:
    found = documents.s3.list_objects_v2(Bucket=FILES_BUCKET, Prefix="quarantine/")
    return [o["Key"] for o in found.get("Contents", [])]


def scan(documents: Documents, key: str) -> None:
    content = documents.s3.get_object(Bucket=FILES_BUCKET, Key=key)["Body"].read()
    status, threats = ("THREATS_FOUND", ["EICAR-Test-File"]) if EICAR in content else (
        "NO_THREATS_FOUND", []
    )  # fmt: skip
    documents.verdict(scan_result_detail(FILES_BUCKET, key, "etag", status, threats))


def test_a_hostile_published_event_fails_alone_and_keeps_nothing(documents: Documents) -> None:
    """A file name with a path (or a day in year 9999) breaks no rule of the contract: the
    intake fails that record alone (retried, then the DLQ, as an unparsable one) and keeps
    neither its fact nor its file; the batch's other record is taken in."""
    setup_book(documents)
    good = published("DOC-OK", CLEAN, account=A)
    bad = published("DOC-BAD", CLEAN, account=A)
    bad = bad.model_copy(update={"data": {**bad.data, "file_name": "../../../files/B/stolen.pdf"}})
    for fact in (good, bad):
        documents.s3.put_object(Bucket=PROVISIONING_BUCKET, Key=fact.data["object_key"], Body=CLEAN)
    records = [sqs_record(eventbridge(envelope(fact))) for fact in (good, bad)]

    result = intake.handler({"Records": records}, CONTEXT)

    assert result == {"batchItemFailures": [{"itemIdentifier": records[1]["messageId"]}]}
    assert [k.split("/")[2] for k in quarantined(documents)] == ["published-DOC-OK"]
    facts = documents.dynamodb.scan(TableName=TABLES["facts"])["Items"]
    assert not [i for i in facts if "DOC-BAD" in i["sk"]["S"]]


def test_a_published_file_is_copied_checked_scanned_then_downloadable(documents: Documents) -> None:
    setup_book(documents)
    publish_file(documents, "DOC-1", CLEAN)
    publish_file(documents, "DOC-EICAR", CLEAN + EICAR)
    keys = quarantined(documents)
    assert len(keys) == 2
    status, _ = documents.call(
        "GET", "/v1/accounts/{account_id}/documents/{document_id}", "viewer",
        account_id=A, document_id="published-DOC-1",
    )  # fmt: skip
    assert status == 404  # not listed while it waits for its verdict
    for key in keys:
        scan(documents, key)
    assert quarantined(documents) == []
    for document_id, state in (
        ("published-DOC-1", "available"),
        ("published-DOC-EICAR", "refused"),
    ):
        status, detail = documents.call(
            "GET", "/v1/accounts/{account_id}/documents/{document_id}", "viewer",
            account_id=A, document_id=document_id,
        )  # fmt: skip
        assert (status, detail["status"]) == (200, state)
    status, error = documents.call(
        "GET", "/v1/accounts/{account_id}/documents/{document_id}/download", "viewer",
        account_id=A, document_id="published-DOC-EICAR",
    )  # fmt: skip
    assert (status, error["error"]) == (409, "not_downloadable")
    available = [e for e in documents.outbox() if e["detail_type"] == "DocumentAvailable"]
    assert "published-DOC-EICAR" not in {e["data"]["document_id"] for e in available}


def test_a_verdict_for_another_bucket_fails_its_record(documents: Documents) -> None:
    detail = scan_result_detail("someone-elses", "quarantine/a/b/v1", "e", "NO_THREATS_FOUND", [])
    with pytest.raises(BatchProcessingError):  # every record failed: all are retried
        documents.verdict(detail)


def test_the_library_pages_on_dynamodb_stop_where_every_kind_was_read(documents: Documents) -> None:
    documents.create_account(A)
    documents.publish(
        link(A),
        *(envelope(trade(f"T-{n:03d}", trade_date=date(2026, 1, 1 + n))) for n in range(25)),
    )
    store = DynamoDocumentStore(documents.dynamodb, TABLES["documents"])
    page = store.list_kind(A, DocumentKind.TRADE_CONFIRMATION, ListFilter(), 10, 1000)
    assert len(page.matches) == 10
    assert page.horizon == "2026-01-16#confirmation-T-015"
    filtered = store.list_kind(A, DocumentKind.TRADE_CONFIRMATION, ListFilter(text="t-00"), 50, 12)
    assert [m.document_id for m in filtered.matches] == []
    assert filtered.horizon is not None  # the budget ran out before the matches
    whole = store.list_kind(A, DocumentKind.TRADE_CONFIRMATION, ListFilter(text="t-00"), 50, 1000)
    assert len(whole.matches) == 10
    assert whole.horizon is None


def _digests(client: Any, table: str) -> dict[tuple[str, str, int], str]:
    items = client.scan(TableName=table)["Items"]
    return {
        (i["account_id"]["S"], i["document_id"]["S"], int(i["version"]["N"])): i["sha256"]["S"]
        for i in items
        if "#V#" in i["sk"]["S"] and i["sk"]["S"].startswith("DOC#")
    }


def test_a_rebuild_from_provisionings_outbox_gives_the_same_documents(documents: Documents) -> None:
    documents.create_account(A)
    events = [
        link(A),
        envelope(trade("T-1")),
        envelope(trade("T-1", 2, status="amended", price="2.50")),
        envelope(invoice("INV-9")),
    ]
    documents.publish(*events)
    client = documents.dynamodb
    outbox = "scts-test-provisioning-records"
    create_table(client, outbox, next(t for t in TOPOLOGY.tables if t.name == "facts"))
    table = boto3.resource("dynamodb", region_name=REGION).Table(outbox)
    for event in reversed(events):
        table.put_item(Item=outbox_item(event))
    targets = {"documents": "rebuilt-documents", "facts": "rebuilt-facts"}
    for name, target in targets.items():
        create_table(client, target, next(t for t in TOPOLOGY.tables if t.name == name))
    outcomes = rebuild.rebuild(
        targets["documents"], targets["facts"], rebuild.envelopes_from_outbox(client, outbox)
    )
    assert sum(outcomes.values()) == len(events)  # in the scan's order, whatever it is
    live = _digests(client, TABLES["documents"])
    assert live
    assert _digests(client, targets["documents"]) == live
    with pytest.raises(rebuild.TargetNotEmpty):
        rebuild.rebuild(targets["documents"], targets["facts"], [])
