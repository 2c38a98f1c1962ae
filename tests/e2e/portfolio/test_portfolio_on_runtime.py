"""Issue 6 on the local runtime (`make run`): the demo book pushed through provisioning
reaches the portfolio for the right people only, usage and targets give a coverage figure,
and a rebuild from provisioning's outbox equals the live read model.

What the demo pushed is known exactly: `infra/local/demo/provisioning.py` links
STX-CP-<n> to the n-th account of identity's list and pushes
`demo_dataset(those references, TRADES_PER_ACCOUNT, today=...)` (seeded, deterministic).
Other e2e tests may push more trades for STX-CP-0001, so lists are checked to *contain*
the demo book, never to equal it. Usage data is written under ids unique to this run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import requests

from infra.local.aws import aws_environment, client
from infra.local.cognito import UserPool, login
from infra.local.demo import ApiClient
from infra.local.demo import provisioning as demo_provisioning
from infra.local.demo.book import demo_dataset
from infra.local.resources import create_table_request
from infra.local.runtime import STAGE
from services.portfolio import rebuild
from services.portfolio.topology import TOPOLOGY
from services.provisioning.topology import TOPOLOGY as PROVISIONING

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

ACCOUNT_A = "Nordic Green Energy BV"
ACCOUNT_B = "Saigon Solar Trading JSC"
VISIBILITY_DEADLINE_SECONDS = 120
"""Generous bound for the demo book to travel outbox -> relay -> bus -> queue -> projector."""
CONVERGENCE_DEADLINE_SECONDS = 60
POLL_SECONDS = 0.5
PAGE = 200
REPORTING_YEAR = 2025
"""A year the demo book has retirements reported for (`infra.local.demo.book`)."""


@dataclass(frozen=True)
class Book:
    """What the demo pushed for one account: each trade's final (version, published status),
    invoices, retirements. The portfolio derives a trade's shown status from its deliveries,
    so only `cancelled` is expected verbatim."""

    account_id: str
    trades: dict[str, tuple[int, str]]
    invoices: set[str]
    retirements: set[str]


@dataclass
class Portal:
    endpoints: dict[str, Any]
    accounts: dict[str, str]
    books: dict[str, Book]
    tokens: dict[tuple[str, str | None], str]

    def token(self, role: str, account: str | None) -> str:
        key = (role, account)
        if key not in self.tokens:
            user = next(
                u
                for u in self.endpoints["users"]
                if u["role"] == role and (account is None or u["account"] == account)
            )
            cognito = self.endpoints["cognito"]
            pool = UserPool(
                cognito["endpoint"],
                cognito["region"],
                cognito["user_pool_id"],
                cognito["client_id"],
            )
            tokens = login(
                client("cognito-idp", pool.endpoint),
                pool,
                user["username"],
                user["password"],
                user.get("totp_secret"),
            )
            self.tokens[key] = str(tokens["AccessToken"])
        return self.tokens[key]

    def portfolio(self, role: str, account: str | None) -> ApiClient:
        return ApiClient(self.endpoints["services"]["portfolio"], self.token(role, account))


def _json(response: requests.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()


def list_all(api: ApiClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a paged list (following the signed cursors)."""
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": PAGE, **params, **({"cursor": cursor} if cursor else {})}
        page = _json(api.get(path, params=query))
        rows.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def wait_until(condition: Callable[[], bool], deadline_seconds: float, what: str) -> None:
    deadline = time.monotonic() + deadline_seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached within {deadline_seconds} s: {what}")
        time.sleep(POLL_SECONDS)


