"""Processing an uploaded file as a stream: rows in, chunks applied, progress saved.

Memory stays flat: rows are read lazily from the object's body, applied CHUNK_ROWS at a
time, and only the chunk's rejections are kept (saved with the progress). A retried
invocation resumes after the last saved row, so nothing is applied or counted twice.

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
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.ingest import IngestContext, RecordStore, counts, ingest
from services.provisioning.logic.lifecycle import Outcome
from services.provisioning.logic.validation import UnreadableRow, csv_row_to_raw
from services.provisioning.models.records import CSV_KINDS, RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadFormat

CHUNK_ROWS = 500
CHUNK_BYTES = 4 * 1024 * 1024
"""A chunk also ends at this many bytes of file, so large rows (documents) stay bounded."""


class UploadStore(Protocol):
    def save_progress(
        self, upload: Upload, rows_done: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        """Record progress and the chunk's rejected rows in one atomic write."""
        ...


class UnsupportedFormat(ValueError):
    pass


def check_format(kind: RecordKind, upload_format: UploadFormat) -> None:
    if upload_format == "csv" and kind not in CSV_KINDS:
        raise UnsupportedFormat(f"{kind} records have nested fields: upload them as JSON Lines")


def _sized_rows(
    kind: RecordKind, upload_format: UploadFormat, lines: Iterable[str]
) -> Iterator[tuple[int, Any, int]]:
    """(line number, raw record, bytes of the line) for every data row, read lazily."""
    if upload_format == "csv":
        sizes: list[int] = []

        def measured(source: Iterable[str]) -> Iterator[str]:
            for line in source:
                sizes.append(len(line))
                yield line.rstrip("\r\n")

        reader = csv.DictReader(measured(lines))
        for row in reader:
            size = sum(sizes)
            sizes.clear()
            yield reader.line_num, csv_row_to_raw(kind, row), size
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), len(line)
        except ValueError as exc:
            yield number, UnreadableRow(f"not valid JSON: {exc}"), len(line)


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
    uploads: UploadStore,
    context: IngestContext,
    chunk_rows: int | None = None,
) -> Counts:
    """Apply the file's rows; return the totals. A real run skips the rows up to
    `upload.rows_done` (a retry resumes); a dry run always starts from the first row with
    fresh counts, carrying one overlay across its chunks (see the module docstring)."""
    overlay = DryRunOverlay() if upload.dry_run else None
    totals = Counts() if upload.dry_run else upload.counts
    skip = 0 if upload.dry_run else upload.rows_done
    pending = (row for row in _sized_rows(upload.kind, upload.format, lines) if row[0] > skip)
    for chunk in _chunks(pending, chunk_rows or CHUNK_ROWS, CHUNK_BYTES):
        results = ingest(
            upload.kind, chunk, records, context, dry_run=upload.dry_run, overlay=overlay
        )
        rejected = [
            RejectedRow(row=r.index, reference=r.reference, field=e.field, reason=e.reason)
            for r in results
            if r.outcome is Outcome.REJECTED
            for e in r.errors
        ]
        totals = totals.plus(counts(results))
        uploads.save_progress(upload, chunk[-1][0], totals, rejected)
    return totals
