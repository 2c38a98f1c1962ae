"""The CAM overview without `accounts`: every account assigned to the caller, a page at a
time, from the access projection's `bycam` index (moto)."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.portfolio.logic.facts import Fact
from tests.integration.portfolio.conftest import Portfolio, running_portfolio
from tests.integration.portfolio.test_portfolio_api import account_events
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.integration


def test_cam_overview_pages_through_every_assigned_account(tokens: Tokens) -> None:
    """Five assigned accounts, two per page: each listed once, in account id order; one
    unassigned and one never assigned are absent; a cursor is the caller's own."""
    with running_portfolio(tokens) as portfolio:
        accounts = [f"acct-{n}" for n in range(7)]
        for account in accounts:
            portfolio.create_account(account)
        for account in accounts[:6]:
            portfolio.assign_cam(account, "carl")
        portfolio.unassign_cam(accounts[2], "carl")
        portfolio.publish(*account_events(accounts[0], "X"))
        seen: list[str] = []
        query: dict[str, str] = {"limit": "2"}
        pages = 0
        while True:
            status, page, _ = portfolio.call("GET", "/v1/cam/overview", "carl", query)
            assert status == 200, page
            pages += 1
            seen += [item["account_id"] for item in page["items"]]
            assert all(item["name"] == item["account_id"] for item in page["items"])
            if page["next_cursor"] is None:
                break
            status, foreign, _ = portfolio.call(
                "GET", "/v1/cam/overview", "alice", {**query, "cursor": page["next_cursor"]}
            )
            assert (status, foreign["error"]) == (422, "validation_failed")
            query["cursor"] = page["next_cursor"]
        assert seen == [a for a in accounts[:6] if a != accounts[2]]
        assert pages == 3
        status, page, _ = portfolio.call(
            "GET", "/v1/cam/overview", "carl", {"accounts": f"{accounts[2]},{accounts[6]}"}
        )
        assert (status, page["items"]) == (200, [])


def test_the_overview_carries_each_accounts_key_figures(tokens: Tokens) -> None:
    """Holdings, open forward volume per side, outstanding and overdue invoices and the
    last activity of each kind, for a CAM (who reads every section)."""
    with running_portfolio(tokens) as portfolio:
        portfolio.create_account("acct-k")
        portfolio.assign_cam("acct-k", "carl")
        events = account_events("acct-k", "K")
        portfolio.publish(*events, *reversed(events))
        status, page, _ = portfolio.call("GET", "/v1/cam/overview", "carl")
        assert status == 200, page
        (item,) = page["items"]
        assert item["holdings"]["contracted_undelivered"] == "155.000"
        assert item["open_forward"] == [
            {"side": "buy", "deals": 2, "outstanding_mwh": "155.000"},
            {"side": "sell", "deals": 1, "outstanding_mwh": "50.000"},
        ]
        assert [c["currency"] for c in item["currencies"]] == ["EUR"]
        assert item["currencies"][0]["outstanding"] == "121.00"
        newest: dict[str, datetime] = {}
        for event in events:
            kind = Fact.from_envelope(event).stream.kind
            newest[kind] = max(newest.get(kind, event.occurred_at), event.occurred_at)
        shown = {
            kind: datetime.fromisoformat(item[f"last_{name}_at"])
            for kind, name in (
                ("trade", "trade_activity"),
                ("retirement", "retirement"),
                ("invoice", "invoice_activity"),
            )
        }
        assert shown == newest


@pytest.mark.parametrize("named", ["acct-1,x" + "y" * 2100, "acct-1,ä", "acct-1,a#AGG"])
def test_named_accounts_outside_the_id_pattern_are_refused_before_any_lookup(
    portfolio: Portfolio, named: str
) -> None:
    """An id DynamoDB cannot key (over 2,048 bytes: a 500 from the real engine) or no
    account can have is 422 naming `query.accounts`, as ids in paths are; not echoed."""
    status, answer, _ = portfolio.call("GET", "/v1/cam/overview", "carl", {"accounts": named})
    assert (status, answer["error"]) == (422, "validation_failed"), answer
    assert [f["path"] for f in answer["fields"]] == ["query.accounts"]
    assert named.split(",")[1] not in str(answer)
