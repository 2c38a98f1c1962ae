"""Every portfolio route against moto: tenant isolation, roles, cursors, projections."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from common.topology import AuthKind
from services.portfolio.topology import TOPOLOGY
from tests.integration.portfolio.conftest import (
    ADMIN,
    FINANCE,
    VIEWER,
    Portfolio,
    running_portfolio,
)
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.portfolio.portfolio_factories import (
    delivery,
    envelope,
    invoice,
    retirement,
    trade,
)

pytestmark = pytest.mark.integration

A, B = "acct-a", "acct-b"
OBJECTS = {
    A: {"reference": "A-T1", "retirement": "A-R1", "invoice": "A-INV1"},
    B: {"reference": "B-T1", "retirement": "B-R1", "invoice": "B-INV1"},
}


def account_events(account: str, prefix: str) -> list[Any]:
    return [
        envelope(trade(account, f"{prefix}-T1", 1, volume="100")),
        envelope(trade(account, f"{prefix}-T1", 2, status="amended", volume="120")),
        envelope(trade(account, f"{prefix}-T2", 1, side="sell", volume="50", countries=("DE",))),
        envelope(trade(account, f"{prefix}-T3", 1, volume="75", scheme="I-REC", vintage="2025-06")),
        envelope(trade(account, f"{prefix}-T4", 1, volume="10")),
        envelope(trade(account, f"{prefix}-T4", 2, status="cancelled", volume="10")),
        envelope(delivery(account, f"{prefix}-T1", f"{prefix}-D1", 40)),
        envelope(retirement(account, f"{prefix}-R1", 25)),
        envelope(retirement(account, f"{prefix}-R2", 5, year=2025)),
        envelope(invoice(account, f"{prefix}-INV1", f"{prefix}-T1", gross="121.00")),
        envelope(invoice(account, f"{prefix}-INV2", f"{prefix}-T2", gross="60.50", paid="60.50")),
    ]


def seed(portfolio: Portfolio) -> Portfolio:
    for account in (A, B):
        portfolio.create_account(account)
    portfolio.grant(A, "alice", "admin", ADMIN)
    portfolio.grant(B, "bob", "admin", ADMIN)
    portfolio.grant(A, "fiona", "finance", FINANCE)
    portfolio.grant(A, "victor", "viewer", VIEWER)
    portfolio.assign_cam(A, "carl")
    events = account_events(A, "A") + account_events(B, "B")
    random.Random(7).shuffle(events)
    portfolio.publish(*events[:10])
    portfolio.publish(*events[10:], *events[:3])
    return portfolio


@pytest.fixture(scope="module")
def world(tokens: Tokens) -> Iterator[Portfolio]:
    """One seeded portfolio for the read-only tests of this module."""
    with running_portfolio(tokens) as running:
        yield seed(running)


USER_ROUTES = [r for r in TOPOLOGY.routes if r.auth is AuthKind.USER]
ACCOUNT_ROUTES = [r for r in USER_ROUTES if "{account_id}" in r.path]
WRITE_BODIES: dict[str, dict[str, Any]] = {
    "consumption": {
        "site_name": "Plant",
        "country": "NL",
        "period_end": "2026-07-01",
        "consumption_mwh": "100",
        "source": "meter",
    },
    "targets": {
        "name": "RE100",
        "base_year": 2020,
        "base_renewable_share_percent": "10",
        "target_year": "2030",
        "target_renewable_share_percent": "100",
    },
}


def params_for(path: str, account: str) -> dict[str, str]:
    objects = OBJECTS[account]
    values = {
        "account_id": account,
        "site_id": "site-1",
        "period_start": "2026-01-01",
        "target_id": "re100",
        "reference": (
            objects["retirement"]
            if "/retirements/" in path
            else objects["invoice"]
            if "/invoices/" in path
            else objects["reference"]
        ),
    }
    return {k: v for k, v in values.items() if "{" + k + "}" in path}


def body_for(path: str) -> Any:
    return WRITE_BODIES["consumption"] if "consumption" in path else WRITE_BODIES["targets"]


@pytest.mark.parametrize("route", ACCOUNT_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_member_of_a_gets_404_on_every_route_of_b(world: Portfolio, route: Any) -> None:
    body = body_for(route.path) if route.method == "PUT" else None
    status, answer, _ = world.call(
        route.method, route.path, "alice", body=body, **params_for(route.path, B)
    )
    assert status == 404, answer
    assert "B-" not in json.dumps(answer)


@pytest.mark.parametrize("route", ACCOUNT_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_a_stranger_gets_404_and_no_token_gets_401(world: Portfolio, route: Any) -> None:
    body = body_for(route.path) if route.method == "PUT" else None
    params = params_for(route.path, A)
    assert world.call(route.method, route.path, "eve", body=body, **params)[0] == 404
    assert world.call(route.method, route.path, None, body=body, **params)[0] == 401


@pytest.mark.parametrize(
    "route",
    [r for r in ACCOUNT_ROUTES if r.method == "GET" and "{reference}" not in r.path],
    ids=lambda r: r.path,
)
def test_lists_of_a_never_contain_b_rows(world: Portfolio, route: Any) -> None:
    status, answer, _ = world.call("GET", route.path, "alice", **params_for(route.path, A))
    assert status == 200, answer
    text = answer if isinstance(answer, str) else json.dumps(answer)
    assert "B-" not in text
    assert B not in text


@pytest.mark.parametrize(
    "route",
    [r for r in ACCOUNT_ROUTES if r.method == "GET" and "{reference}" in r.path],
    ids=lambda r: r.path,
)
def test_objects_of_a_are_readable_by_a(world: Portfolio, route: Any) -> None:
    status, answer, _ = world.call("GET", route.path, "alice", **params_for(route.path, A))
    assert status == 200, answer


LIST_ROUTES = ["trades", "holdings/batches", "forward-deals", "retirements", "invoices"]


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_cursor_of_b_is_refused_for_a(world: Portfolio, name: str) -> None:
    template = f"/v1/accounts/{{account_id}}/{name}"
    status, page, _ = world.call("GET", template, "bob", {"limit": "1"}, account_id=B)
    assert status == 200, page
    assert page["next_cursor"], page
    status, answer, _ = world.call(
        "GET", template, "alice", {"limit": "1", "cursor": page["next_cursor"]}, account_id=A
    )
    assert (status, answer["error"]) == (422, "validation_failed")
    status, _, _ = world.call(
        "GET", template, "alice", {"limit": "1", "cursor": page["next_cursor"]}, account_id=B
    )
    assert status == 404


def test_cursor_bound_to_principal_and_filters_and_signature(world: Portfolio) -> None:
    template = "/v1/accounts/{account_id}/trades"
    _, page, _ = world.call("GET", template, "alice", {"limit": "1"}, account_id=A)
    cursor = page["next_cursor"]
    assert (
        world.call("GET", template, "victor", {"limit": "1", "cursor": cursor}, account_id=A)[0]
        == 422
    )
    assert (
        world.call(
            "GET", template, "alice", {"limit": "1", "side": "buy", "cursor": cursor}, account_id=A
        )[0]
        == 422
    )
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert (
        world.call("GET", template, "alice", {"limit": "1", "cursor": tampered}, account_id=A)[0]
        == 422
    )
    assert (
        world.call("GET", template, "alice", {"limit": "1", "cursor": cursor}, account_id=A)[0]
        == 200
    )


def test_trade_pages_cover_every_trade_once_in_order(world: Portfolio) -> None:
    template = "/v1/accounts/{account_id}/trades"
    seen: list[str] = []
    query = {"limit": "2", "sort": "volume"}
    while True:
        status, page, _ = world.call("GET", template, "alice", query, account_id=A)
        assert status == 200
        seen += [t["reference"] for t in page["items"]]
        volumes = [float(t["volume_mwh"]) for t in page["items"]]
        assert volumes == sorted(volumes)
        if not page["next_cursor"]:
            break
        query = {**query, "cursor": page["next_cursor"]}
    assert sorted(seen) == ["A-T1", "A-T2", "A-T3", "A-T4"]


def test_trade_filters(world: Portfolio) -> None:
    template = "/v1/accounts/{account_id}/trades"

    def refs(**query: str) -> list[str]:
        status, page, _ = world.call("GET", template, "alice", query, account_id=A)
        assert status == 200, page
        return sorted(t["reference"] for t in page["items"])

    assert refs(side="sell") == ["A-T2"]
    assert refs(status="cancelled") == ["A-T4"]
    assert refs(scheme="I-REC") == ["A-T3"]
    assert refs(country="DE") == ["A-T2"]
    assert refs(vintage_to="2025-06") == ["A-T3"]
    assert refs(q="t1") == ["A-T1"]
    assert refs(trade_date_from="2026-03-02") == []
    status, answer, _ = world.call("GET", template, "alice", {"side": "short"}, account_id=A)
    assert status == 422
    assert answer["fields"][0]["path"] == "query.side"
    assert world.call("GET", template, "alice", {"colour": "red"}, account_id=A)[0] == 422


def test_trade_detail_has_versions_deliveries_invoices(world: Portfolio) -> None:
    status, detail, _ = world.call(
        "GET",
        "/v1/accounts/{account_id}/trades/{reference}",
        "victor",
        account_id=A,
        reference="A-T1",
    )
    assert status == 200, detail
    assert detail["trade"]["volume_mwh"] == "120.000"
    assert detail["trade"]["status"] == "partially_delivered"
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert [d["reference"] for d in detail["deliveries"]] == ["A-D1"]
    assert [(i["reference"], i["status"]) for i in detail["invoices"]] == [("A-INV1", "overdue")]
    status, paid, _ = world.call(
        "GET",
        "/v1/accounts/{account_id}/trades/{reference}",
        "victor",
        account_id=A,
        reference="A-T2",
    )
    assert [(i["reference"], i["status"]) for i in paid["invoices"]] == [("A-INV2", "paid")]


def test_exports_are_csv_with_the_same_filters(world: Portfolio) -> None:
    status, text, headers = world.call(
        "GET", "/v1/accounts/{account_id}/trades/export", "alice", {"side": "buy"}, account_id=A
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["reference"] for r in rows) == ["A-T1", "A-T3", "A-T4"]


def test_holdings_financials_summary(world: Portfolio) -> None:
    account = {"account_id": A}
    status, holdings, _ = world.call(
        "GET",
        "/v1/accounts/{account_id}/holdings",
        "alice",
        {"group_by": "scheme,vintage"},
        **account,
    )
    assert status == 200, holdings
    assert holdings["totals"]["contracted_undelivered"] == "155.000"  # T1 80 outstanding + T3 75
    assert holdings["totals"]["retired"] == "30.000"
    assert (
        world.call(
            "GET", "/v1/accounts/{account_id}/holdings", "alice", {"group_by": "colour"}, **account
        )[0]
        == 422
    )
    status, money, _ = world.call("GET", "/v1/accounts/{account_id}/financials", "fiona", **account)
    assert status == 200
    eur = money["currencies"][0]
    assert (eur["invoiced"], eur["paid"], eur["overdue"]) == ("181.50", "60.50", "121.00")
    status, summary, _ = world.call("GET", "/v1/accounts/{account_id}/summary", "alice", **account)
    assert status == 200
    assert [d["reference"] for d in summary["next_deliveries"]] == ["A-T1", "A-T2", "A-T3"]
    assert [i["reference"] for i in summary["overdue_invoices"]] == ["A-INV1"]


def test_cam_overview_only_lists_assigned_accounts(world: Portfolio) -> None:
    status, overview, _ = world.call("GET", "/v1/cam/overview", "carl", {"accounts": f"{A},{B}"})
    assert status == 200
    assert [a["account_id"] for a in overview["items"]] == [A]
    assert overview["next_cursor"] is None


def test_cam_overview_without_accounts_lists_the_assigned_ones_by_name(world: Portfolio) -> None:
    status, overview, _ = world.call("GET", "/v1/cam/overview", "carl")
    assert status == 200, overview
    assert [(a["account_id"], a["name"]) for a in overview["items"]] == [(A, A)]
    assert overview["items"][0]["holdings"] is not None
    assert overview["next_cursor"] is None
    status, overview, _ = world.call("GET", "/v1/cam/overview", "alice")
    assert (status, overview["items"]) == (200, [])
