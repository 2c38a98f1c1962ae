"""A 10,000-row upload on the local runtime: seconds from upload to all events published.

    .venv/bin/python -m bench.provisioning_upload [rows] [path/to/endpoints.json]

Uses a running `make run` when given its endpoints.json, else starts the runtime itself.
Uploads a trades CSV with `scts-publish`'s own functions (presigned PUT, complete), waits
for the upload to complete, and counts the TradeExecuted events that reached the bus with
an EventBridge archive on it. Prints the three times.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from infra.local.aws import client
from infra.local.control import start_runtime
from infra.local.demo import provisioning as demo
from infra.local.demo import records as testdata
from services.provisioning.cli import publish

TIMEOUT_SECONDS = 1800


def write_csv(path: Path, rows: int, run_id: str) -> None:
    with path.open("w", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=[*testdata.trade().keys(), "cancellation_reason"])
        writer.writeheader()
        for number in range(rows):
            record = testdata.trade(f"B-{run_id}-{number:06d}", "STX-CP-0001")
            writer.writerow(
                {k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()}
            )


def archive_on_bus(endpoints: dict[str, Any], run_id: str) -> tuple[Any, str]:
    events = client("events", endpoints["aws_endpoint"])
    buses = [b for b in events.list_event_buses()["EventBuses"] if b["Name"] != "default"]
    name = f"bench-{run_id}"
    events.create_archive(
        ArchiveName=name,
        EventSourceArn=buses[0]["Arn"],
        EventPattern=json.dumps(
            {"source": ["scts.provisioning"], "detail-type": ["TradeExecuted"]}
        ),
    )
    return events, name


def measure(endpoints: dict[str, Any], rows: int) -> None:
    run_id = uuid.uuid4().hex[:8]
    key = next(p["api_key"] for p in endpoints["publishers"] if p["name"] == demo.PUBLISHER)
    events, archive = archive_on_bus(endpoints, run_id)
    api = publish.Client(endpoints["ingest_apis"]["provisioning"], key)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trades.csv"
        write_csv(path, rows, run_id)
        started = time.monotonic()
        upload_id = publish.upload(api, path, "trades", "csv", dry_run=False)
        uploaded = time.monotonic()
        status = publish.wait(api, upload_id, 0.5, TIMEOUT_SECONDS)
        processed = time.monotonic()
    published = 0
    while published < status["counts"]["accepted"]:
        if time.monotonic() - started > TIMEOUT_SECONDS:
            break
        published = events.describe_archive(ArchiveName=archive)["EventCount"]
        time.sleep(0.5)
    done = time.monotonic()
    print(f"rows: {rows:,}  counts: {status['counts']}")
    print(f"upload (presigned PUT + complete): {uploaded - started:.1f} s")
    print(f"upload -> processing completed: {processed - started:.1f} s")
    print(f"upload -> all {published:,} TradeExecuted events on the bus: {done - started:.1f} s")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    if len(sys.argv) > 2:
        measure(json.loads(Path(sys.argv[2]).read_text()), rows)
        return
    with tempfile.TemporaryDirectory() as state:
        runtime = start_runtime(Path(state))
        try:
            measure(runtime.wait_ready(), rows)
        finally:
            runtime.interrupt()


if __name__ == "__main__":
    main()
