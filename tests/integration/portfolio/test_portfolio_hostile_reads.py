"""What a hostile or careless caller can send to the read routes: every bad input is a 4xx
naming its field, and a page never comes back empty with a cursor."""

from __future__ import annotations

import json
from typing import Any

import pytest

from common.access import AssignedAccount, AssignedAccounts
from services.portfolio import dependencies
from services.portfolio.handlers import api
from services.portfolio.logic.ports import Chunk, Listing, ListRead, Position
from services.portfolio.logic.queries.paging import EXPORT_CHUNK_ROWS, EXPORT_MAX_ROWS
from services.portfolio.models.domain import BatchMovement
from tests.integration.portfolio.conftest import ADMIN, CONTEXT, Portfolio, running_portfolio
from tests.support.http_api import http_api_event
from tests.support.intercept import intercepted
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.portfolio.portfolio_factories import delivery, envelope, invoice, trade

pytestmark = pytest.mark.integration

A = "acct-a"
TRADES = "/v1/accounts/{account_id}/trades"
EXPORT = f"{TRADES}/export"
RECONCILIATION = "/v1/accounts/{account_id}/holdings/reconciliation"
OVERVIEW = "/v1/cam/overview"


@pytest.fixture
def world(portfolio: Portfolio) -> Portfolio:
    portfolio.create_account(A)
    portfolio.grant(A, "alice", "admin", ADMIN)
    return portfolio


@pytest.mark.parametrize(
    ("route", "query", "field"),
    [
        (TRADES, {"trade_date_from": "2026-03-01", "trade_date_to": "2026-01-01"}, "trade_date_to"),
        (EXPORT, {"trade_date_from": "2026-03-01", "trade_date_to": "2026-02-28"}, "trade_date_to"),
        (TRADES, {"vintage_from": "2026-01", "vintage_to": "2025-12"}, "vintage_to"),
        (RECONCILIATION, {"date_from": "2024-03-01", "date_to": "2024-02-29"}, "date_to"),
    ],
)  # fmt: skip
def test_a_range_in_the_wrong_order_is_422_naming_its_field(
    world: Portfolio, route: str, query: dict[str, str], field: str
) -> None:
    status, error, _ = world.call("GET", route, "alice", query, account_id=A)
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == [f"query.{field}"], error


