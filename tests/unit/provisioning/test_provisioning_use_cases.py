"""Use cases the handlers delegate to: registering a publisher, starting and running an
upload (pure logic over in-memory stores)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.envelope import EventEnvelope
from contracts.events.provisioning import PublisherRegistered
from infra.local.demo import records as testdata
from services.provisioning.logic import publishers as publisher_admin
from services.provisioning.logic.keys import prefix_of
from services.provisioning.logic.upload_receipt import upload_id_of
from services.provisioning.logic.uploads import (
    UnsupportedFormat,
    UploadTooLarge,
    new_upload,
    run_upload,
)
from services.provisioning.models.publishers import ApiKey, Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import (
    FINISHED,
    MAX_UPLOAD_BYTES,
    Counts,
    RejectedRow,
    Upload,
    UploadStatus,
)
from tests.support.provisioning_fakes import InMemoryRecordStore, InMemoryUsageKeys

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Publishers:
    def __init__(self) -> None:
        self.publishers: dict[str, Publisher] = {}
        self.events: list[EventEnvelope[Any]] = []

    def create(self, publisher: Publisher, key: ApiKey, event: EventEnvelope[Any]) -> None:
        self.publishers[publisher.publisher_id] = publisher
        self.events.append(event)

    def get(self, publisher_id: str) -> Publisher | None:
        return self.publishers.get(publisher_id)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"register must not call {name}")


def register(accounts: Collection[str], account_ids: list[str] | None) -> Any:
    store, usage = Publishers(), InMemoryUsageKeys()
    try:
        registered = publisher_admin.register(
            store,
            usage,
            InMemoryRecordStore(accounts=accounts),
            "STX",
            account_ids,
            "admin",
            NOW,
            "req-1",
        )
    except publisher_admin.UnknownAccounts as refused:
        return refused, store, usage
    return registered, store, usage


def test_register_refuses_unknown_accounts_and_writes_nothing() -> None:
    refused, store, usage = register({"acc-1"}, ["acc-1", "acc-9", "acc-8"])
    assert isinstance(refused, publisher_admin.UnknownAccounts)
    assert refused.account_ids == ["acc-8", "acc-9"]
    assert store.publishers == {}
    assert usage.keys == {}


@pytest.mark.parametrize("account_ids", [["acc-1"], None])
def test_register_known_accounts_or_all_and_name_the_key_prefix(
    account_ids: list[str] | None,
) -> None:
    registered, store, usage = register({"acc-1"}, account_ids)
    assert isinstance(registered, publisher_admin.Registered)
    assert registered.key_prefix == prefix_of(registered.api_key)
    assert list(store.publishers) == [registered.publisher.publisher_id]
    assert len(usage.keys) == 1
    (event,) = store.events
    assert isinstance(event.data, PublisherRegistered)
    assert (event.detail_type, event.version, event.account_id) == ("PublisherRegistered", 1, None)
    assert event.data.publisher_id == registered.publisher.publisher_id
    assert (event.data.name, event.data.actor, event.data.at) == ("STX", "admin", NOW)
    assert event.data.key_prefix == registered.key_prefix
    assert (event.data.all_accounts, event.data.account_ids) == (
        account_ids is None,
        account_ids or [],
    )
    assert registered.api_key not in event.model_dump_json()


def test_new_upload_awaits_its_file_at_a_key_naming_it() -> None:
    upload = new_upload("pub-1", RecordKind.TRADES, "csv", dry_run=True, size_bytes=10, now=NOW)
    assert upload.status is UploadStatus.AWAITING_FILE
    assert upload.object_key.startswith("uploads/pub-1/")
    assert upload_id_of(upload.object_key) == upload.upload_id
    assert (upload.dry_run, upload.size_bytes, upload.created_at) == (True, 10, NOW)


def test_new_upload_refuses_too_large_and_nested_kinds_as_csv() -> None:
    with pytest.raises(UploadTooLarge):
        new_upload(
            "pub-1",
            RecordKind.TRADES,
            "csv",
            dry_run=False,
            size_bytes=MAX_UPLOAD_BYTES + 1,
            now=NOW,
        )
    with pytest.raises(UnsupportedFormat):
        new_upload("pub-1", RecordKind.DELIVERIES, "csv", dry_run=False, size_bytes=1, now=NOW)


class Uploads:
    def __init__(self, upload: Upload, lines: list[str]) -> None:
        self.upload = upload
        self.file = lines
        self.saves: list[Upload] = []
        self.rejected: list[RejectedRow] = []
        self.csv_written = 0
        self.claim_held: tuple[str, datetime] | None = None

    def get(self, upload_id: str) -> Upload | None:
        return self.upload if upload_id == self.upload.upload_id else None

    def claim(self, upload_id: str, owner: str, now: datetime, lease_seconds: int) -> Upload | None:
        held = self.claim_held is not None and self.claim_held[1] >= now
        if upload_id != self.upload.upload_id or self.upload.status in FINISHED or held:
            return None
        self.claim_held = (owner, now + timedelta(seconds=lease_seconds))
        return self.upload.model_copy(update={"claimed_by": owner})

    def release(self, upload: Upload) -> None:
        if self.claim_held is not None and self.claim_held[0] == upload.claimed_by:
            self.claim_held = None

    def save(self, upload: Upload) -> None:
        self.saves.append(upload)
        self.upload = upload
        if upload.status in FINISHED:
            self.claim_held = None

    def save_progress(
        self, upload: Upload, last_line: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        self.rejected += rejected
        self.upload = upload.progressed(last_line, totals)

    def lines(self, key: str) -> Iterable[str]:
        assert key == self.upload.object_key
        return self.file

    def write_rejections_csv(self, upload: Upload) -> str:
        self.csv_written += 1
        return f"rejections/{upload.upload_id}.csv"


PUBLISHER = Publisher(
    publisher_id="pub-1", name="STX", account_ids=None, created_at=NOW, created_by="admin"
)


def queued_upload() -> Uploads:
    upload = new_upload(
        "pub-1", RecordKind.TRADES, "jsonl", dry_run=False, size_bytes=1, now=NOW
    ).model_copy(update={"status": UploadStatus.QUEUED})
    bad = testdata.trade("STX-T-2")
    bad["currency"] = "EUX"
    return Uploads(upload, [json.dumps(testdata.trade("STX-T-1")), json.dumps(bad)])


def run(uploads: Uploads, publishers: dict[str, Publisher]) -> Upload | None:
    return run_upload(
        uploads.upload.upload_id,
        uploads,
        publishers,
        InMemoryRecordStore(accounts=["acc-1"], links={"STX-CP-0001": "acc-1"}),
        correlation_id="corr-1",
        clock=lambda: NOW,
    )


def test_run_upload_applies_the_file_and_completes_once() -> None:
    uploads = queued_upload()
    done = run(uploads, {"pub-1": PUBLISHER})
    assert done is not None
    assert done.status is UploadStatus.COMPLETED
    assert done.counts == Counts(accepted=1, rejected=1)
    assert [r.field for r in uploads.rejected] == ["currency"]
    assert uploads.csv_written == 1
    assert run(uploads, {"pub-1": PUBLISHER}) is None
    assert (uploads.csv_written, len(uploads.saves)) == (1, 1)


def test_run_upload_of_a_vanished_publisher_fails_the_upload() -> None:
    uploads = queued_upload()
    failed = run(uploads, {})
    assert failed is not None
    assert failed.status is UploadStatus.FAILED
    assert failed.error == "publisher gone"
    assert uploads.csv_written == 0
    assert run(uploads, {}) is None


def trades_csv_lines(count: int) -> list[str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*testdata.trade().keys(), "cancellation_reason"])
    writer.writeheader()
    for n in range(count):
        row = testdata.trade(f"STX-T-{n:06d}")
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue().splitlines()


def test_rows_done_of_a_1000_row_csv_is_1000_not_the_last_line_number() -> None:
    """The header is line 1 of a CSV: progress once reported the last line (1001)."""
    upload = new_upload(
        "pub-1", RecordKind.TRADES, "csv", dry_run=False, size_bytes=1, now=NOW
    ).model_copy(update={"status": UploadStatus.QUEUED})
    uploads = Uploads(upload, trades_csv_lines(1000))
    done = run(uploads, {"pub-1": PUBLISHER})
    assert done is not None
    assert done.counts == Counts(accepted=1000)
    assert (done.rows_done, done.last_line) == (1000, 1001)


def test_rows_done_skips_blank_lines_of_json_lines() -> None:
    uploads = queued_upload()
    uploads.file = ["", uploads.file[0], "   ", uploads.file[1], ""]
    done = run(uploads, {"pub-1": PUBLISHER})
    assert done is not None
    assert (done.rows_done, done.last_line) == (2, 4)


def test_an_upload_stored_before_last_line_resumes_at_its_line_and_counts_rows() -> None:
    stored = queued_upload().upload.model_dump(mode="json", exclude={"last_line"})
    stored |= {"rows_done": 501, "counts": {"accepted": 498, "rejected": 2}}
    legacy = Upload.model_validate(stored)
    assert (legacy.last_line, legacy.rows_done) == (501, 500)


def csv_upload(lines: list[str]) -> Uploads:
    upload = new_upload(
        "pub-1", RecordKind.TRADES, "csv", dry_run=False, size_bytes=1, now=NOW
    ).model_copy(update={"status": UploadStatus.QUEUED})
    return Uploads(upload, lines)


def trade_rows(count: int, separator: str) -> list[str]:
    """`count` valid trades as CSV rows, with their header, columns separated by `separator`."""
    columns = [*testdata.trade().keys(), "cancellation_reason"]
    rows = [separator.join(columns)]
    for n in range(count):
        record = testdata.trade(f"STX-T-{n:05d}")
        cells = [";".join(v) if isinstance(v, list) else str(v) for v in record.values()]
        rows.append(separator.join([*cells, ""]))
    return rows


def test_a_semicolon_separated_file_is_one_problem_not_one_per_field_of_every_row() -> None:
    """Issue 19: a 1,000-row `;`-separated CSV gave ~19 rejection lines per row (19,000); now
    the upload fails once, saying what to change, and no row is read."""
    uploads = csv_upload(trade_rows(1000, ";"))
    failed = run(uploads, {"pub-1": PUBLISHER})
    assert failed is not None
    assert failed.status is UploadStatus.FAILED
    assert failed.error is not None
    assert failed.error.splitlines() == [
        "the columns are separated by semicolons (';'): separate them with commas, and put a "
        'value holding a comma in double quotes ("a, b")'
    ]
    assert (uploads.rejected, failed.counts) == ([], Counts())
    comma = csv_upload(trade_rows(3, ","))
    done = run(comma, {"pub-1": PUBLISHER})
    assert done is not None
    assert done.counts == Counts(accepted=3)


def test_a_header_with_unknown_and_missing_columns_is_named_once() -> None:
    rows = trade_rows(2, ",")
    rows[0] = rows[0].replace("unit_price", "unitprice").replace(",currency", ",ccy")
    failed = run(csv_upload(rows), {"pub-1": PUBLISHER})
    assert failed is not None
    assert failed.error == (
        "the header names unknown columns: unitprice (unknown field; did you mean "
        "unit_price?), ccy (unknown field); the header lacks required columns: unit_price, "
        "currency"
    )
