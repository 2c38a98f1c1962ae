"""Uploads: presigned PUT, completion, streamed processing, progress and rejections."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from infra.local.demo import records as testdata
from services.provisioning import dependencies
from tests.support.intercept import intercepted

from .conftest import Cloud

pytestmark = pytest.mark.integration

COLUMNS = [*testdata.trade().keys(), "cancellation_reason"]


def trades_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue().encode()


def upload(
    cloud: Cloud,
    key: str,
    content: bytes,
    kind: str = "trades",
    fmt: str = "csv",
    *,
    dry_run: bool = False,
) -> str:
    ticket = cloud.call(
        "POST",
        "/v1/uploads",
        key=key,
        body={"kind": kind, "format": fmt, "size_bytes": len(content), "dry_run": dry_run},
    )
    assert ticket.status == 201, ticket.body
    # moto intercepts the presigned URL in-process, as S3 would answer it
    put = requests.put(
        ticket.body["upload_url"], data=content, headers=ticket.body["headers"], timeout=10
    )
    assert put.status_code == 200
    done = cloud.call(
        "POST", "/v1/uploads/{upload_id}/complete", key=key, upload_id=ticket.body["upload_id"]
    )
    assert done.status == 202, done.body
    assert done.body["status"] == "queued"
    return str(ticket.body["upload_id"])


VINTAGE_REASON = "must be a month as YYYY-MM (the month the production period ends), e.g. 2025-06"
"""A rejection says what the field asks for in words, never the pattern that checks it."""


def test_csv_upload_is_applied_row_by_row_with_rejections(cloud: Cloud, key: str) -> None:
    bad = testdata.trade("STX-T-BAD")
    bad["vintage_from"] = "2025-13"
    rows = [testdata.trade(f"STX-T-{n:04d}") for n in range(30)]
    rows.insert(10, bad)
    upload_id = upload(cloud, key, trades_csv(rows))
    cloud.deliver_uploads()

    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["status"] == "completed"
    assert status.body["counts"] == {"accepted": 30, "duplicate": 0, "rejected": 1}
    assert status.body["rejected_rows"] == [
        {
            "row": 12,
            "reference": "STX-T-BAD",
            "field": "vintage_from",
            "reason": VINTAGE_REASON,
        }
    ]
    download = cloud.call("GET", "/v1/uploads/{upload_id}/rejections", key=key, upload_id=upload_id)
    assert download.status == 303
    content = requests.get(download.headers["Location"], timeout=10).text
    assert list(csv.reader(io.StringIO(content))) == [
        ["row", "reference", "field", "reason"],
        [
            "12",
            "STX-T-BAD",
            "vintage_from",
            VINTAGE_REASON,
        ],
    ]
    trade_events = [e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted"]
    assert len(trade_events) == 30


def test_jsonl_upload_with_broken_lines(cloud: Cloud, key: str) -> None:
    trade = cloud.call(
        "POST", "/v1/trades", key=key, body={"records": [testdata.trade(volume="2400")]}
    )
    assert trade.body["counts"]["accepted"] == 1, trade.body
    lines = [
        json.dumps(testdata.delivery()),
        "{not json",
        "",
        json.dumps(testdata.delivery("STX-D-2")),
    ]
    upload_id = upload(cloud, key, "\n".join(lines).encode(), kind="deliveries", fmt="jsonl")
    cloud.deliver_uploads()
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["counts"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert status.body["rejected_rows"][0]["row"] == 2
    assert status.body["rejected_rows"][0]["reason"].startswith("not valid JSON")


def test_a_file_that_is_not_utf8_fails_once_naming_the_line(cloud: Cloud, key: str) -> None:
    """Issue 19: a Latin-1 file is one problem of the file (not a crash, retried to the DLQ)."""
    rows = trades_csv([testdata.trade(), testdata.trade("STX-T-2")]).splitlines()
    rows[2] = rows[2].replace(b"NL-CERTIQ-88412", "NL-CERTIQ-88412-Gävle".encode("latin-1"))
    upload_id = upload(cloud, key, b"\n".join(rows) + b"\n")
    cloud.deliver_uploads()
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["status"] == "failed"
    byte = rows[2].index("ä".encode("latin-1")) + 1
    assert status.body["error"] == (
        f"line 3 is not UTF-8 text (byte {byte} of the line): save the file as UTF-8"
    )


def test_redelivered_upload_event_changes_nothing(cloud: Cloud, key: str) -> None:
    upload(cloud, key, trades_csv([testdata.trade()]))
    cloud.deliver_uploads()
    cloud.deliver_uploads()
    assert len([e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted"]) == 1


class CrashOnSecondSave:
    """Processing dies right after saving its second chunk's progress (a timed-out
    function); `saves` lists the last file line of every save."""

    def __init__(self) -> None:
        self.real = dependencies.upload_store()
        self.saves: list[int] = []

    def save_progress(self, upload: Any, last_line: int, *args: Any) -> None:
        self.real.save_progress(upload, last_line, *args)
        self.saves.append(last_line)
        if len(self.saves) == 2:
            raise RuntimeError("function timed out")


@contextmanager
def crash_on_second_save() -> Iterator[CrashOnSecondSave]:
    """Chunks of 5 rows, and the crash above, while the block runs."""
    crash = CrashOnSecondSave()
    five_rows = dependencies.settings().model_copy(update={"upload_chunk_rows": 5})
    crashing = intercepted(crash.real, save_progress=crash.save_progress)
    with dependencies.settings.override(five_rows), dependencies.upload_store.override(crashing):
        yield crash


def test_interrupted_processing_resumes_after_the_last_saved_chunk(cloud: Cloud, key: str) -> None:
    rows = [testdata.trade(f"STX-T-{n:04d}") for n in range(12)]
    upload_id = upload(cloud, key, trades_csv(rows))
    with crash_on_second_save() as crash, pytest.raises(BatchProcessingError):
        cloud.deliver_uploads()  # the batch item fails: SQS will deliver it again
    assert crash.saves == [6, 11]
    with dependencies.settings.override(
        dependencies.settings().model_copy(update={"upload_chunk_rows": 5})
    ):
        cloud.deliver_uploads()
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["counts"] == {"accepted": 12, "duplicate": 0, "rejected": 0}
    assert status.body["rows_done"] == 12  # data rows: the header is no row


class CrashBeforeSecondSave:
    """Processing dies after writing its second chunk's records, before saving that
    chunk's progress (a function timed out between the two)."""

    def __init__(self) -> None:
        self.real = dependencies.upload_store()
        self.saves = 0

    def save_progress(self, upload: Any, last_line: int, *args: Any) -> None:
        self.saves += 1
        if self.saves == 2:
            raise RuntimeError("function timed out")
        self.real.save_progress(upload, last_line, *args)


