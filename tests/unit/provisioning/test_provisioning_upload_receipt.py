"""The step that queues an upload once its file landed: the bucket notification and the
explicit `complete` call race for it, the first wins and the other changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.envelope import EventEnvelope
from services.provisioning.logic.upload_receipt import (
    TOO_LARGE_ERROR,
    ReceiptOutcome,
    receive_file,
    receive_object,
    upload_id_of,
)
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    Upload,
    UploadStatus,
    upload_object_key,
)

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PUBLISHER = "pub-stx"
UPLOAD_ID = "upl-0123456789abcdef0123"
KEY = upload_object_key(PUBLISHER, UPLOAD_ID, "csv")


class FakeUploads:
    """The upload store's conditional transitions, in memory."""

    def __init__(self) -> None:
        self.uploads: dict[str, Upload] = {}
        self.objects: dict[str, int] = {}
        self.outbox: list[EventEnvelope[Any]] = []

    def get(self, upload_id: str) -> Upload | None:
        return self.uploads.get(upload_id)

    def object_size(self, key: str) -> int | None:
        return self.objects.get(key)

    def _transition(self, upload: Upload) -> bool:
        stored = self.uploads[upload.upload_id]
        if stored.status is not UploadStatus.AWAITING_FILE:
            return False
        self.uploads[upload.upload_id] = upload
        return True

    def queue(self, upload: Upload, event: EventEnvelope[Any]) -> bool:
        if not self._transition(upload):
            return False
        self.outbox.append(event)
        return True

    def fail(self, upload: Upload) -> bool:
        return self._transition(upload)


