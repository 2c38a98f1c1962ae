"""Upload speed and memory for large trades CSVs (prints figures; not a test).

    .venv/bin/python -m bench.provisioning_validation [rows] [--real-rows N]

Generates the CSV on the fly (never held in memory) and streams it through the code an
upload runs (`logic.uploads.process`), two ways:
- dry run: validate + judge every row, no writes (an in-memory store answers the reads);
- real upload: the same, writing every chunk (states + outbox events, one transaction per
  50 records) to DynamoDB Local through the real `DynamoRecordStore`. The file comes from
  the generator, not S3: moto would run inside this process and its allocations would be
  counted too; the S3 body is read line by line either way.
Each way runs once untraced (rows/s), then traced at two sizes (a tenth of the rows, then
all of them) for the peak of Python allocations (tracemalloc). "flat" is printed only when
the larger run's peak is within 25 % of the smaller one's; otherwise the growth per row is.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import socket
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.local.aws import LOOPBACK, client, start_dynamodb_local, stop_process
from services.provisioning import testdata
from services.provisioning.adapters.memory import InMemoryRecordStore
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic.ingest import IngestContext, RecordStore, ingest
from services.provisioning.logic.uploads import process
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from services.provisioning.topology import TOPOLOGY
from tests.support.tables import create_table

REPO = Path(__file__).resolve().parent.parent
COUNTERPARTIES = [f"STX-CP-{n:04d}" for n in range(20)]
COLUMNS = [*testdata.trade().keys(), "cancellation_reason"]
FLAT_TOLERANCE = 1.25
NOW = datetime.now(UTC)
PUBLISHER = Publisher(
    publisher_id="pub-bench", name="bench", account_ids=None, created_at=NOW, created_by="b"
)


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


def run(
    rows: int, store: RecordStore, *, dry_run: bool, trace: bool
) -> tuple[float, int, Counts, int]:
    """(seconds, peak traced bytes (0 untraced), counts, bytes of CSV)."""
    upload = Upload(
        upload_id="upl-bench",
        publisher_id=PUBLISHER.publisher_id,
        kind=RecordKind.TRADES,
        format="csv",
        dry_run=dry_run,
        status=UploadStatus.PROCESSING,
        object_key="bench.csv",
        created_at=NOW,
        updated_at=NOW,
    )
    size = 0

    def measured() -> Iterator[str]:
        nonlocal size
        for line in csv_lines(rows):
            size += len(line)
            yield line

    context = IngestContext(publisher=PUBLISHER, correlation_id="bench", clock=lambda: NOW)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    totals = process(upload, measured(), store, CountingSink(), context)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    return elapsed, peak, totals, size


def verdict(small: tuple[int, int], large: tuple[int, int]) -> str:
    """'flat', or how the peak grows, from (rows, peak bytes) at two sizes."""
    (rows_small, peak_small), (rows_large, peak_large) = small, large
    if peak_large <= peak_small * FLAT_TOLERANCE:
        return "flat"
    per_row = (peak_large - peak_small) / (rows_large - rows_small)
    return (
        f"NOT flat: grows {peak_large / peak_small:.1f}x for {rows_large / rows_small:.0f}x the "
        f"rows (~{per_row:,.0f} bytes per extra row)"
    )


def measure(label: str, rows: int, store_for: Callable[[int], RecordStore], dry_run: bool) -> None:
    """Speed untraced at `rows`; peak memory traced (slower) at a tenth of them and at all."""
    elapsed, _, totals, size = run(rows, store_for(rows), dry_run=dry_run, trace=False)
    print(
        f"{label}: {rows:,} rows ({size / 1e6:.1f} MB CSV) in {elapsed:.1f} s = "
        f"{rows / elapsed:,.0f} rows/s (untraced); counts {totals.model_dump()}"
    )
    results = []
    for count in (max(rows // 10, 1000), rows):
        _, peak, _, _ = run(count, store_for(count), dry_run=dry_run, trace=True)
        results.append((count, peak))
        print(f"{label}: peak Python allocations {peak / 1e6:6.1f} MB for {count:>9,} rows")
    print(f"{label}: {verdict(results[0], results[1])}")


def in_memory(_: int) -> RecordStore:
    return InMemoryRecordStore(links={cp: f"acc-{cp[-4:]}" for cp in COUNTERPARTIES})


def dynamodb_local_stores() -> tuple[Callable[[int], RecordStore], Callable[[], None]]:
    """A fresh DynamoRecordStore per run (its own table, counterparties linked)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = int(probe.getsockname()[1])
    process_ = start_dynamodb_local(REPO, port, open(os.devnull, "wb"))  # noqa: SIM115
    dynamodb = client("dynamodb", f"http://{LOOPBACK}:{port}")

    def store_for(rows: int) -> RecordStore:
        name = f"records-{rows}-{time.monotonic_ns()}"
        create_table(dynamodb, name, TOPOLOGY.tables[0])
        store = DynamoRecordStore(dynamodb, None, name, "unused")
        for cp in COUNTERPARTIES:
            store.record_account(f"acc-{cp[-4:]}", cp, 1)
        links = [testdata.counterparty(cp, f"acc-{cp[-4:]}", cp) for cp in COUNTERPARTIES]
        context = IngestContext(publisher=PUBLISHER, correlation_id="bench", clock=lambda: NOW)
        ingest(RecordKind.COUNTERPARTIES, enumerate(links), store, context)
        return store

    return store_for, lambda: stop_process(process_)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=100_000, help="dry-run rows")
    parser.add_argument("--real-rows", type=int, default=20_000, help="real upload rows")
    args = parser.parse_args(argv)
    measure("dry run", args.rows, in_memory, dry_run=True)
    print(
        "  (a dry run keeps the state its accepted rows would leave, one per distinct "
        "reference, to judge later rows as a real run would: logic/dry_run.py)"
    )
    store_for, stop = dynamodb_local_stores()
    try:
        measure("real upload (DynamoDB Local)", args.real_rows, store_for, dry_run=False)
    finally:
        stop()


if __name__ == "__main__":
    main()