def resumed_after_a_crash_before_the_second_save(cloud: Cloud, key: str, upload_id: str) -> Any:
    """Chunks of 5 rows; the first run dies before saving its second chunk's progress, the
    second finishes the upload. The upload's status after both."""
    crash = CrashBeforeSecondSave()
    five_rows = dependencies.settings().model_copy(update={"upload_chunk_rows": 5})
    crashing = intercepted(crash.real, save_progress=crash.save_progress)
    with dependencies.settings.override(five_rows):
        with dependencies.upload_store.override(crashing), pytest.raises(BatchProcessingError):
            cloud.deliver_uploads()
        cloud.deliver_uploads()
    return cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)


def test_rows_written_before_a_crash_count_once_as_accepted_when_the_upload_resumes(
    cloud: Cloud, key: str
) -> None:
    """The resumed run reads the cut chunk again and finds its rows stored by this upload's
    own rows: accepted, not duplicates. A row repeating another row of the file is still a
    duplicate."""
    trades = [testdata.trade(f"STX-T-{n:04d}") for n in range(12)]
    rows = [*trades[:7], trades[6], *trades[7:]]  # row 8 repeats row 7, in the cut chunk
    upload_id = upload(cloud, key, trades_csv(rows))
    status = resumed_after_a_crash_before_the_second_save(cloud, key, upload_id)
    assert status.body["counts"] == {"accepted": 12, "duplicate": 1, "rejected": 0}
    assert status.body["rows_done"] == 13
    assert len([e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted"]) == 12


def test_deliveries_written_before_a_crash_count_once_as_accepted_when_the_upload_resumes(
    cloud: Cloud, key: str
) -> None:
    """The same for the path that also moves trades' totals and lots."""
    references = [f"STX-T-{n:04d}" for n in range(12)]
    upload(cloud, key, trades_csv([testdata.trade(r) for r in references]))
    cloud.deliver_uploads()
    deliveries = [
        testdata.delivery(f"STX-D-{n:04d}", trade_reference=r, volume=300)
        for n, r in enumerate(references)
    ]
    lines = [*deliveries[:7], deliveries[6], *deliveries[7:]]
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    upload_id = upload(cloud, key, content, kind="deliveries", fmt="jsonl")
    status = resumed_after_a_crash_before_the_second_save(cloud, key, upload_id)
    assert status.body["counts"] == {"accepted": 12, "duplicate": 1, "rejected": 0}
    completed = [e for e in cloud.outbox() if e["detail_type"] == "DeliveryCompleted"]
    assert len(completed) == 12


def test_upload_limits(cloud: Cloud, key: str) -> None:
    too_big = cloud.call(
        "POST",
        "/v1/uploads",
        key=key,
        body={"kind": "trades", "format": "csv", "size_bytes": 100 * 1024 * 1024 + 1},
    )
    nested_csv = cloud.call(
        "POST",
        "/v1/uploads",
        key=key,
        body={"kind": "deliveries", "format": "csv", "size_bytes": 10},
    )
    assert (too_big.status, nested_csv.status) == (413, 422)


def test_completing_before_the_file_landed_is_409(cloud: Cloud, key: str) -> None:
    ticket = cloud.call(
        "POST", "/v1/uploads", key=key, body={"kind": "trades", "format": "csv", "size_bytes": 10}
    )
    done = cloud.call(
        "POST", "/v1/uploads/{upload_id}/complete", key=key, upload_id=ticket.body["upload_id"]
    )
    assert done.status == 409


def test_another_publishers_upload_is_404(cloud: Cloud, key: str) -> None:
    upload_id = upload(cloud, key, trades_csv([testdata.trade()]))
    _, other = cloud.register("other")
    assert (
        cloud.call("GET", "/v1/uploads/{upload_id}", key=other, upload_id=upload_id).status == 404
    )


def test_the_rejections_csv_neutralises_formulas(cloud: Cloud, key: str) -> None:
    """A rejected row's reference comes from the publisher's file: it must not run as a
    formula when the rejections CSV is opened in a spreadsheet."""
    planted = ['=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "+1+1", "\t=1+1"]
    rows = []
    for reference in planted:
        bad = testdata.trade("STX-T-OK")
        bad["reference"] = reference
        rows.append(bad)
    upload_id = upload(cloud, key, trades_csv(rows))
    cloud.deliver_uploads()
    download = cloud.call("GET", "/v1/uploads/{upload_id}/rejections", key=key, upload_id=upload_id)
    assert download.status == 303
    content = requests.get(download.headers["Location"], timeout=10).text
    references = [row[1] for row in list(csv.reader(io.StringIO(content)))[1:]]
    assert references == ["'" + p for p in planted]


def test_a_file_failing_after_applied_chunks_still_counts_what_was_applied(
    cloud: Cloud, key: str
) -> None:
    """A line that is not UTF-8 after two applied chunks fails the upload, but the rows
    already written (and their events) stay counted: the publisher must not read
    "0 accepted" for a file whose first rows are in the portal."""
    rows = trades_csv([testdata.trade(f"STX-T-{n:04d}") for n in range(12)]).splitlines()
    rows[12] = rows[12].replace(b"NL-CERTIQ-88412", "NL-CERTIQ-88412-Gävle".encode("latin-1"))
    upload_id = upload(cloud, key, b"\n".join(rows) + b"\n")
    five_rows = dependencies.settings().model_copy(update={"upload_chunk_rows": 5})
    with dependencies.settings.override(five_rows):
        cloud.deliver_uploads()
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["status"] == "failed"
    assert status.body["error"].startswith("line 13 is not UTF-8 text")
    applied = len([e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted"])
    assert applied == 10
    assert status.body["counts"] == {"accepted": applied, "duplicate": 0, "rejected": 0}
    assert status.body["rows_done"] == applied
