"""Uploaded files are processed as a stream: memory does not grow with the file."""

from __future__ import annotations

import base64
import hashlib
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.ingest import IngestContext
from services.provisioning.logic.uploads import process, rows
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from tests.support.provisioning_fakes import InMemoryRecordStore

pytestmark = pytest.mark.unit

NOW = datetime(2026, 6, 1, tzinfo=UTC)
MB = 1024 * 1024


def big_document_lines(total_bytes: int) -> Iterator[str]:
    """JSON Lines of ~800 KB documents (a 600 KB PDF each, base64), generated lazily:
    the file never exists in memory."""
    content = testdata.pdf_bytes("statement") + b"0" * 600_000
    template = testdata.document()
    template["content_base64"] = base64.b64encode(content).decode()
    template["sha256"] = hashlib.sha256(content).hexdigest()
    produced = 0
    number = 0
    while produced < total_bytes:
        template["reference"] = f"DOC-{number:07d}"
        line = json.dumps(template)
        produced += len(line) + 1
        number += 1
        yield line


class Sink:
    def __init__(self) -> None:
        self.rows_done = 0

    def save_progress(
        self, upload: Upload, rows_done: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        self.rows_done = rows_done


def peak_bytes(file_bytes: int) -> tuple[int, Counts]:
    publisher = Publisher(
        publisher_id="pub-1", name="STX", account_ids=None, created_at=NOW, created_by="admin"
    )
    upload = Upload(
        upload_id="upl-1",
        publisher_id="pub-1",
        kind=RecordKind.DOCUMENTS,
        format="jsonl",
        dry_run=True,
        status=UploadStatus.PROCESSING,
        object_key="k",
        created_at=NOW,
        updated_at=NOW,
    )
    store = InMemoryRecordStore(links={"STX-CP-0001": "acc-1"})
    context = IngestContext(publisher=publisher, correlation_id="c", clock=lambda: NOW)
    tracemalloc.start()
    try:
        totals = process(upload, big_document_lines(file_bytes), store, Sink(), context)
        return tracemalloc.get_traced_memory()[1], totals
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_for_a_100_mb_file() -> None:
    small_peak, small = peak_bytes(10 * MB)
    large_peak, large = peak_bytes(100 * MB)
    assert large.accepted > 9 * small.accepted
    assert large.rejected == small.rejected == 0
    assert large_peak < small_peak * 1.25, (small_peak, large_peak)
    assert large_peak < 64 * MB, large_peak


def test_rows_are_numbered_by_file_line() -> None:
    lines = ["reference,version,account_id,legal_name", "CP-1,1,acc-1,A", "", "CP-2,1,acc-2,B"]
    numbered = list(rows(RecordKind.COUNTERPARTIES, "csv", iter(lines)))
    assert [n for n, _ in numbered] == [2, 4]
    jsonl = list(rows(RecordKind.TRADES, "jsonl", iter(['{"a": 1}', "", "{broken"])))
    assert [n for n, _ in jsonl] == [1, 3]


def test_a_header_with_spaces_after_its_commas_names_the_same_columns() -> None:
    """The header check reads `reference, version` as the columns reference and version;
    the rows must too, or every row of an accepted header is rejected on unknown fields."""
    lines = ["reference, version, account_id, legal_name\r\n", "CP-1,1,acc-1,Nordic AB\r\n"]
    [(number, raw)] = list(rows(RecordKind.COUNTERPARTIES, "csv", iter(lines)))
    assert (number, raw) == (
        2,
        {"reference": "CP-1", "version": "1", "account_id": "acc-1", "legal_name": "Nordic AB"},
    )
