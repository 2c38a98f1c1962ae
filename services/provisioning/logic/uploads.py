"""Processing an uploaded file as a stream: rows in, chunks applied, progress saved.

Memory stays flat: rows are read lazily from the object's body, applied CHUNK_ROWS at a
time, and only the chunk's rejections are kept (saved with the progress). A retried
invocation resumes after the last saved row, so nothing is applied or counted twice.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

from services.provisioning.logic.ingest import IngestContext, RecordStore, counts, ingest
from services.provisioning.logic.lifecycle import Outcome
from services.provisioning.logic.validation import UnreadableRow, csv_row_to_raw
from services.provisioning.models.records import CSV_KINDS, RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadFormat

CHUNK_ROWS = 500


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


def rows(
    kind: RecordKind, upload_format: UploadFormat, lines: Iterable[str]
) -> Iterator[tuple[int, Any]]:
    """(line number, raw record) for every data row of the file, read lazily."""
    if upload_format == "csv":
        reader = csv.DictReader(line.rstrip("\r\n") for line in lines)
        for row in reader:
            yield reader.line_num, csv_row_to_raw(kind, row)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError as exc:
            yield number, UnreadableRow(f"not valid JSON: {exc}")


def _chunks(items: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def process(
    upload: Upload,
    lines: Iterable[str],
    records: RecordStore,
    uploads: UploadStore,
    context: IngestContext,
    chunk_rows: int | None = None,
) -> Counts:
    """Apply the file's rows; return the totals. Rows up to `upload.rows_done` are skipped."""
    totals = upload.counts
    pending = (
        (n, raw) for n, raw in rows(upload.kind, upload.format, lines) if n > upload.rows_done
    )
    for chunk in _chunks(pending, chunk_rows or CHUNK_ROWS):
        results = ingest(upload.kind, chunk, records, context, dry_run=upload.dry_run)
        rejected = [
            RejectedRow(row=r.index, reference=r.reference, field=e.field, reason=e.reason)
            for r in results
            if r.outcome is Outcome.REJECTED
            for e in r.errors
        ]
        totals = totals.plus(counts(results))
        uploads.save_progress(upload, chunk[-1][0], totals, rejected)
    return totals
