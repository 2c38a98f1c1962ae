"""A publisher's requests about its uploads: open one, follow it, complete it, fetch its
rejected rows. A publisher sees only its own uploads: another's is indistinguishable
from none (404)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from common.errors import Conflict, NotFound, TooLarge
from services.provisioning.logic.ports import UploadDesk
from services.provisioning.logic.upload_receipt import ReceiptOutcome, receive_file
from services.provisioning.logic.uploads import new_upload
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    RejectedRow,
    Upload,
    UploadFormat,
    UploadStatus,
)

CONTENT_TYPES: dict[str, str] = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
REJECTED_SAMPLE = 100
"""Rejected rows shown with an upload's progress; all of them come as CSV."""
REJECTIONS_URL_SECONDS = 300


@dataclass(frozen=True)
class OpenedUpload:
    """A new upload and where to PUT its file (with which Content-Type, until when)."""

    upload: Upload
    upload_url: str
    content_type: str
    expires_in: int


@dataclass(frozen=True)
class UploadProgress:
    upload: Upload
    rejected_sample: list[RejectedRow]


def open_upload(
    desk: UploadDesk,
    publisher: Publisher,
    kind: RecordKind,
    upload_format: UploadFormat,
    *,
    dry_run: bool,
    size_bytes: int,
    url_seconds: int,
    now: datetime,
) -> OpenedUpload:
    """A new upload awaiting its file, and a presigned URL to PUT it to."""
    upload = new_upload(
        publisher.publisher_id,
        kind,
        upload_format,
        dry_run=dry_run,
        size_bytes=size_bytes,
        now=now,
    )
    desk.create(upload)
    content_type = CONTENT_TYPES[upload.format]
    url = desk.upload_url(upload.object_key, content_type, url_seconds)
    return OpenedUpload(upload, url, content_type, url_seconds)


def own_upload(desk: UploadDesk, publisher: Publisher, upload_id: str) -> Upload:
    found = desk.get(upload_id)
    if found is None or found.publisher_id != publisher.publisher_id:
        raise NotFound("No such upload.")
    return found


def upload_progress(desk: UploadDesk, publisher: Publisher, upload_id: str) -> UploadProgress:
    """How far the upload got, with its first rejected rows."""
    upload = own_upload(desk, publisher, upload_id)
    sample = list(islice(desk.rejected_rows(upload_id), REJECTED_SAMPLE))
    return UploadProgress(upload, sample)


def complete_upload(
    desk: UploadDesk,
    publisher: Publisher,
    upload_id: str,
    *,
    correlation_id: str,
    clock: Callable[[], datetime],
) -> Upload:
    """The publisher says its file is there: queue it (optional since the bucket
    notification queues a landed file itself; the same conditional step, so whichever runs
    first wins). Refuses fast when nothing was uploaded, or the file is too large."""
    receipt = receive_file(
        own_upload(desk, publisher, upload_id),
        desk,
        correlation_id=correlation_id,
        causation_id=correlation_id,
        clock=clock,
    )
    if receipt.outcome is ReceiptOutcome.NO_FILE:
        raise Conflict("Nothing was uploaded to the URL yet.", code="no_file")
    if receipt.outcome is ReceiptOutcome.TOO_LARGE:
        raise TooLarge(f"An upload is at most {MAX_UPLOAD_BYTES} bytes.")
    if receipt.upload is None:
        raise NotFound("No such upload.")
    return receipt.upload


def rejections_url(desk: UploadDesk, publisher: Publisher, upload_id: str) -> str:
    """A short-lived URL of every rejected row as CSV, once the upload is processed."""
    upload = own_upload(desk, publisher, upload_id)
    if upload.status is not UploadStatus.COMPLETED:
        raise Conflict("The upload is still being processed.", code="not_finished")
    return desk.rejections_url(upload, REJECTIONS_URL_SECONDS)
