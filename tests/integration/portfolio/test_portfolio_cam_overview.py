"""The CAM overview without `accounts`: every account assigned to the caller, a page at a
time, from the access projection's `bycam` index (moto)."""

from __future__ import annotations

import pytest

from tests.integration.portfolio.conftest import running_portfolio
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
            assert (status, foreign["error"]) == (400, "invalid_cursor")
            query["cursor"] = page["next_cursor"]
        assert seen == [a for a in accounts[:6] if a != accounts[2]]
        assert pages == 3
        status, page, _ = portfolio.call(
            "GET", "/v1/cam/overview", "carl", {"accounts": f"{accounts[2]},{accounts[6]}"}
        )
        assert (status, page["items"]) == (200, [])