def demo_books(accounts: list[dict[str, Any]]) -> dict[str, Book]:
    """The demo's book per account name, recomputed exactly as the demo step built it."""
    references = [f"STX-CP-{n + 1:04d}" for n in range(len(accounts))]
    today = datetime.now(UTC).date()  # the runtime this session started pushed it today
    data = demo_dataset(references, demo_provisioning.TRADES_PER_ACCOUNT, today=today)
    books = {}
    for reference, account in zip(references, accounts, strict=True):
        trades: dict[str, tuple[int, str]] = {}
        for record in data["trades"]:
            if record["counterparty_reference"] == reference:
                known = trades.get(record["reference"], (0, ""))
                if record["version"] > known[0]:
                    trades[record["reference"]] = (record["version"], record["status"])
        books[account["name"]] = Book(
            account_id=account["account_id"],
            trades=trades,
            invoices={
                r["reference"] for r in data["invoices"] if r["counterparty_reference"] == reference
            },
            retirements={
                r["reference"]
                for r in data["retirements"]
                if r["counterparty_reference"] == reference
            },
        )
    return books


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    empty = Portal(local_runtime, {}, {}, {})
    identity = ApiClient(local_runtime["services"]["identity"], empty.token("scts-admin", None))
    # The same call, in the same order, the demo step used to link STX-CP-<n>.
    accounts = _json(identity.get("/v1/accounts"))["items"]
    assert {a["name"] for a in accounts} >= {ACCOUNT_A, ACCOUNT_B}
    empty.accounts = {a["name"]: a["account_id"] for a in accounts}
    empty.books = demo_books(accounts)
    return empty


@pytest.fixture(scope="module")
def book_visible(portal: Portal) -> Portal:
    """Waits (bounded) until each account's admin sees the whole demo book: every trade at
    its final version, every retirement and every invoice."""
    for name in (ACCOUNT_A, ACCOUNT_B):
        book = portal.books[name]
        admin = portal.portfolio("admin", name)
        base = f"/v1/accounts/{book.account_id}"

        def complete(admin: ApiClient = admin, base: str = base, book: Book = book) -> bool:
            trades = {r["reference"]: int(r["version"]) for r in list_all(admin, f"{base}/trades")}
            return (
                all(trades.get(ref) == version for ref, (version, _) in book.trades.items())
                and book.retirements <= references(admin, f"{base}/retirements")
                and book.invoices <= references(admin, f"{base}/invoices")
            )

        wait_until(complete, VISIBILITY_DEADLINE_SECONDS, f"demo book of {name} visible")
    return portal


def references(api: ApiClient, path: str) -> set[str]:
    return {row["reference"] for row in list_all(api, path)}


def test_members_see_their_own_demo_trades_only(book_visible: Portal) -> None:
    a, b = book_visible.books[ACCOUNT_A], book_visible.books[ACCOUNT_B]
    for name, own, other in ((ACCOUNT_A, a, b), (ACCOUNT_B, b, a)):
        trader = book_visible.portfolio("trader", name)
        rows = list_all(trader, f"/v1/accounts/{own.account_id}/trades")
        assert {r["account_id"] for r in rows} == {own.account_id}
        seen = {r["reference"] for r in rows}
        assert set(own.trades) <= seen
        cancelled = {ref for ref, (_, status) in own.trades.items() if status == "cancelled"}
        assert cancelled == {
            r["reference"]
            for r in rows
            if r["status"] == "cancelled" and r["reference"] in own.trades
        }
        assert not set(other.trades) & seen
        for path in ("trades", "invoices", "retirements", "summary", "holdings"):
            assert trader.get(f"/v1/accounts/{other.account_id}/{path}").status_code == 404
        foreign = sorted(other.trades)[0]
        assert trader.get(f"/v1/accounts/{other.account_id}/trades/{foreign}").status_code == 404
        assert trader.get(f"/v1/accounts/{own.account_id}/trades/{foreign}").status_code == 404
        detail = _json(trader.get(f"/v1/accounts/{own.account_id}/trades/{sorted(own.trades)[0]}"))
        assert detail["trade"]["account_id"] == own.account_id

    viewer_b = book_visible.portfolio("viewer", ACCOUNT_B)
    retirements = list_all(viewer_b, f"/v1/accounts/{b.account_id}/retirements")
    assert {r["account_id"] for r in retirements} == {b.account_id}
    assert b.retirements <= {r["reference"] for r in retirements}
    assert not a.retirements & {r["reference"] for r in retirements}
    invoices = list_all(viewer_b, f"/v1/accounts/{b.account_id}/invoices")
    assert {r["account_id"] for r in invoices} == {b.account_id}
    assert not a.invoices & {r["reference"] for r in invoices}


