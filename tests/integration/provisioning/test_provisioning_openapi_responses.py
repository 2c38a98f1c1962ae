"""Every route of both provisioning APIs, on its success and main error paths, answers what
its committed OpenAPI document says: a documented status, a body matching the schema,
and no field the schema does not declare (`tests/support/openapi_check.py`)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from infra.local.demo import records as testdata
from services.provisioning import dependencies
from services.provisioning.models.api import MAX_BATCH_RECORDS
from services.provisioning.models.records import RecordKind
from services.provisioning.topology import INGEST, TOPOLOGY
from tests.support.openapi_check import assert_matches_openapi, response_problems

from .conftest import CP, Cloud, Reply
from .test_provisioning_uploads import trades_csv

pytestmark = pytest.mark.integration

INGEST_ROUTES = {(r.method, r.path) for r in TOPOLOGY.routes if r.function == INGEST}
UNKNOWN_PUBLISHER = "pub-000000000000"
UNKNOWN_UPLOAD = "upl-00000000000000000000"


class Checked:
    """Calls the handlers like `Cloud.call`, checking each answer's status and its body
    against the route's document."""

    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud

    def __call__(self, method: str, template: str, expected: int, **kwargs: Any) -> Reply:
        reply = self.cloud.call(method, template, **kwargs)
        assert reply.status == expected, reply.body
        document = "provisioning-ingest" if (method, template) in INGEST_ROUTES else "provisioning"
        content_type = reply.headers.get("Content-Type", "")
        assert_matches_openapi(document, method, template, reply.status, reply.body, content_type)
        return reply


@pytest.fixture
def check(cloud: Cloud) -> Checked:
    return Checked(cloud)


def test_admin_routes_answer_as_documented(cloud: Cloud, check: Checked) -> None:
    admin = cloud.admin_token()
    cam = cloud.admin_token(groups=["scts-cams"])
    new = {"name": "STX trading", "all_accounts": True}
    check("GET", "/v1/version", 200)
    created = check("POST", "/v1/publishers", 201, token=admin, body=new).body
    publisher_id, prefix = created["publisher"]["publisher_id"], created["key_prefix"]
    check("POST", "/v1/publishers", 401, body=new)
    check("POST", "/v1/publishers", 403, token=cam, body=new)
    check("POST", "/v1/publishers", 422, token=admin, body={"name": "x", "account_ids": ["a"]})
    check("POST", "/v1/publishers", 422, token=admin, body={"name": "", "all_accounts": True})
    check("POST", "/v1/publishers", 400, token=admin, raw_body="{nope")
    check("POST", "/v1/publishers", 415, token=admin, raw_body="x", content_type="text/plain")

    listed = check("GET", "/v1/publishers", 200, token=admin).body
    assert [p["publisher_id"] for p in listed["items"]] == [publisher_id]
    check("GET", "/v1/publishers", 403, token=cam)
    check("GET", "/v1/publishers", 422, token=admin, query={"limit": "5"})

    one = "/v1/publishers/{publisher_id}"
    check("GET", one, 200, token=admin, publisher_id=publisher_id)
    check("GET", one, 404, token=admin, publisher_id=UNKNOWN_PUBLISHER)
    check("GET", one, 422, token=admin, publisher_id="not-a-publisher")
    check("GET", one, 403, token=cam, publisher_id=publisher_id)

    keys = "/v1/publishers/{publisher_id}/keys"
    check("POST", keys, 201, token=admin, body={"overlap_hours": 1}, publisher_id=publisher_id)
    check("POST", keys, 404, token=admin, body={}, publisher_id=UNKNOWN_PUBLISHER)
    check("POST", keys, 422, token=admin, body={"overlap_hours": 999}, publisher_id=publisher_id)

    key = "/v1/publishers/{publisher_id}/keys/{prefix}"
    check("DELETE", key, 204, token=admin, publisher_id=publisher_id, prefix=prefix)
    check("DELETE", key, 404, token=admin, publisher_id=UNKNOWN_PUBLISHER, prefix=prefix)
    check("DELETE", key, 403, token=cam, publisher_id=publisher_id, prefix=prefix)


