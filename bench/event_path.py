"""The local event path under a 10,000-row upload: upload -> bus -> queue -> portfolio.

    .venv/bin/python -m bench.event_path [--rows 10000] [--endpoints .local/endpoints.json]

Uses a running `make run` when given its endpoints.json, else starts the runtime itself.
Uploads a trades CSV for the first demo account with `scts-publish`'s own functions and
samples every stage twice a second until every trade is projected:
- applied: the upload's status (provisioning validated and wrote every row + outbox item);
- on the bus: an EventBridge archive of TradeExecuted on the bus (relay -> PutEvents);
- queued: the portfolio subscription queue (visible + in flight) and its DLQ;
- projected: the trade count the portfolio API reports (`/summary`, as the trader).
Prints the time each stage finished, its throughput and the deepest queue seen, then the
CPU seconds each process of the runtime used meanwhile (`bench.process_cpu`), per event.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench import process_cpu
from bench.provisioning_upload import archive_on_bus, write_csv
from infra.local.aws import client
from infra.local.control import start_runtime
from infra.local.demo import ApiClient
from infra.local.demo import provisioning as demo
from infra.local.runtime import STAGE
from services.portfolio.topology import TOPOLOGY as PORTFOLIO
from services.provisioning.cli import publish
from tests.support.trade_flow import token

TIMEOUT_SECONDS = 1800
SAMPLE_SECONDS = 0.5


@dataclass
class Sample:
    at: float
    on_bus: int
    queued: int
    dead: int
    projected: int


@dataclass
class Timeline:
    started: float
    samples: list[Sample] = field(default_factory=list)

    def first(self, what: str, value: int) -> float | None:
        return next((s.at - self.started for s in self.samples if getattr(s, what) >= value), None)


def ok_json(response: requests.Response) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.text}")
    return response.json()


def projected_trades(portfolio: ApiClient, account_id: str) -> int:
    summary = ok_json(portfolio.get(f"/v1/accounts/{account_id}/summary"))
    return sum(
        int(status["trades"])
        for year in summary.get("trades_by_year", [])
        for status in year["by_status"]
    )


def queue_urls(sqs: Any) -> tuple[str, str]:
    subscription = next(s for s in PORTFOLIO.subscriptions if s.name == "provisioning-events")
    queue = sqs.get_queue_url(QueueName=PORTFOLIO.queue_name(STAGE, subscription))
    dlq = sqs.get_queue_url(QueueName=PORTFOLIO.dlq_name(STAGE, subscription))
    return queue["QueueUrl"], dlq["QueueUrl"]


def depth(sqs: Any, url: str) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[n]) for n in names)


def measure(endpoints: dict[str, Any], rows: int, state_dir: Path) -> None:
    run_id = uuid.uuid4().hex[:8]
    admin = ApiClient(endpoints["services"]["identity"], token(endpoints, "scts-admin", None))
    first_account = ok_json(admin.get("/v1/accounts"))["items"][0]  # linked to STX-CP-0001
    portfolio = ApiClient(
        endpoints["services"]["portfolio"], token(endpoints, "trader", first_account["name"])
    )
    account_id = first_account["account_id"]
    sqs = client("sqs", endpoints["aws_endpoint"])
    queue_url, dlq_url = queue_urls(sqs)
    events, archive = archive_on_bus(endpoints, run_id)
    baseline = projected_trades(portfolio, account_id)
    key = next(p["api_key"] for p in endpoints["publishers"] if p["name"] == demo.PUBLISHER)
    api = publish.Client(endpoints["ingest_apis"]["provisioning"], key)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trades.csv"
        write_csv(path, rows, run_id)
        root = process_cpu.runtime_pid(state_dir)
        cpu_before = process_cpu.cpu_seconds(root) if root else None
        timeline = Timeline(time.monotonic())
        done = threading.Event()
        sampler = threading.Thread(
            target=sample_until_projected,
            args=(timeline, rows, done),
            kwargs={
                "on_bus": lambda: events.describe_archive(ArchiveName=archive)["EventCount"],
                "queued": lambda: depth(sqs, queue_url),
                "dead": lambda: depth(sqs, dlq_url),
                "projected": lambda: projected_trades(portfolio, account_id) - baseline,
            },
            daemon=True,
        )
        sampler.start()
        upload_id = publish.upload(api, path, "trades", "csv", dry_run=False)
        status = publish.wait(api, upload_id, 0.5, TIMEOUT_SECONDS)
        applied = time.monotonic() - timeline.started
        sampler.join(TIMEOUT_SECONDS)
        done.set()
        wall = time.monotonic() - timeline.started
        cpu_after = process_cpu.cpu_seconds(root) if root else None
    report(timeline, rows, status, applied)
    if cpu_before is not None and cpu_after is not None:
        process_cpu.report(cpu_before, cpu_after, rows, wall)
    else:
        print(f"no runtime.pid in {state_dir}: CPU per process not measured")


def sample_until_projected(
    timeline: Timeline, rows: int, done: threading.Event, **probes: Any
) -> None:
    while not done.is_set() and time.monotonic() - timeline.started < TIMEOUT_SECONDS:
        values = {name: probe() for name, probe in probes.items()}
        timeline.samples.append(Sample(at=time.monotonic(), **values))
        if values["projected"] >= rows:
            return
        time.sleep(SAMPLE_SECONDS)


def report(timeline: Timeline, rows: int, status: dict[str, Any], applied: float) -> None:
    def at(what: str, value: int) -> str:
        seconds = timeline.first(what, value)
        return "not reached" if seconds is None else f"{seconds:6.1f} s"

    def rate(what: str) -> str:
        start, end = timeline.first(what, 1), timeline.first(what, rows)
        if start is None or end is None or end <= start:
            return ""
        return f"  ({rows / (end - start):,.0f} events/s from the first)"

    last = timeline.samples[-1]
    print(f"rows: {rows:,}  upload counts: {json.dumps(status['counts'])}")
    print(f"upload applied (validated, rows + outbox written): {applied:6.1f} s")
    print(f"first TradeExecuted on the bus:                    {at('on_bus', 1)}")
    print(
        f"all {rows:,} on the bus (relay + PutEvents):        {at('on_bus', rows)}{rate('on_bus')}"
    )
    print(f"first projected in portfolio:                      {at('projected', 1)}")
    print(
        f"all {rows:,} projected (portfolio /summary):       {at('projected', rows)}"
        f"{rate('projected')}"
    )
    deepest = max(s.queued for s in timeline.samples)
    print(f"deepest portfolio queue (visible + in flight):     {deepest:,}")
    print(f"portfolio DLQ at the end:                          {last.dead:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--endpoints", type=Path, help="endpoints.json of a running runtime")
    args = parser.parse_args(argv)
    if args.endpoints:
        measure(json.loads(args.endpoints.read_text()), args.rows, args.endpoints.parent)
        return 0
    with tempfile.TemporaryDirectory(prefix="scts-event-path-") as state:
        runtime = start_runtime(Path(state))
        try:
            measure(runtime.wait_ready(), args.rows, Path(state))
        finally:
            runtime.interrupt()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