def follow_overview(portfolio: Portfolio, query: dict[str, str]) -> list[list[str]]:
    """Each page's account ids, following `next_cursor` to the end."""
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        sent = {**query, **({"cursor": cursor} if cursor else {})}
        status, page, _ = portfolio.call("GET", OVERVIEW, "carl", sent)
        assert status == 200, page
        pages.append([item["account_id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
        assert page["items"], f"an empty page with a cursor after {pages}"


def test_named_accounts_the_caller_may_not_read_never_leave_an_empty_page_with_a_cursor(
    tokens: Tokens,
) -> None:
    with running_portfolio(tokens) as portfolio:
        for account in ("acct-1", "acct-2", "acct-3", "acct-4"):
            portfolio.create_account(account)
        portfolio.assign_cam("acct-3", "carl")
        portfolio.assign_cam("acct-4", "carl")
        named = {"accounts": "acct-1,acct-2,acct-3,acct-x,acct-4", "limit": "1"}
        assert follow_overview(portfolio, named) == [["acct-3"], ["acct-4"]]
        assert follow_overview(portfolio, {**named, "limit": "2"}) == [["acct-3", "acct-4"]]


def test_accounts_unassigned_a_moment_ago_never_leave_an_empty_page_with_a_cursor(
    tokens: Tokens,
) -> None:
    """The `bycam` index is eventually consistent: it may still list accounts the guard's
    consistent read no longer lets the CAM read (dropped, as documented)."""
    accounts = ["acct-1", "acct-2", "acct-3"]

    def stale_index(subject: str, limit: int, after: str | None = None) -> AssignedAccounts:
        rest = [a for a in accounts if after is None or a > after]
        return AssignedAccounts([AssignedAccount(a, a) for a in rest[:limit]], len(rest) > limit)

    with running_portfolio(tokens) as portfolio:
        for account in accounts:
            portfolio.create_account(account)
            portfolio.assign_cam(account, "carl")
        portfolio.unassign_cam("acct-1", "carl")
        portfolio.unassign_cam("acct-2", "carl")
        lagging = intercepted(dependencies.access_source(), assigned_accounts=stale_index)
        with dependencies.access_source.override(lagging):
            assert follow_overview(portfolio, {"limit": "1"}) == [["acct-3"]]


LAMBDA_RESPONSE_QUOTA = 6 * 1024 * 1024
"""Lambda refuses a function answer over 6 MB (`Function.ResponseSizeTooLarge`): the
caller would get a bare 500 from the gateway, not the API's error shape."""


def raw_answer(world: Portfolio, template: str) -> dict[str, Any]:
    """The function's whole answer to alice's GET of `template` in A (what Lambda carries)."""
    claims = world.tokens.claims("access", sub="alice", username="alice")
    event = http_api_event(
        "GET", template, template.replace("{account_id}", A),
        headers={"authorization": f"Bearer {world.tokens.sign(claims)}"},
        path_parameters={"account_id": A},
    )  # fmt: skip
    answer: dict[str, Any] = api.handler(event, CONTEXT)
    return answer


def test_an_export_too_big_for_one_answer_is_413_not_a_failed_invocation(
    world: Portfolio,
) -> None:
    """EXPORT_MAX_ROWS rows are allowed, but that many trades (~145 bytes each as CSV)
    are more than one Lambda answer may carry."""
    world.publish(envelope(trade(A, "T-0")))
    status, page, _ = world.call("GET", TRADES, "alice", account_id=A)
    assert status == 200, page
    [one] = dependencies.read_model().trades(A, ["T-0"])
    rows, per_chunk = EXPORT_MAX_ROWS, EXPORT_CHUNK_ROWS

    def many(read: ListRead[Any], start: Position | None, max_rows: int) -> Chunk[Any]:
        first = int(start["n"]) if start else 0
        last = min(first + per_chunk, rows)
        made = [
            ({"n": n}, one.model_copy(update={"reference": f"STX-TRADE-{n:08d}"}))
            for n in range(first, last)
        ]
        return Chunk(rows=made, resume={"n": last} if last < rows else None)

    with dependencies.read_model.override(intercepted(dependencies.read_model(), chunk=many)):
        response = raw_answer(world, EXPORT)
    assert len(json.dumps(response).encode()) <= LAMBDA_RESPONSE_QUOTA
    assert response["statusCode"] == 413, response["statusCode"]
    assert json.loads(response["body"])["error"] == "too_large"


def test_a_reconciliation_too_big_for_one_answer_is_413_not_a_failed_invocation(
    world: Portfolio,
) -> None:
    """Every movement of the period is listed: EXPORT_MAX_ROWS of them (the most the
    route reads) would not fit in one answer."""
    world.publish(envelope(trade(A, "T-0")), envelope(delivery(A, "T-0", "D-0", 50)))
    [entry] = (
        dependencies.read_model().chunk(ListRead(Listing.BATCHES, A, BatchMovement), None, 10).rows
    )
    one = entry[1].model_copy(
        update={"source_reference": "STX-DELIVERY-2026-000001", "trade_reference": "STX-T-1"}
    )
    rows, per_chunk = EXPORT_MAX_ROWS, EXPORT_CHUNK_ROWS

    def many(read: ListRead[Any], start: Position | None, max_rows: int) -> Chunk[Any]:
        first = int(start["n"]) if start else 0
        last = min(first + per_chunk, rows)
        made = [({"n": n}, one.model_copy(update={"serial_start": n})) for n in range(first, last)]
        return Chunk(rows=made, resume={"n": last} if last < rows else None)

    with dependencies.read_model.override(intercepted(dependencies.read_model(), chunk=many)):
        response = raw_answer(world, RECONCILIATION)
    assert len(json.dumps(response).encode()) <= LAMBDA_RESPONSE_QUOTA
    assert response["statusCode"] == 413, response["statusCode"]
    assert json.loads(response["body"])["error"] == "too_large"


@pytest.mark.parametrize(
    ("route", "name", "value"),
    [
        (TRADES, "trade_date_from", "0"),
        (TRADES, "trade_date_to", "1767225600"),
        (TRADES, "trade_date_from", "2026-01-01T00:00:00+14:00"),
        (EXPORT, "trade_date_to", "2026-03-01T00:00:00Z"),
        (RECONCILIATION, "date_to", "2026-03-01T00:00:00-10:00"),
    ],
)
def test_a_day_filter_takes_a_day_not_a_timestamp_or_a_time_in_some_zone(
    world: Portfolio, route: str, name: str, value: str
) -> None:
    """`0` is not 1970-01-01, and midnight in +14:00 is the day before in UTC: whatever
    day was meant, the caller is told to send one (as provisioning's ingest does)."""
    status, error, _ = world.call("GET", route, "alice", {name: value}, account_id=A)
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == [f"query.{name}"], error


def test_the_state_filter_selects_invoices_never_credit_notes(world: Portfolio) -> None:
    """A credit note owes nothing and is owed nothing: its status is always `credit_note`,
    so `state=paid` (like `open` and `overdue`) never lists one, with or without
    `document_type`."""
    paid = invoice(A, "INV-PAID", "T-1", gross="121.00", paid="121.00")
    still_open = invoice(A, "INV-OPEN", "T-1", gross="80.00")
    note = invoice(A, "CN-1", "T-1", gross="10.00").model_copy(
        update={"document_type": "credit_note", "credited_invoice_reference": "INV-OPEN"}
    )
    world.publish(envelope(paid), envelope(still_open), envelope(note))
    route = "/v1/accounts/{account_id}/invoices"

    def listed(query: dict[str, str]) -> list[tuple[str, str]]:
        status, page, _ = world.call("GET", route, "alice", query, account_id=A)
        assert status == 200, page
        return [(i["reference"], i["status"]) for i in page["items"]]

    assert listed({"state": "paid"}) == [("INV-PAID", "paid")]
    assert listed({"state": "paid", "document_type": "invoice"}) == [("INV-PAID", "paid")]
    assert listed({"state": "paid", "document_type": "credit_note"}) == []
    assert listed({"document_type": "credit_note"}) == [("CN-1", "credit_note")]
    status, csv_text, _ = world.call(
        "GET", f"{route}/export", "alice", {"state": "paid"}, account_id=A
    )
    assert status == 200
    assert [line.split(",")[0] for line in csv_text.splitlines()[1:]] == ["INV-PAID"]