BATCHES: dict[RecordKind, list[dict[str, Any]]] = {
    RecordKind.COUNTERPARTIES: [testdata.counterparty("STX-CP-0002", "acc-7f3c2a91", "Nordic")],
    RecordKind.TRADES: [testdata.trade(), testdata.trade("STX-T-2", volume="-1")],
    RecordKind.DELIVERIES: [testdata.delivery(), testdata.delivery("STX-D-2", status="failed")],
    RecordKind.RETIREMENTS: [testdata.retirement()],
    RecordKind.INVOICES: [testdata.invoice(), testdata.invoice("INV-2", paid=True)],
    RecordKind.DOCUMENTS: [testdata.document()],
}


def test_batch_routes_answer_as_documented(cloud: Cloud, key: str, check: Checked) -> None:
    for kind, records in BATCHES.items():
        path = f"/v1/{kind.value}"
        reply = check("POST", path, 200, key=key, body={"records": [*records, {"junk": 1}]})
        assert reply.body["counts"]["rejected"] >= 1
        check("POST", path, 200, key=key, body={"records": records}, query={"dry_run": "true"})
        check("POST", path, 401, body={"records": records})
        check("POST", path, 422, key=key, body={"rows": records})
        check("POST", path, 422, key=key, body={"records": []}, query={"dryrun": "true"})
        check("POST", path, 400, key=key, raw_body='{"records": [')
        for hostile in ("[" * 1000 + "]" * 1000, '{"records": [' + "9" * 5000 + "]}"):
            check("POST", path, 400, key=key, raw_body=hostile)  # issue 11 #4: was 500
        check("POST", path, 415, key=key, raw_body="a,b", content_type="text/csv")
        check("POST", path, 415, key=key, raw_body='{"records": []}', content_type="text/plain")
    trades = "/v1/trades"
    too_many = {"records": [testdata.trade(f"T-{n}") for n in range(MAX_BATCH_RECORDS + 1)]}
    assert check("POST", trades, 413, key=key, body=too_many).body["error"] == "too_many_records"
    deep = '{"records": [' + "[" * 40 + "]" * 40 + "]}"
    check("POST", trades, 400, key=key, raw_body=deep)
    once = {"idempotency-key": "openapi-1"}
    check("POST", trades, 200, key=key, body={"records": []}, headers=once)
    check("POST", trades, 422, key=key, body={"records": [testdata.trade()]}, headers=once)
    long_key = {"idempotency-key": "k" * 129}
    check("POST", trades, 400, key=key, body={"records": []}, headers=long_key)


def test_a_throttled_publisher_gets_a_documented_429(
    cloud: Cloud, key: str, check: Checked
) -> None:
    one_a_minute = dependencies.settings().model_copy(update={"publisher_requests_per_minute": 1})
    later = datetime.now(UTC).replace(second=1) + timedelta(days=1)  # a window of its own
    with dependencies.settings.override(one_a_minute), dependencies.clock.override(lambda: later):
        check("POST", "/v1/trades", 200, key=key, body={"records": []})
        reply = check("POST", "/v1/trades", 429, key=key, body={"records": []})
    assert reply.headers["Retry-After"] == "60"


def _ticket(check: Checked, key: str, content: bytes) -> dict[str, Any]:
    body = {"kind": "trades", "format": "csv", "size_bytes": len(content)}
    return dict(check("POST", "/v1/uploads", 201, key=key, body=body).body)


