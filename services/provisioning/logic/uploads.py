"""Processing an uploaded file as a stream: rows in, chunks applied, progress saved.

Memory stays flat: rows are read lazily from the object's body, applied CHUNK_ROWS at a
time, and only the chunk's rejections are kept (saved with the progress, in bounded steps
when they are many: `_progress_steps`). A retried invocation resumes after the last saved
row, so nothing is applied or counted twice: rows written after that save (a crash between
the two) are found stored by their own upload row (`written_by`) and count as accepted.

A dry run writes nothing, so its later chunks are judged against a `DryRunOverlay` of what
the earlier ones would have written: the one part of an upload that grows with the file
(with the distinct references it accepts, not with its bytes). The overlay lives in memory
only, so a retried dry run cannot resume: it starts again from the first row with its
counts reset. That is safe because it wrote nothing, and its rejected rows are saved per
chunk under the chunk's last row, which the same file splits the same way again.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from common.errors import FieldProblem, InvalidInput, TooLarge
from common.json_safety import parse_json
from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.ingest import IngestContext, RecordResult, counts, ingest
from services.provisioning.logic.lifecycle import Outcome
from services.provisioning.logic.ports import (
    ProgressStore,
    PublisherLookup,
    RecordStore,
    UploadRunStore,
)
from services.provisioning.logic.upload_claims import claim_upload
from services.provisioning.logic.validation import (
    UnreadableRow,
    csv_header_problem,
    csv_row_to_raw,
)
from services.provisioning.models.records import CSV_KINDS, RecordKind
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    Counts,
    RejectedRow,
    Upload,
    UploadFormat,
    UploadStatus,
    upload_object_key,
)

CHUNK_ROWS = 500
CHUNK_BYTES = 4 * 1024 * 1024
"""A chunk also ends at this many bytes of file, so large rows (documents) stay bounded."""
REJECTED_BYTES_PER_SAVE = 200_000
"""Rejected rows (as JSON) saved with one progress write, whose item holds at most 400 KB:
a chunk rejecting more is saved in several steps, each after its last row."""
MAX_PROBLEMS_PER_ROW = 20
"""Problems kept per rejected row (the rest are counted): a JSON line may be of any size,
and so may its problems."""
MAX_FIELD_CHARS = 200
MAX_REASON_CHARS = 300
"""What a kept problem reflects of the file is bounded (an unknown field's name is the
file's)."""


class UnsupportedFormat(InvalidInput):
    def __init__(self, reason: str) -> None:
        super().__init__([FieldProblem("body.format", reason)], reason)


class UploadTooLarge(TooLarge):
    pass


class UnusableFile(ValueError):
    """A problem of the whole file (its header, its separator): said once, no row read."""


def check_format(kind: RecordKind, upload_format: UploadFormat) -> None:
    if upload_format == "csv" and kind not in CSV_KINDS:
        raise UnsupportedFormat(f"{kind} records have nested fields: upload them as JSON Lines")


def new_upload(
    publisher_id: str,
    kind: RecordKind,
    upload_format: UploadFormat,
    *,
    dry_run: bool,
    size_bytes: int,
    now: datetime,
) -> Upload:
    """A new upload awaiting its file at its own key under the publisher's prefix.

    Raises UploadTooLarge or UnsupportedFormat (nothing is created then)."""
    if size_bytes > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(f"An upload is at most {MAX_UPLOAD_BYTES} bytes.")
    check_format(kind, upload_format)
    upload_id = f"upl-{secrets.token_hex(10)}"
    return Upload(
        upload_id=upload_id,
        publisher_id=publisher_id,
        kind=kind,
        format=upload_format,
        dry_run=dry_run,
        status=UploadStatus.AWAITING_FILE,
        object_key=upload_object_key(publisher_id, upload_id, upload_format),
        size_bytes=size_bytes,
        created_at=now,
        updated_at=now,
    )


def _sized_rows(
    kind: RecordKind, upload_format: UploadFormat, lines: Iterable[str]
) -> Iterator[tuple[int, Any, int]]:
    """(line number, raw record, bytes of the line) for every data row, read lazily. Lines
    keep their line ends, so a quoted CSV cell may hold a line break; a row the CSV reader
    cannot read (a cell over its field limit) or a JSON line it cannot parse (too deep,
    not JSON) is that row's rejection, never the file's end."""
    if upload_format == "csv":
        yield from _csv_rows(kind, lines)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, parse_json(line), len(line)
        except ValueError as exc:
            yield number, UnreadableRow(f"not valid JSON: {exc}"), len(line)


def _csv_rows(kind: RecordKind, lines: Iterable[str]) -> Iterator[tuple[int, Any, int]]:
    sizes: list[int] = []

    def measured(source: Iterable[str]) -> Iterator[str]:
        for line in source:
            sizes.append(len(line))
            yield line

    reader = csv.DictReader(measured(lines))
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise UnusableFile(f"the header line cannot be read as CSV: {exc}") from exc
    problem = csv_header_problem(kind, header)
    if problem is not None:
        raise UnusableFile(problem)
    reader.fieldnames = [name.strip() for name in header]  # as the header check reads them
    read = len(sizes)
    sizes.clear()
    while True:
        try:
            row: Any = csv_row_to_raw(kind, next(reader))
        except StopIteration:
            return
        except csv.Error as exc:
            row = UnreadableRow(f"not a readable CSV row: {exc}")
        read += len(sizes)
        size = sum(sizes)
        sizes.clear()
        yield read, row, size


def rows(
    kind: RecordKind, upload_format: UploadFormat, lines: Iterable[str]
) -> Iterator[tuple[int, Any]]:
    """(line number, raw record) for every data row of the file, read lazily."""
    for number, raw, _ in _sized_rows(kind, upload_format, lines):
        yield number, raw


def _chunks(
    items: Iterable[tuple[int, Any, int]], max_rows: int, max_bytes: int
) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    size = 0
    for number, raw, length in items:
        chunk.append((number, raw))
        size += length
        if len(chunk) >= max_rows or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def process(
    upload: Upload,
    lines: Iterable[str],
    records: RecordStore,
    uploads: ProgressStore,
    context: IngestContext,
    chunk_rows: int | None = None,
) -> Counts:
    """Apply the file's rows; return the totals. A real run skips the rows up to
    `upload.last_line` (a retry resumes); a dry run always starts from the first row with
    fresh counts, carrying one overlay across its chunks (see the module docstring)."""
    overlay = DryRunOverlay() if upload.dry_run else None
    totals = Counts() if upload.dry_run else upload.counts
    skip = 0 if upload.dry_run else upload.last_line
    pending = (row for row in _sized_rows(upload.kind, upload.format, lines) if row[0] > skip)
    for chunk in _chunks(pending, chunk_rows or CHUNK_ROWS, CHUNK_BYTES):
        results = ingest(
            upload.kind, chunk, records, context, dry_run=upload.dry_run, overlay=overlay
        )
        for last_line, done, rejected in _progress_steps(chunk[-1][0], results):
            totals = totals.plus(counts(done))
            uploads.save_progress(upload, last_line, totals, rejected)
    return totals


def _rejected_rows(result: RecordResult) -> list[RejectedRow]:
    """What is kept of a rejected row: its first problems (bounded texts) and a count of
    the rest."""
    if result.outcome is not Outcome.REJECTED:
        return []
    kept = [
        RejectedRow(
            row=result.index,
            reference=result.reference,
            field=e.field[:MAX_FIELD_CHARS],
            reason=e.reason[:MAX_REASON_CHARS],
        )
        for e in result.errors[:MAX_PROBLEMS_PER_ROW]
    ]
    more = len(result.errors) - MAX_PROBLEMS_PER_ROW
    if more > 0:
        reason = f"{more} more problems not listed: fix the ones listed and send the row again"
        kept.append(
            RejectedRow(row=result.index, reference=result.reference, field="(row)", reason=reason)
        )
    return kept


def _progress_steps(
    last_line: int, results: list[RecordResult]
) -> Iterator[tuple[int, list[RecordResult], list[RejectedRow]]]:
    """A chunk's results in the steps its progress is saved (last line, results, rejected
    rows): one step, or several when its rejected rows pass REJECTED_BYTES_PER_SAVE, each
    ending after a row (a row's problems are saved together)."""
    done: list[RecordResult] = []
    rejected: list[RejectedRow] = []
    size = 0
    for result in results:
        rows = _rejected_rows(result)
        done.append(result)
        rejected.extend(rows)
        size += sum(len(json.dumps(row.model_dump())) for row in rows)
        if size >= REJECTED_BYTES_PER_SAVE:
            yield result.index, done, rejected
            done, rejected, size = [], [], 0
    if done:
        yield last_line, done, rejected


def run_upload(
    upload_id: str,
    uploads: UploadRunStore,
    publishers: PublisherLookup,
    records: RecordStore,
    *,
    correlation_id: str,
    clock: Callable[[], datetime],
    chunk_rows: int | None = None,
) -> Upload | None:
    """Process a queued upload to the end under its claim (`logic.upload_claims`); the
    upload as this call left it, None when there was nothing to do (no such upload, or
    already finished). Raises UploadBusy while another run holds it.

    Idempotent: a finished upload is left alone; an interrupted one resumes (a dry run
    starts again from its first row: it wrote nothing, see the module docstring)."""
    upload = claim_upload(upload_id, uploads, clock())
    if upload is None:
        return None
    try:
        return _run_claimed(upload, uploads, publishers, records, correlation_id, clock, chunk_rows)
    except Exception:
        uploads.release(upload)
        raise


def _run_claimed(
    upload: Upload,
    uploads: UploadRunStore,
    publishers: PublisherLookup,
    records: RecordStore,
    correlation_id: str,
    clock: Callable[[], datetime],
    chunk_rows: int | None,
) -> Upload:
    publisher = publishers.get(upload.publisher_id)
    if publisher is None:
        failed = upload.model_copy(
            update={"status": UploadStatus.FAILED, "error": "publisher gone", "updated_at": clock()}
        )
        uploads.save(failed)
        return failed
    context = IngestContext(
        publisher=publisher,
        correlation_id=correlation_id,
        clock=clock,
        upload_id=None if upload.dry_run else upload.upload_id,
    )
    try:
        totals = process(
            upload, uploads.lines(upload.object_key), records, uploads, context, chunk_rows
        )
    except UnusableFile as unusable:
        # a line past the first chunks (not UTF-8) fails the file after rows were applied:
        # the saved progress keeps them counted
        latest = uploads.get(upload.upload_id) or upload
        failed = latest.model_copy(
            update={
                "status": UploadStatus.FAILED,
                "error": str(unusable),
                "updated_at": clock(),
                "claimed_by": upload.claimed_by,
            }
        )
        uploads.save(failed)
        return failed
    latest = uploads.get(upload.upload_id) or upload
    uploads.write_rejections_csv(latest)
    completed = latest.model_copy(
        update={
            "status": UploadStatus.COMPLETED,
            "counts": totals,
            "updated_at": clock(),
            "claimed_by": upload.claimed_by,
        }
    )
    uploads.save(completed)
    return completed