def test_finance_gets_invoices_but_not_trades(book_visible: Portal) -> None:
    a, b = book_visible.books[ACCOUNT_A], book_visible.books[ACCOUNT_B]
    finance = book_visible.portfolio("finance", ACCOUNT_A)
    invoices = list_all(finance, f"/v1/accounts/{a.account_id}/invoices")
    assert {r["account_id"] for r in invoices} == {a.account_id}
    assert a.invoices <= {r["reference"] for r in invoices}
    assert not b.invoices & {r["reference"] for r in invoices}
    assert _json(finance.get(f"/v1/accounts/{a.account_id}/invoices/{sorted(a.invoices)[0]}"))
    assert finance.get(f"/v1/accounts/{a.account_id}/trades").status_code == 403
    assert finance.get(f"/v1/accounts/{b.account_id}/invoices").status_code == 404


def test_cam_sees_the_assigned_account_only(book_visible: Portal) -> None:
    a, b = book_visible.books[ACCOUNT_A], book_visible.books[ACCOUNT_B]
    cam = book_visible.portfolio("cam", None)
    seen = {r["reference"] for r in list_all(cam, f"/v1/accounts/{a.account_id}/trades")}
    assert set(a.trades) <= seen
    assert _json(cam.get(f"/v1/accounts/{a.account_id}/summary"))["account_id"] == a.account_id
    assert cam.get(f"/v1/accounts/{b.account_id}/trades").status_code == 404
    assert cam.get(f"/v1/accounts/{b.account_id}/summary").status_code == 404
    overview = _json(
        cam.get("/v1/cam/overview", params={"accounts": f"{a.account_id},{b.account_id}"})
    )
    assert [row["account_id"] for row in overview["items"]] == [a.account_id]
    assigned = _json(cam.get("/v1/cam/overview"))
    assert [(row["account_id"], row["name"]) for row in assigned["items"]] == [
        (a.account_id, ACCOUNT_A)
    ]
    assert assigned["next_cursor"] is None
    assert assigned["items"][0]["holdings"] is not None


def test_usage_and_target_give_the_coverage_of_the_retirements(book_visible: Portal) -> None:
    a = book_visible.books[ACCOUNT_A]
    admin = book_visible.portfolio("admin", ACCOUNT_A)
    base = f"/v1/accounts/{a.account_id}"
    run = uuid.uuid4().hex[:8]
    site = f"e2e-site-{run}"
    for period_start, period_end, mwh in (
        ("2025-01-01", "2025-07-01", "40000.5"),
        ("2025-07-01", "2026-01-01", "35000"),
    ):
        written = admin.put(
            f"{base}/usage/consumption/{site}/{period_start}",
            json={
                "site_name": "E2E plant",
                "country": "NL",
                "period_end": period_end,
                "consumption_mwh": mwh,
                "source": "meter",
            },
        )
        assert written.status_code == 200, written.text
    target_id = f"e2e-re100-{run}"
    wanted = {
        "name": "RE100 (e2e)",
        "base_year": 2020,
        "base_renewable_share_percent": "10",
        "target_year": 2030,
        "target_renewable_share_percent": "100",
        "milestones": [{"year": 2025, "renewable_share_percent": "55"}],
    }
    target = admin.put(f"{base}/usage/targets/{target_id}", json=wanted)
    assert target.status_code == 200, target.text
    trader = book_visible.portfolio("trader", ACCOUNT_A)
    # A valid body: the role is what is refused (an invalid one is 422 before any role check,
    # docs/api-conventions.md "Order of checks").
    assert trader.put(f"{base}/usage/targets/{target_id}", json=wanted).status_code == 403

    retired = sum(
        (
            Decimal(r["volume_mwh"])
            for r in list_all(admin, f"{base}/retirements", reporting_year=REPORTING_YEAR)
        ),
        Decimal(0),
    )
    consumed = sum(
        (
            Decimal(c["consumption_mwh"])
            for c in list_all(admin, f"{base}/usage/consumption")
            if c["period_start"].startswith(f"{REPORTING_YEAR}-")
        ),
        Decimal(0),
    )
    assert retired > 0
    assert consumed >= Decimal("75000.5")
    usage = _json(admin.get(f"{base}/usage"))
    row = next(r for r in usage["coverage"] if r["year"] == REPORTING_YEAR)
    assert Decimal(row["retired_mwh"]) == retired
    assert Decimal(row["consumption_mwh"]) == consumed
    assert Decimal(row["coverage_percent"]) == (retired / consumed * 100).quantize(Decimal("0.01"))
    assert {"target_id": target_id, "name": "RE100 (e2e)", "target_percent": "55.00"} in row[
        "targets"
    ]
    assert target_id in {t["target_id"] for t in usage["targets"]}
    summary = _json(admin.get(f"{base}/summary"))
    assert next(r for r in summary["coverage"] if r["year"] == REPORTING_YEAR) == row
    other = book_visible.books[ACCOUNT_B].account_id
    assert admin.get(f"/v1/accounts/{other}/usage").status_code == 404