def awaiting(upload_id: str = UPLOAD_ID, publisher_id: str = PUBLISHER) -> Upload:
    return Upload(
        upload_id=upload_id,
        publisher_id=publisher_id,
        kind=RecordKind.TRADES,
        format="csv",
        status=UploadStatus.AWAITING_FILE,
        object_key=upload_object_key(publisher_id, upload_id, "csv"),
        size_bytes=1000,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
def store() -> FakeUploads:
    fake = FakeUploads()
    fake.uploads[UPLOAD_ID] = awaiting()
    return fake


def landed(store: FakeUploads, key: str = KEY, message_id: str = "msg-1") -> Any:
    return receive_object(
        key, store, correlation_id=message_id, causation_id=message_id, clock=lambda: NOW
    )


def completed(store: FakeUploads, request_id: str = "req-1") -> Any:
    upload = store.get(UPLOAD_ID)
    assert upload is not None
    return receive_file(
        upload, store, correlation_id=request_id, causation_id=request_id, clock=lambda: NOW
    )


def test_a_landed_file_queues_its_upload_with_one_upload_received_event(store) -> None:
    store.objects[KEY] = 5_432

    receipt = landed(store)

    assert receipt.outcome is ReceiptOutcome.QUEUED
    assert store.uploads[UPLOAD_ID].status is UploadStatus.QUEUED
    assert store.uploads[UPLOAD_ID].size_bytes == 5_432
    (event,) = store.outbox
    assert event.detail_type == "UploadReceived"
    assert event.data.model_dump() == {
        "upload_id": UPLOAD_ID,
        "publisher_id": PUBLISHER,
        "kind": "trades",
        "format": "csv",
        "object_key": KEY,
        "size_bytes": 5_432,
        "dry_run": False,
    }
    assert event.correlation_id == "msg-1"


def test_the_same_file_landing_twice_queues_it_once(store) -> None:
    store.objects[KEY] = 10

    first, second = landed(store, message_id="msg-1"), landed(store, message_id="msg-2")

    assert (first.outcome, second.outcome) == (ReceiptOutcome.QUEUED, ReceiptOutcome.UNCHANGED)
    assert second.upload == store.uploads[UPLOAD_ID]
    assert len(store.outbox) == 1


def test_a_notification_after_complete_changes_nothing(store) -> None:
    store.objects[KEY] = 10

    assert completed(store).outcome is ReceiptOutcome.QUEUED
    after = landed(store)

    assert after.outcome is ReceiptOutcome.UNCHANGED
    assert after.upload is not None
    assert after.upload.status is UploadStatus.QUEUED
    assert [e.correlation_id for e in store.outbox] == ["req-1"]


def test_complete_after_the_notification_changes_nothing(store) -> None:
    store.objects[KEY] = 10

    assert landed(store).outcome is ReceiptOutcome.QUEUED
    after = completed(store)

    assert after.outcome is ReceiptOutcome.UNCHANGED
    assert after.upload is not None
    assert after.upload.status is UploadStatus.QUEUED
    assert [e.correlation_id for e in store.outbox] == ["msg-1"]


def test_losing_the_race_returns_the_winners_state(store) -> None:
    """Both read AWAITING_FILE; the notification's conditional write lands first."""
    store.objects[KEY] = 10
    stale = store.uploads[UPLOAD_ID]
    assert landed(store).outcome is ReceiptOutcome.QUEUED

    late = receive_file(stale, store, correlation_id="r", causation_id="r", clock=lambda: NOW)

    assert late.outcome is ReceiptOutcome.UNCHANGED
    assert late.upload is not None
    assert late.upload.status is UploadStatus.QUEUED
    assert len(store.outbox) == 1


def test_complete_before_the_file_landed_finds_no_file(store) -> None:
    receipt = completed(store)

    assert receipt.outcome is ReceiptOutcome.NO_FILE
    assert store.uploads[UPLOAD_ID].status is UploadStatus.AWAITING_FILE
    assert store.outbox == []


@pytest.mark.parametrize(
    "key",
    [
        "uploads/pub-stx/upl-unknown.csv",
        f"uploads/pub-stx/{UPLOAD_ID}.jsonl",
        f"uploads/pub-stx/nested/{UPLOAD_ID}.csv",
        f"rejections/pub-stx/{UPLOAD_ID}.csv",
        f"uploads/pub-stx/{UPLOAD_ID}",
        "uploads/",
    ],
)
def test_an_object_that_names_no_stored_upload_is_ignored(store, key) -> None:
    store.objects[key] = 10

    receipt = landed(store, key=key)

    assert receipt.outcome is ReceiptOutcome.UNKNOWN_OBJECT
    assert receipt.upload is None
    assert store.uploads[UPLOAD_ID].status is UploadStatus.AWAITING_FILE
    assert store.outbox == []


def test_a_file_under_another_publishers_prefix_does_not_start_the_upload(store) -> None:
    """The key's publisher must be the upload's: an object written under another
    publisher's prefix with this upload's id changes nothing."""
    foreign = upload_object_key("pub-other", UPLOAD_ID, "csv")
    store.objects[foreign] = 10

    receipt = landed(store, key=foreign)

    assert receipt.outcome is ReceiptOutcome.UNKNOWN_OBJECT
    assert store.uploads[UPLOAD_ID].status is UploadStatus.AWAITING_FILE
    assert store.outbox == []


def test_a_file_over_100_mb_fails_the_upload_with_a_clear_error(store) -> None:
    store.objects[KEY] = MAX_UPLOAD_BYTES + 1

    receipt = landed(store)

    assert receipt.outcome is ReceiptOutcome.TOO_LARGE
    failed = store.uploads[UPLOAD_ID]
    assert failed.status is UploadStatus.FAILED
    assert failed.error == TOO_LARGE_ERROR
    assert "100 MB" in TOO_LARGE_ERROR
    assert failed.size_bytes == MAX_UPLOAD_BYTES + 1
    assert store.outbox == []
    assert completed(store).outcome is ReceiptOutcome.UNCHANGED


def test_a_file_of_exactly_100_mb_is_queued(store) -> None:
    store.objects[KEY] = MAX_UPLOAD_BYTES

    assert landed(store).outcome is ReceiptOutcome.QUEUED


def test_upload_id_of_reads_only_the_upload_key_shape() -> None:
    assert upload_id_of(KEY) == UPLOAD_ID
    assert upload_id_of(f"uploads/{PUBLISHER}/{UPLOAD_ID}.jsonl") == UPLOAD_ID
    assert upload_id_of("uploads/a/b/c.csv") is None
    assert upload_id_of("uploads//x.csv") is None
    assert upload_id_of("other/a/x.csv") is None
