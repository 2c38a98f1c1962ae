"""Files a publisher can send that used to stop an upload for good or change what it said:
a CSV cell over the reader's limit, a JSON line nested too deep, a reference UTF-8 cannot
carry, a quoted line break; each is that row's rejection (or kept as sent), and the other
rows are applied. And a refused document never replaces the file of a stored one."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from typing import Any

import pytest
import requests

from infra.local.demo import records as testdata

from .conftest import Cloud
from .test_provisioning_uploads import upload

pytestmark = pytest.mark.integration


def finished(cloud: Cloud, key: str, upload_id: str) -> dict[str, Any]:
    cloud.deliver_uploads()
    answer = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert answer.status == 200, answer.body
    body: dict[str, Any] = answer.body
    return body


def outcome(body: dict[str, Any]) -> tuple[str, int, int]:
    return body["status"], body["counts"]["accepted"], body["counts"]["rejected"]


@pytest.mark.parametrize(
    ("first_line", "fmt", "kind"),
    [
        ("STX-CP-9,1,acc-2," + "A" * 200_000, "csv", "counterparties"),
        ("[" * 100_000 + "]" * 100_000, "jsonl", "counterparties"),
        (
            json.dumps({**testdata.counterparty("x", "acc-2", "X"), "reference": "\ud800"}),
            "jsonl",
            "counterparties",
        ),
    ],
    ids=["csv-cell-over-the-field-limit", "json-nested-too-deep", "lone-surrogate-reference"],
)
def test_an_unreadable_row_is_rejected_and_the_upload_completes(
    cloud: Cloud, key: str, first_line: str, fmt: str, kind: str
) -> None:
    cloud.account_created("acc-2")
    good = testdata.counterparty("STX-CP-10", "acc-2", "Fine")
    header = "reference,version,account_id,legal_name\r\n" if fmt == "csv" else ""
    second = "STX-CP-10,1,acc-2,Fine" if fmt == "csv" else json.dumps(good)
    content = f"{header}{first_line}\r\n{second}\r\n".encode("utf-8", "surrogatepass")
    body = finished(cloud, key, upload(cloud, key, content, kind=kind, fmt=fmt))
    assert outcome(body) == ("completed", 1, 1), body


def test_a_quoted_line_break_stays_in_its_cell(cloud: Cloud, key: str) -> None:
    cloud.account_created("acc-2")
    content = (
        b'reference,version,account_id,legal_name\r\nSTX-CP-9,1,acc-2,"Line one\r\nLine two"\r\n'
    )
    body = finished(cloud, key, upload(cloud, key, content, kind="counterparties"))
    assert outcome(body) == ("completed", 1, 0), body
    [linked] = [
        e
        for e in cloud.outbox()
        if e["detail_type"] == "CounterpartyLinked" and e["data"]["reference"] == "STX-CP-9"
    ]
    assert linked["data"]["legal_name"] == "Line one\r\nLine two"


def _document(content: bytes) -> dict[str, Any]:
    record = testdata.document("DOC-1")
    record["content_base64"] = base64.b64encode(content).decode()
    record["sha256"] = hashlib.sha256(content).hexdigest()
    return record


def test_a_refused_document_leaves_the_stored_file_alone(cloud: Cloud, key: str) -> None:
    original = b"%PDF-1.4 original confirmation"
    stored = cloud.call("POST", "/v1/documents", key=key, body={"records": [_document(original)]})
    assert stored.body["counts"]["accepted"] == 1, stored.body
    [published] = [e for e in cloud.outbox() if e["detail_type"] == "DocumentPublished"]
    refused = cloud.call(
        "POST", "/v1/documents", key=key, body={"records": [_document(b"%PDF-1.4 other content")]}
    )
    assert refused.body["results"][0]["status"] == "rejected", refused.body
    kept = cloud.s3.get_object(Bucket=cloud.bucket, Key=published["data"]["object_key"])
    assert kept["Body"].read() == original


def test_a_value_spelled_another_way_is_a_duplicate_not_a_conflict(cloud: Cloud, key: str) -> None:
    first = testdata.trade("STX-T-SPELT", volume="100")
    first["total"] = "235.00"
    again = {**first, "volume_mwh": "100.000"}
    assert (
        cloud.call("POST", "/v1/trades", key=key, body={"records": [first]}).body["counts"][
            "accepted"
        ]
        == 1
    )
    answer = cloud.call("POST", "/v1/trades", key=key, body={"records": [again]})
    assert answer.body["results"][0]["status"] == "duplicate", answer.body


def test_a_chunk_of_rows_wrong_in_every_cell_is_rejected_row_by_row(cloud: Cloud, key: str) -> None:
    """500 rows whose every cell is wrong (columns shifted, say) make ~1 MB of rejection
    reasons, past what one DynamoDB item holds (400 KB): the upload still completes with
    every row rejected, never retried to the DLQ with its progress lost."""
    header = ",".join(testdata.trade().keys())
    garbage = ",".join("?" for _ in testdata.trade())
    content = "\r\n".join([header, *[garbage] * 500, ""]).encode()
    upload_id = upload(cloud, key, content)
    body = finished(cloud, key, upload_id)
    assert outcome(body) == ("completed", 0, 500), body
    assert len(body["rejected_rows"]) == 100
    download = cloud.call("GET", "/v1/uploads/{upload_id}/rejections", key=key, upload_id=upload_id)
    assert download.status == 303
    rejections = requests.get(download.headers["Location"], timeout=10).text
    assert {row[0] for row in list(csv.reader(io.StringIO(rejections)))[1:]} == {
        str(n) for n in range(2, 502)
    }


def test_a_row_with_countless_problems_keeps_the_first_ones(cloud: Cloud, key: str) -> None:
    """One JSON line may be of any size, and so may its problems (here 30,000 unknown
    fields, ~1.5 MB of reasons): the row is rejected with its first problems and a count
    of the rest, and the upload completes."""
    cloud.account_created("acc-2")
    flooded = {**testdata.counterparty("STX-CP-9", "acc-2", "X")}
    flooded.update({f"extra_{n}": 0 for n in range(30_000)})
    good = testdata.counterparty("STX-CP-10", "acc-2", "Fine")
    content = f"{json.dumps(flooded)}\n{json.dumps(good)}\n".encode()
    body = finished(cloud, key, upload(cloud, key, content, kind="counterparties", fmt="jsonl"))
    assert outcome(body) == ("completed", 1, 1), {**body, "rejected_rows": "..."}
    problems = body["rejected_rows"]
    assert 1 < len(problems) <= 21
    assert {p["row"] for p in problems} == {1}
    assert problems[-1]["field"] == "(row)"
    assert problems[-1]["reason"].startswith(f"{30_000 - len(problems) + 1} more problems")
