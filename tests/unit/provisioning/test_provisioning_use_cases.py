"""Use cases the handlers delegate to: registering a publisher, starting and running an
upload (pure logic over in-memory stores)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

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

    def create(self, publisher: Publisher, key: ApiKey) -> None:
        self.publishers[publisher.publisher_id] = publisher

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

    def get(self, upload_id: str) -> Upload | None:
        return self.upload if upload_id == self.upload.upload_id else None

    def save(self, upload: Upload) -> None:
        self.saves.append(upload)
        self.upload = upload

    def save_progress(
        self, upload: Upload, rows_done: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        self.rejected += rejected
        self.upload = upload.model_copy(update={"rows_done": rows_done, "counts": totals})

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
