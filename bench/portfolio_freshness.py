"""Freshness on the local runtime: ingest accepted -> visible in the portfolio API.

    .venv/bin/python -m bench.portfolio_freshness [--trades 200] [--batch 1]

Starts `python -m infra.local` itself (demo data on: it provides the publisher key, the
accounts and their users), waits until the demo book is projected, then pushes new trades
through provisioning's ingest API with the demo publisher key, one small batch at a time. For
each trade it measures from the moment the ingest request returned `accepted` to the first
200 of `GET /v1/accounts/{id}/trades/{reference}` as the account's trader (polled). The
path covered: outbox write -> DynamoDB stream -> relay -> EventBridge -> SQS -> projector
-> read model -> API. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.control import free_base_port, start_runtime
from infra.local.demo import ApiClient
from infra.local.demo import provisioning as demo
from infra.local.demo import records as testdata
from infra.local.demo.book import demo_dataset
from infra.local.runtime import STAGE
from services import TOPOLOGIES
from services.portfolio.topology import TOPOLOGY as PORTFOLIO

ACCOUNT = "Nordic Green Energy BV"
WARM_UP_DEADLINE_SECONDS = 180
QUIET_CHECKS = 3


def _json(response: requests.Response) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.text}")
    return response.json()


def _token(endpoints: dict[str, Any], role: str, account: str | None) -> str:
    user = next(
        u
        for u in endpoints["users"]
        if u["role"] == role and (account is None or u["account"] == account)
    )
    cognito = endpoints["cognito"]
    pool = UserPool(
        cognito["endpoint"], cognito["region"], cognito["user_pool_id"], cognito["client_id"]
    )
    tokens = login(
        client("cognito-idp", pool.endpoint),
        pool,
        user["username"],
        user["password"],
        user.get("totp_secret"),
    )
    return str(tokens["AccessToken"])


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def wait_visible(
    trader: ApiClient, account_id: str, reference: str, poll: float, deadline: float
) -> float:
    """Monotonic time of the first 200 for the trade's detail route."""
    while True:
        answer = trader.get(f"/v1/accounts/{account_id}/trades/{reference}")
        now = time.monotonic()
        if answer.status_code == 200:
            return now
        if answer.status_code != 404:
            raise RuntimeError(f"trade detail {reference}: {answer.status_code} {answer.text}")
        if now > deadline:
            raise TimeoutError(f"{reference} not visible in time")
        time.sleep(poll)


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


def measure(endpoints: dict[str, Any], trades: int, batch: int, poll: float) -> None:
    admin = ApiClient(endpoints["services"]["identity"], _token(endpoints, "scts-admin", None))
    accounts = _json(admin.get("/v1/accounts"))["items"]
    # The demo links STX-CP-<n> to the n-th account of this same list.
    position = next(n for n, a in enumerate(accounts) if a["name"] == ACCOUNT)
    account_id = accounts[position]["account_id"]
    counterparty = f"STX-CP-{position + 1:04d}"
    trader = ApiClient(endpoints["services"]["portfolio"], _token(endpoints, "trader", ACCOUNT))
    publisher = ApiClient(endpoints["ingest_apis"]["provisioning"])  # publisher routes
    publisher.session.headers["x-api-key"] = next(
        p["api_key"] for p in endpoints["publishers"] if p["name"] == demo.PUBLISHER
    )

    book = demo_dataset(
        [f"STX-CP-{n + 1:04d}" for n in range(len(accounts))],
        demo.TRADES_PER_ACCOUNT,
        today=datetime.now(UTC).date(),  # the day the demo was pushed (a run at midnight differs)
    )
    last_demo_trade = [t for t in book["trades"] if t["counterparty_reference"] == counterparty][
        -1
    ]["reference"]
    started = time.monotonic()
    wait_visible(trader, account_id, last_demo_trade, 0.5, started + WARM_UP_DEADLINE_SECONDS)
    drained(endpoints, started + WARM_UP_DEADLINE_SECONDS)
    print(f"demo book projected {time.monotonic() - started:.1f} s after ready")

    run = uuid.uuid4().hex[:8].upper()
    freshness: list[float] = []
    ingest: list[float] = []
    for start in range(0, trades, batch):
        records = [
            testdata.trade(f"STX-T-FRESH-{run}-{n:05d}", counterparty)
            for n in range(start, min(start + batch, trades))
        ]
        sent = time.monotonic()
        result = _json(
            publisher.post(
                "/v1/trades",
                json={"records": records},
                headers={"Idempotency-Key": f"freshness-{run}-{start}"},
            )
        )
        accepted = time.monotonic()
        ingest.append(accepted - sent)
        if result["counts"]["accepted"] != len(records):
            raise RuntimeError(f"not all accepted: {result['counts']}")
        for record in records:
            visible = wait_visible(trader, account_id, record["reference"], poll, accepted + 60)
            freshness.append(visible - accepted)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    print(f"trades {len(freshness)} (batches of {batch}), poll every {ms(poll)}")
    print(
        "accepted -> visible: "
        f"p50 {ms(percentile(freshness, 0.5))}, p99 {ms(percentile(freshness, 0.99))}, "
        f"mean {ms(statistics.fmean(freshness))}, max {ms(max(freshness))}"
    )
    print(f"ingest request: p50 {ms(percentile(ingest, 0.5))}, p99 {ms(percentile(ingest, 0.99))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trades", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--poll-seconds", type=float, default=0.02)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="scts-freshness-") as state:
        runtime = start_runtime(free_base_port(len(TOPOLOGIES)), Path(state))
        try:
            endpoints = runtime.wait_ready()
            print(f"runtime ready in {endpoints['ready_seconds']} s")
            measure(endpoints, args.trades, args.batch, args.poll_seconds)
        finally:
            runtime.interrupt()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
