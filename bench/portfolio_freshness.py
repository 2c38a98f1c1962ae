"""Freshness on the local runtime: ingest accepted -> visible in the portfolio API.

    .venv/bin/python -m bench.portfolio_freshness [--single 200] [--batches 3] [--batch-size 500]

Starts `python -m infra.local` itself (demo data on: it provides the publisher key, the
accounts and their users), waits until the demo book is projected, then pushes new trades
through provisioning's ingest API (the REST API publishers call, with the demo publisher's
key) in two ways:
- single: one trade per request, the next sent once the previous is visible;
- batch: requests of `--batch-size` records (500 is the API's maximum), one after another
  once the previous batch is fully visible.
Each trade's freshness runs from the moment its ingest request returned `accepted` to the
first poll in which the account's trader sees it in the portfolio API (single: its detail
route, polled every `--poll-seconds`; batch: the trade list filtered on the run's trade
date, so one poll sees the whole batch). The path covered: outbox write -> DynamoDB stream
-> relay -> EventBridge -> SQS -> projector -> read model -> API. Prints p50/p95/p99 per
mode; not a test.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from infra.local.aws import client
from infra.local.control import start_runtime
from infra.local.demo import provisioning as demo
from infra.local.demo.book import demo_dataset
from infra.local.runtime import STAGE
from services.portfolio.topology import TOPOLOGY as PORTFOLIO
from tests.support.trade_flow import TradeFlow

WARM_UP_DEADLINE_SECONDS = 300
VISIBLE_DEADLINE_SECONDS = 300
QUIET_CHECKS = 3


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def drained(endpoints: dict[str, Any], deadline: float) -> None:
    """Waits until the projector's queue stays empty for a few seconds (demo backlog gone)."""
    sqs = client("sqs", endpoints["aws_endpoint"])
    subscription = next(s for s in PORTFOLIO.subscriptions if s.name == "provisioning-events")
    url = sqs.get_queue_url(QueueName=PORTFOLIO.queue_name(STAGE, subscription))["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    quiet = 0
    while quiet < QUIET_CHECKS:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        quiet = quiet + 1 if all(attributes[n] == "0" for n in names) else 0
        if time.monotonic() > deadline:
            raise TimeoutError("the demo backlog did not drain")
        time.sleep(1)


def demo_book_projected(flow: TradeFlow, endpoints: dict[str, Any]) -> None:
    book = demo_dataset(
        [f"STX-CP-{n + 1:04d}" for n in range(flow.account_count)],
        demo.TRADES_PER_ACCOUNT,
        today=datetime.now(UTC).date(),  # the day the demo was pushed (a run at midnight differs)
    )
    last = [t for t in book["trades"] if t["counterparty_reference"] == flow.counterparty][-1]
    started = time.monotonic()
    path = f"/v1/accounts/{flow.account_id}/trades/{last['reference']}"
    while flow.reader.get(path).status_code != 200:
        if time.monotonic() > started + WARM_UP_DEADLINE_SECONDS:
            raise TimeoutError("the demo book was not projected")
        time.sleep(0.5)
    drained(endpoints, started + WARM_UP_DEADLINE_SECONDS)
    print(f"demo book projected {time.monotonic() - started:.1f} s after ready")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(label: str, freshness: list[float], ingest: list[float]) -> None:
    print(
        f"{label}: {len(freshness)} trades; accepted -> visible "
        f"p50 {ms(percentile(freshness, 0.5))}, p95 {ms(percentile(freshness, 0.95))}, "
        f"p99 {ms(percentile(freshness, 0.99))}, max {ms(max(freshness))}, "
        f"mean {ms(statistics.fmean(freshness))}"
    )
    print(
        f"{label}: ingest request p50 {ms(percentile(ingest, 0.5))}, "
        f"p99 {ms(percentile(ingest, 0.99))} ({len(ingest)} requests)"
    )


def timed_push(flow: TradeFlow, records: list[dict[str, Any]]) -> tuple[float, float]:
    """(seconds the ingest request took, monotonic time it returned accepted)."""
    sent = time.monotonic()
    retries = flow.sent.retries
    flow.push(records)
    accepted = time.monotonic()
    if flow.sent.retries != retries:
        raise RuntimeError(f"ingest answered {flow.sent.refusals} during the measurement")
    return accepted - sent, accepted


def single(flow: TradeFlow, count: int, poll: float) -> None:
    freshness: list[float] = []
    ingest: list[float] = []
    for record in flow.new_trades(count, random.Random(5)):
        took, accepted = timed_push(flow, [record])
        ingest.append(took)
        path = f"/v1/accounts/{flow.account_id}/trades/{record['reference']}"

        def visible(path: str = path) -> bool:
            return bool(flow.reader.get(path).status_code == 200)

        freshness.append(poll_until(visible, poll) - accepted)
    report(f"single trades (poll every {ms(poll)})", freshness, ingest)


def batches(flow: TradeFlow, count: int, size: int, poll: float) -> None:
    freshness: list[float] = []
    ingest: list[float] = []
    rng = random.Random(7)
    run = flow.run
    for number in range(count):
        flow.run = f"{run}B{number}"
        records = flow.new_trades(size, rng)
        took, accepted = timed_push(flow, records)
        ingest.append(took)
        waiting = {r["reference"] for r in records}
        deadline = accepted + VISIBLE_DEADLINE_SECONDS
        while waiting:
            shown = {row["reference"] for row in flow.shown()}
            now = time.monotonic()
            freshness += [now - accepted] * len(waiting & shown)
            waiting -= shown
            if now > deadline:
                raise TimeoutError(f"{len(waiting)} trades of the batch not visible in time")
            time.sleep(poll)
    report(f"batches of {size} (list polled every {ms(poll)})", freshness, ingest)


def poll_until(condition: Callable[[], bool], poll: float) -> float:
    deadline = time.monotonic() + VISIBLE_DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("not visible in time")
        time.sleep(poll)
    return time.monotonic()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--single", type=int, default=200, help="single trades (0: skip)")
    parser.add_argument("--batches", type=int, default=3, help="batches (0: skip)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--poll-seconds", type=float, default=0.02)
    parser.add_argument("--list-poll-seconds", type=float, default=0.25)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="scts-freshness-") as state:
        runtime = start_runtime(Path(state))
        try:
            endpoints = runtime.wait_ready()
            print(f"runtime ready in {endpoints['ready_seconds']} s")
            run = uuid.uuid4().hex[:6].upper()
            flow = TradeFlow(endpoints, date(2013, 5, 17), run)
            demo_book_projected(flow, endpoints)
            if args.single:
                single(flow, args.single, args.poll_seconds)
            if args.batches:
                batches(flow, args.batches, args.batch_size, args.list_poll_seconds)
        finally:
            runtime.interrupt()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
