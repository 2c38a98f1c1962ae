"""Trades pushed through the ingest API of a running local runtime, and a check of what the
portfolio shows against what was sent: shared by the fault e2e tests and `bench.faults`.

Each run books its trades on its own trade date (so the portfolio's list filtered on that
date and the summary's counters for that date's year hold this run's trades only). The
check (`tally`) counts, against the last version sent of each trade:
- lost: a trade missing from the list, or shown at an older version (a lost amendment);
- duplicated: a trade listed twice, or more trades in the year's counters than were sent
  (a fact applied twice);
- wrong: a trade at the right version with another volume or status, or the year's volume
  counters different from the sum of what was sent.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import requests

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.demo import ApiClient
from infra.local.demo import provisioning as demo
from infra.local.demo import records as testdata
from infra.local.ports import Ports
from infra.local.runtime import STAGE
from services.topologies import TOPOLOGIES

ACCOUNT = "Nordic Green Energy BV"
PAGE = 200
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def token(endpoints: dict[str, Any], role: str, account: str | None) -> str:
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


def host_port(endpoints: dict[str, Any], host: str) -> int:
    """The function host port of a service (or `platform`, the outbox relay's host)."""
    base = int(endpoints["aws_endpoint"].rsplit(":", 1)[1])
    names = [t.service for t in TOPOLOGIES] + ["platform"]
    return Ports(base, len(TOPOLOGIES)).host(names.index(host))


def host_pid(endpoints: dict[str, Any], host: str, timeout: float = 60) -> int:
    """The process id of a running function host (waits while it is being restarted)."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{host_port(endpoints, host)}/health"
    while True:
        try:
            return int(requests.get(url, timeout=2).json()["pid"])
        except (requests.RequestException, ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def dead_letter_depths(endpoints: dict[str, Any]) -> dict[str, int]:
    """Every DLQ of the local stage and how many messages it holds."""
    sqs = client("sqs", endpoints["aws_endpoint"])
    urls = sqs.list_queues(QueueNamePrefix=f"scts-{STAGE}-").get("QueueUrls", [])
    depths = {}
    for url in urls:
        if url.endswith("-dlq"):
            names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            depths[url.rsplit("/", 1)[1]] = sum(int(found[n]) for n in names)
    return depths


@dataclass(frozen=True)
class Expected:
    version: int
    volume: Decimal
    status: str


@dataclass
class Tally:
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.lost == self.duplicated == self.wrong == 0

    def __str__(self) -> str:
        return f"lost {self.lost}, duplicated {self.duplicated}, wrong {self.wrong}"


@dataclass
class Sent:
    """What a publisher was told was accepted (or already there), per trade reference."""

    trades: dict[str, Expected] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    refusals: dict[int | str, int] = field(default_factory=dict)


class TradeFlow:
    """One account of a running runtime: push trades as the demo publisher, read them
    back as the account's trader."""

    def __init__(self, endpoints: dict[str, Any], trade_date: date, run: str) -> None:
        self.endpoints = endpoints
        self.trade_date = trade_date
        self.run = run
        admin = ApiClient(endpoints["services"]["identity"], token(endpoints, "scts-admin", None))
        accounts = admin.get("/v1/accounts", timeout=30).json()["items"]
        self.account_count = len(accounts)
        position = next(n for n, a in enumerate(accounts) if a["name"] == ACCOUNT)
        self.account_id: str = accounts[position]["account_id"]
        # The demo links STX-CP-<n> to the n-th account of this same list.
        self.counterparty = f"STX-CP-{position + 1:04d}"
        self.reader = ApiClient(
            endpoints["services"]["portfolio"], token(endpoints, "trader", ACCOUNT)
        )
        self.publisher = ApiClient(endpoints["ingest_apis"]["provisioning"])
        self.publisher.session.headers["x-api-key"] = next(
            p["api_key"] for p in endpoints["publishers"] if p["name"] == demo.PUBLISHER
        )
        self.sent = Sent()

    def new_trades(self, count: int, rng: random.Random) -> list[dict[str, Any]]:
        return [
            testdata.trade(
                f"STX-T-{self.run}-{n:05d}",
                self.counterparty,
                volume=str(rng.randint(10, 5_000)),
                trade_date=self.trade_date,
            )
            for n in range(count)
        ]

    def amendments(self, trades: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
        return [
            testdata.trade(
                t["reference"],
                self.counterparty,
                version=2,
                status="amended",
                volume=str(rng.randint(10, 5_000)),
                trade_date=self.trade_date,
            )
            for t in trades
        ]

    def push(
        self, records: list[dict[str, Any]], give_up_after: float = 300, pause: float = 0.5
    ) -> None:
        """POST one batch, retrying (as a publisher does) until it is answered 200; then
        every record accepted or duplicate is recorded as sent."""
        deadline = time.monotonic() + give_up_after
        while True:
            self.sent.requests += 1
            try:
                answer = self.publisher.post("/v1/trades", json={"records": records}, timeout=120)
                status: int | str = answer.status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            if status == 200:
                break
            if status not in RETRY_STATUSES and not isinstance(status, str):
                raise RuntimeError(f"ingest refused the batch: {status} {answer.text[:300]}")
            self.sent.refusals[status] = self.sent.refusals.get(status, 0) + 1
            self.sent.retries += 1
            if time.monotonic() > deadline:
                raise TimeoutError(f"ingest kept failing: {self.sent.refusals}")
            time.sleep(pause)
        for record, result in zip(records, answer.json()["results"], strict=True):
            if result["status"] not in ("accepted", "duplicate"):
                raise RuntimeError(f"{record['reference']} rejected: {result}")
            known = self.sent.trades.get(record["reference"])
            if known is None or record["version"] > known.version:
                self.sent.trades[record["reference"]] = Expected(
                    record["version"], Decimal(record["volume_mwh"]), record["status"]
                )

    def shown(self) -> list[dict[str, Any]]:
        """Every trade of the run's trade date the trader's portfolio lists."""
        rows: list[dict[str, Any]] = []
        cursor: str | None = None
        day = self.trade_date.isoformat()
        while True:
            params: dict[str, Any] = {"limit": PAGE, "trade_date_from": day, "trade_date_to": day}
            if cursor:
                params["cursor"] = cursor
            answer = self.reader.get(f"/v1/accounts/{self.account_id}/trades", params=params)
            answer.raise_for_status()
            page = answer.json()
            rows.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return rows

    def year_counters(self) -> dict[str, dict[str, Decimal]]:
        """The summary's counters (status -> trades, volume) for the run's trade year."""
        answer = self.reader.get(f"/v1/accounts/{self.account_id}/summary")
        answer.raise_for_status()
        for year in answer.json()["trades_by_year"]:
            if str(year["year"]) == str(self.trade_date.year):
                return {
                    count["status"]: {
                        "trades": Decimal(str(count["trades"])),
                        "volume_mwh": Decimal(str(count["volume_mwh"])),
                    }
                    for count in year["by_status"]
                }
        return {}

    def tally(self) -> Tally:
        return tally(self.sent.trades, self.shown(), self.year_counters())

    def wait_until_clean(
        self, deadline_seconds: float, on_wait: Callable[[Tally], None] | None = None
    ) -> Tally:
        """The tally once clean, or the last one when the deadline passes."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            found = self.tally()
            if found.clean or time.monotonic() > deadline:
                return found
            if on_wait:
                on_wait(found)
            time.sleep(2)


def tally(
    sent: dict[str, Expected],
    rows: list[dict[str, Any]],
    counters: dict[str, dict[str, Decimal]],
) -> Tally:
    result = Tally()
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["reference"] in seen:
            result.duplicated += 1
            result.examples.append(f"{row['reference']} listed twice")
        seen[row["reference"]] = row
    for reference, expected in sent.items():
        shown = seen.get(reference)
        if shown is None or int(shown["version"]) < expected.version:
            result.lost += 1
            result.examples.append(
                f"{reference} v{expected.version}: shown {shown and shown['version']}"
            )
        elif (
            int(shown["version"]) != expected.version
            or Decimal(str(shown["volume_mwh"])) != expected.volume
            or (expected.status == "cancelled") != (shown["status"] == "cancelled")
        ):
            result.wrong += 1
            result.examples.append(f"{reference}: sent {expected}, shown {shown}")
    counted = sum(int(v.get("trades", 0)) for v in counters.values())
    if counted > len(sent):
        result.duplicated += counted - len(sent)
        result.examples.append(f"year counters hold {counted} trades, {len(sent)} sent")
    if not result.lost and counted == len(sent):
        volume = sum((v.get("volume_mwh", Decimal(0)) for v in counters.values()), Decimal(0))
        expected_volume = sum(
            (e.volume for e in sent.values() if e.status != "cancelled"), Decimal(0)
        )
        if volume != expected_volume:
            result.wrong += 1
            result.examples.append(f"year volume {volume}, sent {expected_volume}")
    return result
