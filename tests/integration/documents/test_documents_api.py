"""The documents service through its handlers: facts in, documents listed, detailed and
downloaded through links the CDN accepts; each route's answers match the OpenAPI document;
who reads what follows identity's access events."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from common.access import SCTS_ADMINS_GROUP
from contracts.events import provisioning as prov
from infra.local.cdn import ACCESS_DENIED, Denied, SignedUrlGate
from services.documents.topology import ACCOUNT as ACCOUNT_PATH
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.integration.documents.conftest import CDN_URL, FILES_BUCKET, KEY_PAIR_ID, Documents
from tests.unit.documents.documents_factories import CP, NAMES, invoice, retirement, trade

pytestmark = pytest.mark.integration

A, B = "acc-a", "acc-b"
LIST = f"{ACCOUNT_PATH}/documents"
DOC = f"{ACCOUNT_PATH}/documents/{{document_id}}"
DOWNLOAD = f"{DOC}/download"


def envelope(fact: Any) -> Any:
    """The envelope provisioning publishes for a factory fact."""
    event_type = max(
        (t for t in prov.EVENT_TYPES if t.detail_type == fact.detail_type),
        key=lambda t: t.version,  # the newest version of the type, as provisioning publishes
    )
    return event_type.new(
        event_type.data_model.model_validate(fact.data),
        account_id=fact.account_id,
        correlation_id="corr",
        occurred_at=fact.occurred_at,
    )


def link(account: str) -> Any:
    data = prov.CounterpartyLinked(
        account_id=account, reference=CP["acc-a"], version=1, publisher_id="p",
        legal_name=NAMES["acc-b"],
    )  # fmt: skip
    return prov.COUNTERPARTY_LINKED.new(data, account_id=account, correlation_id="corr")


def setup_book(documents: Documents) -> None:
    for account in (A, B):
        documents.create_account(account)
    for role in RoleName:
        documents.grant(A, role.value, role.value, sorted(BUILT_IN_ROLES[role]))
    documents.grant(B, "b-trader", "trader", sorted(BUILT_IN_ROLES[RoleName.TRADER]))
    documents.publish(
        link(A),
        envelope(trade("STX-T-1")),
        envelope(trade("STX-T-1", 2, status="amended", price="2.40")),
        envelope(invoice("INV-1")),
        envelope(retirement("STX-R-1")),
    )


class Keys:
    def __init__(self, documents: Documents) -> None:
        self._key = documents.public_key

    def get(self, key_id: str) -> Any:
        return self._key if key_id == KEY_PAIR_ID else None


def fetch(documents: Documents, url: str) -> bytes:
    key = SignedUrlGate(CDN_URL, Keys(documents)).check(url.removeprefix(CDN_URL))  # type: ignore[arg-type]
    found = documents.s3.get_object(Bucket=FILES_BUCKET, Key=key)
    assert found["ContentDisposition"].startswith("attachment;")
    assert found["ContentType"] == "application/pdf"
    return bytes(found["Body"].read())


def test_a_trader_lists_reads_and_downloads_a_confirmation(documents: Documents) -> None:
    setup_book(documents)
    status, page = documents.call("GET", LIST, "trader", None, account_id=A)
    assert status == 200
    assert {i["document_id"] for i in page["items"]} == {
        "confirmation-STX-T-1",
        "redemption-STX-R-1",
    }
    status, detail = documents.call(
        "GET", DOC, "trader", account_id=A, document_id="confirmation-STX-T-1"
    )
    assert status == 200
    assert [(v["version"], v["status"]) for v in detail["versions"]] == [
        (2, "available"),
        (1, "superseded"),
    ]
    status, answer = documents.call(
        "GET",
        DOWNLOAD,
        "trader",
        {"version": "1"},
        account_id=A,
        document_id="confirmation-STX-T-1",
    )
    assert status == 200
    assert "Hash-Algorithm=SHA256" in answer["url"]
    content = fetch(documents, answer["url"])
    import hashlib

    assert (
        hashlib.sha256(content).hexdigest() == answer["sha256"] == detail["versions"][1]["sha256"]
    )
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Unit price: 2.35 EUR per MWh" in text
    assert NAMES["acc-b"] in text


def test_finance_downloads_the_invoice_the_trader_gets_403_another_account_404(
    documents: Documents,
) -> None:
    setup_book(documents)
    status, answer = documents.call(
        "GET", DOWNLOAD, "finance", account_id=A, document_id="invoice-INV-1"
    )
    assert status == 200
    assert fetch(documents, answer["url"]).startswith(b"%PDF-")
    status, error = documents.call(
        "GET", DOWNLOAD, "trader", account_id=A, document_id="invoice-INV-1"
    )
    assert (status, error["error"]) == (403, "forbidden")
    status, error = documents.call(
        "GET", DOWNLOAD, "b-trader", account_id=A, document_id="invoice-INV-1"
    )
    assert (status, error["error"]) == (404, "not_found")
    status, _ = documents.call("GET", LIST, "b-trader", account_id=A)
    assert status == 404


def test_a_link_opens_only_its_own_object(documents: Documents) -> None:
    setup_book(documents)
    _, answer = documents.call("GET", DOWNLOAD, "viewer", account_id=A, document_id="invoice-INV-1")
    other = answer["url"].replace("invoice-INV-1", "redemption-STX-R-1")
    with pytest.raises(Denied) as denied:
        fetch(documents, other)
    assert denied.value.message == ACCESS_DENIED


def test_the_shared_rules_hold_on_every_route(documents: Documents) -> None:
    setup_book(documents)
    assert documents.call("GET", LIST, None, account_id=A)[0] == 401
    status, error = documents.call("GET", LIST, "viewer", {"sort": "x"}, account_id=A)
    assert (status, error["fields"][0]["path"]) == (422, "query.sort")
    status, error = documents.call("GET", LIST, "viewer", {"kind": "poster"}, account_id=A)
    assert status == 422
    status, page = documents.call("GET", LIST, "viewer", {"kind": "invoice"}, account_id=A)
    assert [i["document_id"] for i in page["items"]] == ["invoice-INV-1"]
    status, page = documents.call("GET", LIST, "viewer", {"limit": "1"}, account_id=A)
    assert status == 200
    assert page["next_cursor"]
    status, _ = documents.call("GET", LIST, "admin", {"cursor": page["next_cursor"]}, account_id=A)
    assert status == 422  # bound to the person it was given to


def test_stx_withdraws_a_document_and_the_library_keeps_its_record(documents: Documents) -> None:
    setup_book(documents)
    route = f"{DOC}/withdrawal"
    body = {"reason": "Issued to the wrong account"}
    status, _ = documents.call(
        "POST", route, "admin", body=body, account_id=A, document_id="invoice-INV-1"
    )
    assert status == 403
    status, detail = documents.call(
        "POST", route, "scts", body=body, groups=(SCTS_ADMINS_GROUP,), account_id=A,
        document_id="invoice-INV-1",
    )  # fmt: skip
    assert (status, detail["status"], detail["versions"][0]["reason"]) == (
        200,
        "withdrawn",
        "Issued to the wrong account",
    )
    status, error = documents.call(
        "GET", DOWNLOAD, "finance", account_id=A, document_id="invoice-INV-1"
    )
    assert (status, error["error"]) == (409, "not_downloadable")
    assert [e["detail_type"] for e in documents.outbox()].count("DocumentWithdrawn") == 1


def test_statement_runs_and_bundles_are_asynchronous(documents: Documents) -> None:
    setup_book(documents)
    status, _ = documents.call("POST", "/v1/statement-runs", "admin", body={"month": "2026-11"})
    assert status == 403
    status, run = documents.call(
        "POST", "/v1/statement-runs", "scts", body={"month": "2026-11"}, groups=(SCTS_ADMINS_GROUP,)
    )
    assert (status, run) == (202, {"month": "2026-11", "status": "accepted"})
    documents.run_statements()
    status, statement = documents.call(
        "GET", DOC, "viewer", account_id=A, document_id="statement-2026-11"
    )
    assert (status, statement["kind"], statement["issued_on"]) == (
        200,
        "monthly_statement",
        "2026-12-01",
    )

    bundles = f"{ACCOUNT_PATH}/bundles"
    period = {"issued_from": "2026-01-01", "issued_to": str(date(2026, 12, 31))}
    status, bundle = documents.call("POST", bundles, "viewer", body=period, account_id=A)
    assert (status, bundle["status"]) == (202, "pending")
    documents.build_bundles()
    route = f"{bundles}/{{bundle_id}}"
    status, bundle = documents.call(
        "GET", route, "viewer", account_id=A, bundle_id=bundle["bundle_id"]
    )
    assert (status, bundle["status"], bundle["document_count"]) == (200, "ready", 4)
    status, answer = documents.call(
        "GET", f"{route}/download", "viewer", account_id=A, bundle_id=bundle["bundle_id"]
    )
    assert status == 200
    assert answer["content_type"] == "application/zip"
    status, _ = documents.call("GET", route, "admin", account_id=A, bundle_id=bundle["bundle_id"])
    assert status == 404
