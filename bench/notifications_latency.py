"""From ingest accepted to visible in the recipient's inbox, on the local runtime.

    .venv/bin/python -m bench.notifications_latency [--trades 30] [--endpoints <endpoints.json>]

Uses a running `make run` when given its endpoints.json, else starts the runtime itself
(and waits for the demo to be projected). Pushes one trade at a time through the ingest
API as the demo publisher and polls the Nordic trader's inbox (`GET /v1/me/notifications`,
every 50 ms) until the trade's notification shows; prints p50 / p90 / p99 / max from the
ingest's 2xx answer to the inbox showing it (targets: p50 < 1 s, p99 < 3 s).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from infra.local.control import start_runtime
from tests.e2e.notifications.portal import Portal, titled

POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 120


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(endpoints: dict[str, Any], trades: int) -> list[float]:
    portal = Portal(endpoints)
    counterparty = portal.counterparty(portal.account_id())
    trader = portal.as_role("notifications", "trader")
    seconds: list[float] = []
    for _ in range(trades):
        reference = portal.push_trade(counterparty)
        accepted = time.monotonic()
        while not titled(portal.inbox(trader, limit=20), reference):
            if time.monotonic() - accepted > TIMEOUT_SECONDS:
                raise TimeoutError(f"{reference} not in the inbox after {TIMEOUT_SECONDS} s")
            time.sleep(POLL_SECONDS)
        seconds.append(time.monotonic() - accepted)
    return seconds


def report(seconds: list[float]) -> str:
    return (
        f"ingest accepted -> in the trader's inbox, {len(seconds)} trades: "
        f"p50 {percentile(seconds, 0.5):.2f} s, p90 {percentile(seconds, 0.9):.2f} s, "
        f"p99 {percentile(seconds, 0.99):.2f} s, max {max(seconds):.2f} s, "
        f"mean {statistics.mean(seconds):.2f} s (targets p50 < 1 s, p99 < 3 s)"
    )


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trades", type=int, default=30)
    parser.add_argument("--endpoints", type=Path)
    args = parser.parse_args()
    if args.endpoints:
        print(report(measure(json.loads(args.endpoints.read_text()), args.trades)))
        return
    runtime = start_runtime(Path(tempfile.mkdtemp()))
    try:
        print(report(measure(runtime.wait_ready(), args.trades)))
    finally:
        runtime.interrupt()


if __name__ == "__main__":
    main()