def observable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What readers see: aggregate amounts of zero read the same as absent ones."""
    visible = []
    for item in items:
        if item["pk"].endswith("#AGG"):
            item = {k: v for k, v in item.items() if not (isinstance(v, Decimal) and v == 0)}
            if not any(isinstance(v, Decimal) for v in item.values()) and "target_id" not in item:
                continue
        visible.append(item)
    return visible


@pytest.fixture
def rebuilt_table(local_runtime: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty read-model-shaped table in the runtime's DynamoDB Local, dropped afterwards."""
    for key, value in aws_environment(
        local_runtime["aws_endpoint"], local_runtime["dynamodb_endpoint"]
    ).items():
        monkeypatch.setenv(key, value)
    dynamodb = client("dynamodb", local_runtime["dynamodb_endpoint"])
    read_model = next(t for t in TOPOLOGY.tables if t.name == "read-model")
    request = create_table_request(TOPOLOGY, STAGE, read_model)
    request.pop("StreamSpecification", None)
    request["TableName"] = f"{request['TableName']}-rebuilt-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(**request)
    dynamodb.get_waiter("table_exists").wait(TableName=request["TableName"])
    try:
        yield str(request["TableName"])
    finally:
        dynamodb.delete_table(TableName=request["TableName"])


def test_rebuild_from_the_provisioning_outbox_equals_the_live_read_model(
    book_visible: Portal,
    local_runtime: dict[str, Any],
    rebuilt_table: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def name(topology: Any, logical: str) -> str:
        return str(topology.resource_name(STAGE, logical))

    outbox = next(t for t in PROVISIONING.tables if t.outbox)
    exit_code = rebuild.main(
        [
            "--target-table",
            rebuilt_table,
            "--outbox-table",
            name(PROVISIONING, outbox.name),
            "--usage-table",
            name(TOPOLOGY, "usage"),
        ]
    )
    assert exit_code == 0
    report = capsys.readouterr().out
    assert '"applied"' in report, report

    dynamodb = client("dynamodb", local_runtime["dynamodb_endpoint"])
    expected = observable(rebuild.dump_table(dynamodb, rebuilt_table))
    live_table = name(TOPOLOGY, "read-model")
    assert len(expected) > len(book_visible.books[ACCOUNT_A].trades)
    # The outbox holds every accepted event; the live projection converges to it.
    deadline = time.monotonic() + CONVERGENCE_DEADLINE_SECONDS
    while (live := observable(rebuild.dump_table(dynamodb, live_table))) != expected:
        if time.monotonic() > deadline:
            only_live = [i for i in live if i not in expected]
            only_rebuilt = [i for i in expected if i not in live]
            pytest.fail(
                f"live != rebuilt: {len(only_live)} items only live, e.g. {only_live[:2]}; "
                f"{len(only_rebuilt)} only rebuilt, e.g. {only_rebuilt[:2]}"
            )
        time.sleep(POLL_SECONDS)
