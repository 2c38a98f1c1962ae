"""Upload speed and memory for large trades CSVs (prints figures; not a test).

    .venv/bin/python -m bench.provisioning_validation [rows] [--real-rows N]

Generates the CSV on the fly (never held in memory) and streams it through the code an
upload runs (`logic.uploads.process`), two ways:
- dry run: validate + judge every row, no writes (an in-memory store answers the reads);
- real upload: the same, writing every chunk (states + outbox events, one transaction per
  50 records) to DynamoDB Local through the real `DynamoRecordStore`. The file comes from
  the generator, not S3: moto would run inside this process and its allocations would be
  counted too; the S3 body is read line by line either way.
Each way runs at two sizes (a tenth of the rows, then all of them). Memory: for the dry
run the peak of Python allocations (tracemalloc, in a second, traced run); for the real
upload the highest resident memory of a child process per size, sampled while it runs
(tracing allocations through boto3 is far too slow). "flat" is printed only when the
larger run needs at most 50 bytes more per extra row; otherwise the growth per row is.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.local.aws import LOOPBACK, client, start_dynamodb_local, stop_process
from infra.local.demo import records as testdata
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic.ingest import IngestContext, ingest
from services.provisioning.logic.ports import RecordStore
from services.provisioning.logic.uploads import process
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from services.provisioning.topology import TOPOLOGY
from tests.support.provisioning_fakes import InMemoryRecordStore
from tests.support.tables import create_table

REPO = Path(__file__).resolve().parent.parent
COUNTERPARTIES = [f"STX-CP-{n:04d}" for n in range(20)]
COLUMNS = [*testdata.trade().keys(), "cancellation_reason"]
FLAT_BYTES_PER_ROW = 50
"""At most this much more peak memory per extra row is "flat" (100,000 rows: < 5 MB)."""
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
    per_row = (peak_large - peak_small) / (rows_large - rows_small)
    growth = (
        f"{(peak_large - peak_small) / 1e6:+.1f} MB ({peak_large / peak_small:.2f}x) for "
        f"{rows_large / rows_small:.0f}x the rows, ~{per_row:,.0f} bytes per extra row"
    )
    return f"flat: {growth}" if per_row <= FLAT_BYTES_PER_ROW else f"NOT flat: {growth}"


def sizes(rows: int) -> tuple[int, int]:
    return max(rows // 10, 1000), rows


def dry_run(rows: int) -> None:
    """Speed untraced; peak traced allocations at two sizes."""
    elapsed, _, totals, size = run(rows, in_memory(), dry_run=True, trace=False)
    label = "dry run"
    print(
        f"{label}: {rows:,} rows ({size / 1e6:.1f} MB CSV) in {elapsed:.1f} s = "
        f"{rows / elapsed:,.0f} rows/s; counts {totals.model_dump()}"
    )
    results = []
    for count in sizes(rows):
        _, peak, _, _ = run(count, in_memory(), dry_run=True, trace=True)
        results.append((count, peak))
        print(f"{label}: peak Python allocations {peak / 1e6:6.1f} MB for {count:>9,} rows")
    print(f"{label}: {verdict(results[0], results[1])}")
    print(
        "  (a dry run keeps the state its accepted rows would leave, one per distinct "
        "reference, to judge later rows as a real run would: logic/dry_run.py)"
    )


def real_upload(rows: int) -> None:
    """Each size in a child process of its own (tracing allocations through boto3 is far
    too slow): its resident memory before the upload and the highest while it ran."""
    label = "real upload (DynamoDB Local)"
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = int(probe.getsockname()[1])
    dynamodb = start_dynamodb_local(REPO, port, open(os.devnull, "wb"))  # noqa: SIM115
    try:
        results = []
        for count in sizes(rows):
            answer = subprocess.run(  # noqa: S603 - this module, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "bench.provisioning_validation",
                    "--child-real",
                    str(count),
                    f"http://{LOOPBACK}:{port}",
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            child = json.loads(answer.stdout.strip().splitlines()[-1])
            results.append((count, child["peak_rss"]))
            print(
                f"{label}: {count:>9,} rows ({child['csv_bytes'] / 1e6:.1f} MB CSV) in "
                f"{child['seconds']:.1f} s = {count / child['seconds']:,.0f} rows/s; resident "
                f"{child['baseline_rss'] / 1e6:.1f} MB before, at most "
                f"{child['peak_rss'] / 1e6:.1f} MB during; counts {child['counts']}"
            )
        print(f"{label}: highest resident memory {verdict(results[0], results[1])}")
    finally:
        stop_process(dynamodb)


def resident_bytes() -> int:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def child_real(rows: int, url: str) -> None:
    """One real upload of `rows` rows against DynamoDB Local at `url`; prints JSON with the
    resident memory before it and the highest seen while it ran (sampled every 20 ms)."""
    store = dynamodb_store(client("dynamodb", url), rows)
    baseline = resident_bytes()
    highest = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            highest[0] = max(highest[0], resident_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    elapsed, _, totals, size = run(rows, store, dry_run=False, trace=False)
    done.set()
    sampler.join()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "csv_bytes": size,
                "baseline_rss": baseline,
                "peak_rss": max(highest[0], resident_bytes()),
                "counts": totals.model_dump(),
            }
        )
    )


def in_memory() -> RecordStore:
    return InMemoryRecordStore(links={cp: f"acc-{cp[-4:]}" for cp in COUNTERPARTIES})


def dynamodb_store(dynamodb: Any, rows: int) -> RecordStore:
    """A fresh DynamoRecordStore (its own table, counterparties linked)."""
    name = f"records-{rows}-{time.monotonic_ns()}"
    create_table(dynamodb, name, TOPOLOGY.tables[0])
    store = DynamoRecordStore(dynamodb, None, name, "unused")
    for cp in COUNTERPARTIES:
        store.record_account(f"acc-{cp[-4:]}", cp, 1)
    links = [testdata.counterparty(cp, f"acc-{cp[-4:]}", cp) for cp in COUNTERPARTIES]
    context = IngestContext(publisher=PUBLISHER, correlation_id="bench", clock=lambda: NOW)
    ingest(RecordKind.COUNTERPARTIES, enumerate(links), store, context)
    return store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=100_000, help="dry-run rows")
    parser.add_argument("--real-rows", type=int, default=20_000, help="real upload rows")
    parser.add_argument("--child-real", nargs=2, metavar=("ROWS", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_real:
        child_real(int(args.child_real[0]), args.child_real[1])
        return
    dry_run(args.rows)
    real_upload(args.real_rows)


if __name__ == "__main__":
    main()