def test_upload_routes_answer_as_documented(cloud: Cloud, key: str, check: Checked) -> None:
    one = "/v1/uploads/{upload_id}"
    complete = "/v1/uploads/{upload_id}/complete"
    rejections = "/v1/uploads/{upload_id}/rejections"
    bad = testdata.trade("STX-T-BAD", CP)
    bad["total"] = "1.00"
    content = trades_csv([testdata.trade("STX-T-1", CP), bad])

    ticket = _ticket(check, key, content)
    upload_id = ticket["upload_id"]
    check("POST", complete, 409, key=key, upload_id=upload_id)
    check("GET", rejections, 409, key=key, upload_id=upload_id)
    put = requests.put(
        ticket["upload_url"], data=io.BytesIO(content), headers=ticket["headers"], timeout=10
    )
    assert put.status_code == 200
    check("POST", complete, 202, key=key, upload_id=upload_id)
    check("GET", one, 200, key=key, upload_id=upload_id)
    cloud.deliver_uploads()
    done = check("GET", one, 200, key=key, upload_id=upload_id).body
    assert (done["status"], done["counts"]["rejected"]) == ("completed", 1)
    check("GET", rejections, 303, key=key, upload_id=upload_id)

    for template in (one, complete, rejections):
        method = "POST" if template == complete else "GET"
        check(method, template, 404, key=key, upload_id=UNKNOWN_UPLOAD)
        check(method, template, 422, key=key, upload_id="not-an-upload")
        check(method, template, 401, upload_id=upload_id)

    too_big = {"kind": "trades", "format": "csv", "size_bytes": 100 * 1024 * 1024 + 1}
    check("POST", "/v1/uploads", 413, key=key, body=too_big)
    nested_csv = {"kind": "deliveries", "format": "csv", "size_bytes": 10}
    refused = check("POST", "/v1/uploads", 422, key=key, body=nested_csv).body
    assert refused["fields"][0]["path"] == "body.format"
    check("POST", "/v1/uploads", 422, key=key, body={"kind": "trades", "format": "xlsx"})


def test_the_checks_above_cover_every_declared_route() -> None:
    """The routes the tests above call are the topology's routes: a new route fails here
    until it gets its checks."""
    called = {(r.method, r.path) for r in TOPOLOGY.routes}
    covered = {
        ("GET", "/v1/version"),
        *{("POST", "/v1/publishers"), ("GET", "/v1/publishers")},
        ("GET", "/v1/publishers/{publisher_id}"),
        ("POST", "/v1/publishers/{publisher_id}/keys"),
        ("DELETE", "/v1/publishers/{publisher_id}/keys/{prefix}"),
        *{("POST", f"/v1/{kind.value}") for kind in BATCHES},
        ("POST", "/v1/uploads"),
        ("GET", "/v1/uploads/{upload_id}"),
        ("POST", "/v1/uploads/{upload_id}/complete"),
        ("GET", "/v1/uploads/{upload_id}/rejections"),
    }
    assert covered == called


def test_the_check_catches_an_undeclared_field_and_an_undocumented_status(
    cloud: Cloud, key: str
) -> None:
    """The check is not vacuous: a body with a field its model does not declare (here a
    storage attribute), or a status the document does not list, is reported."""
    ticket = cloud.call(
        "POST", "/v1/uploads", key=key, body={"kind": "trades", "format": "csv", "size_bytes": 9}
    )
    upload = cloud.call(
        "GET", "/v1/uploads/{upload_id}", key=key, upload_id=ticket.body["upload_id"]
    )
    template = "/v1/uploads/{upload_id}"
    assert response_problems("provisioning-ingest", "GET", template, 200, upload.body) == []
    leaked = {**upload.body, "object_key": "uploads/pub-x/upl-x.csv"}
    (problem,) = response_problems("provisioning-ingest", "GET", template, 200, leaked)
    assert "object_key" in problem
    nested = {**upload.body, "counts": {**upload.body["counts"], "rows": 0}}
    assert response_problems("provisioning-ingest", "GET", template, 200, nested)
    assert response_problems("provisioning-ingest", "GET", template, 418, upload.body)
    with pytest.raises(AssertionError, match="object_key"):
        assert_matches_openapi("provisioning-ingest", "GET", template, 200, leaked)
