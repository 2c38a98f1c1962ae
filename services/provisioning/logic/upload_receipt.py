"""The step that starts an upload's processing once its file is in the bucket.

Two callers race for it: the bucket notification (the object was created) and the
publisher's explicit `POST /v1/uploads/{id}/complete`. Both run `receive_file`, whose only
write is a conditional AWAITING_FILE -> QUEUED (+ the UploadReceived outbox event) or
AWAITING_FILE -> FAILED (file too large) transition: whichever comes first wins, the other
finds the upload moved on and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contracts.events import provisioning as events
from services.provisioning.logic.ports import ReceiptStore
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    UPLOAD_OBJECT_PREFIX,
    Upload,
    UploadStatus,
)

TOO_LARGE_ERROR = f"The uploaded file is larger than {MAX_UPLOAD_BYTES} bytes (100 MB)."


class ReceiptOutcome(StrEnum):
    QUEUED = "queued"
    """This call moved the upload to QUEUED and emitted UploadReceived."""
    UNCHANGED = "unchanged"
    """The upload was no longer awaiting its file (queued, processing, done or failed)."""
    NO_FILE = "no_file"
    """Nothing is at the upload's key yet."""
    TOO_LARGE = "too_large"
    """This call marked the upload FAILED: the file exceeds the upload limit."""
    UNKNOWN_OBJECT = "unknown_object"
    """The object key names no upload (or not the one stored under its id)."""


@dataclass(frozen=True)
class Receipt:
    outcome: ReceiptOutcome
    upload: Upload | None
    """The upload as it is after the step (None for an unknown object)."""


def upload_id_of(key: str) -> str | None:
    """The upload id an object key `uploads/<publisher id>/<upload id>.<format>` encodes."""
    if not key.startswith(UPLOAD_OBJECT_PREFIX):
        return None
    parts = key[len(UPLOAD_OBJECT_PREFIX) :].split("/")
    if len(parts) != 2 or not all(parts):
        return None
    upload_id, dot, upload_format = parts[1].rpartition(".")
    return upload_id if dot and upload_id and upload_format else None


def receive_file(
    upload: Upload,
    store: ReceiptStore,
    *,
    correlation_id: str,
    causation_id: str,
    clock: Callable[[], datetime],
) -> Receipt:
    """Queue the upload for processing if its file is there and within the limit."""
    if upload.status is not UploadStatus.AWAITING_FILE:
        return Receipt(ReceiptOutcome.UNCHANGED, upload)
    size = store.object_size(upload.object_key)
    if size is None:
        return Receipt(ReceiptOutcome.NO_FILE, upload)
    if size > MAX_UPLOAD_BYTES:
        failed = upload.model_copy(
            update={
                "status": UploadStatus.FAILED,
                "size_bytes": size,
                "error": TOO_LARGE_ERROR,
                "updated_at": clock(),
            }
        )
        if store.fail(failed):
            return Receipt(ReceiptOutcome.TOO_LARGE, failed)
        return Receipt(ReceiptOutcome.UNCHANGED, store.get(upload.upload_id) or upload)
    queued = upload.model_copy(
        update={"status": UploadStatus.QUEUED, "size_bytes": size, "updated_at": clock()}
    )
    event = events.UPLOAD_RECEIVED.new(
        events.UploadReceived(
            upload_id=upload.upload_id,
            publisher_id=upload.publisher_id,
            kind=upload.kind.value,
            format=upload.format,
            object_key=upload.object_key,
            size_bytes=size,
            dry_run=upload.dry_run,
        ),
        account_id=None,
        correlation_id=correlation_id,
        causation_id=causation_id,
    )
    if store.queue(queued, event):
        return Receipt(ReceiptOutcome.QUEUED, queued)
    return Receipt(ReceiptOutcome.UNCHANGED, store.get(upload.upload_id) or upload)


def receive_object(
    key: str,
    store: ReceiptStore,
    *,
    correlation_id: str,
    causation_id: str,
    clock: Callable[[], datetime],
) -> Receipt:
    """The bucket notification's entry: the object at `key` was created.

    The key must be exactly the stored upload's key (same publisher, id and format);
    anything else is an unknown object and changes nothing.
    """
    upload_id = upload_id_of(key)
    upload = store.get(upload_id) if upload_id else None
    if upload is None or upload.object_key != key:
        return Receipt(ReceiptOutcome.UNKNOWN_OBJECT, None)
    return receive_file(
        upload, store, correlation_id=correlation_id, causation_id=causation_id, clock=clock
    )
