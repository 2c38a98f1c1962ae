"""Validation speed and memory for a large trades CSV (prints figures; not a test).

    .venv/bin/python -m bench.provisioning_validation [rows]

Generates the CSV on the fly (never held in memory), streams it through the same code an
upload goes through (`logic.uploads.process`, dry run: validate + judge, no writes), and
prints records/s and the peak of Python allocations (tracemalloc).
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from infra.local.demo import records as testdata
from services.provisioning.logic.ingest import IngestContext
from services.provisioning.logic.uploads import process
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from tests.support.provisioning_fakes import InMemoryRecordStore

COUNTERPARTIES = [f"STX-CP-{n:04d}" for n in range(20)]
COLUMNS = [*testdata.trade().keys(), "cancellation_reason"]


def csv_lines(rows: int, seed: int = 7) -> Iterator[str]:
    """A realistic trades CSV, line by line; about 1 row in 50 breaks a rule."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    yield out.getvalue()
    out.seek(0)
    out.truncate()
    for number in range(rows):
        record: dict[str, Any] = testdata.random_trade(rng, number, rng.choice(COUNTERPARTIES))
        if rng.random() < 0.02:
            record["currency"] = "EUX"
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
        yield out.getvalue()
        out.seek(0)
        out.truncate()


class CountingSink:
    """An UploadStore that keeps only the last progress (as the real one keeps one item)."""

    def __init__(self) -> None:
        self.rejected = 0
        self.rows_done = 0

    def save_progress(
        self, upload: Upload, rows_done: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        self.rows_done = rows_done
        self.rejected += len(rejected)


def run(rows: int, *, measure_memory: bool) -> tuple[float, int, Counts, int]:
    """(seconds, peak bytes, counts, bytes of CSV)."""
    now = datetime.now(UTC)
    publisher = Publisher(
        publisher_id="pub-bench", name="bench", account_ids=None, created_at=now, created_by="b"
    )
    store = InMemoryRecordStore(links={cp: f"acc-{cp[-4:]}" for cp in COUNTERPARTIES})
    upload = Upload(
        upload_id="upl-bench",
        publisher_id=publisher.publisher_id,
        kind=RecordKind.TRADES,
        format="csv",
        dry_run=True,
        status=UploadStatus.PROCESSING,
        object_key="bench.csv",
        created_at=now,
        updated_at=now,
    )
    size = 0

    def measured() -> Iterator[str]:
        nonlocal size
        for line in csv_lines(rows):
            size += len(line)
            yield line

    context = IngestContext(publisher=publisher, correlation_id="bench", clock=lambda: now)
    if measure_memory:
        tracemalloc.start()
    started = time.perf_counter()
    totals = process(upload, measured(), store, CountingSink(), context)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
    if measure_memory:
        tracemalloc.stop()
    return elapsed, peak, totals, size


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    elapsed, _, totals, size = run(rows, measure_memory=False)
    print(f"rows: {rows:,}  CSV: {size / 1e6:.1f} MB")
    print(f"validation (dry run, no tracing): {rows / elapsed:,.0f} records/s ({elapsed:.1f} s)")
    print(f"counts: {totals.model_dump()}")
    small = max(rows // 10, 1000)
    _, peak_small, _, _ = run(small, measure_memory=True)
    _, peak, _, _ = run(rows, measure_memory=True)
    print(
        f"peak Python allocations: {peak / 1e6:.1f} MB for {rows:,} rows, "
        f"{peak_small / 1e6:.1f} MB for {small:,} rows (flat = about equal)"
    )


if __name__ == "__main__":
    main()
