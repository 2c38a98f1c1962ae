"""The inbox shows a person only what they may see now, and every inbox route agrees with the
list: mark-all-read marks exactly the unread notices the list shows, and an archived notice
is out of the inbox (not listed, not counted, not fetched or marked by id)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.unit.notifications.events import trade

from .conftest import Cloud, User

pytestmark = pytest.mark.integration

TRADER = ("trades:read", "notifications:read")
KEPT, LEFT, NARROWED, SUSPENDED = "acc_kept", "acc_left", "acc_narrowed", "acc_suspended"
ME = "/v1/me/notifications"


def unread_shown(cloud: Cloud, user: User, account_id: str = "") -> list[dict[str, str]]:
    query = {"unread": "true", "limit": "200"} | ({"account_id": account_id} if account_id else {})
    page = cloud.call("GET", ME, user, query=query)
    assert page.status == 200
    assert page.body["next_cursor"] is None
    return list(page.body["items"])


def unread_counted(cloud: Cloud, user: User) -> int:
    counted = cloud.call("GET", f"{ME}/unread-count", user)
    assert counted.status == 200
    return int(counted.body["unread"])


def mark_all(cloud: Cloud, user: User, account_id: str | None = None) -> int:
    answer = cloud.call("POST", f"{ME}/read-all", user, {"account_id": account_id})
    assert answer.status == 200
    return int(answer.body["marked"])


def trades_of(cloud: Cloud, user: User, *accounts: str) -> list[str]:
    """Tells each account of a trade; the ids of `user`'s notices, in account order."""
    for account in accounts:
        cloud.deliver(trade(account, f"T-{account}", at=datetime.now(UTC)))
    shown = {n["account_id"]: n["notification_id"] for n in unread_shown(cloud, user)}
    return [shown[account] for account in accounts]


def test_mark_all_read_marks_exactly_the_unread_notices_the_list_shows(cloud: Cloud) -> None:
    alice = cloud.user("alice@inbox.example")
    for account in (KEPT, LEFT, NARROWED, SUSPENDED):
        cloud.account(account, f"{account} BV")
        cloud.grant(account, alice, "trader", *TRADER)
    archived, *_ = trades_of(cloud, alice, KEPT, LEFT, NARROWED, SUSPENDED)
    cloud.deliver(trade(KEPT, "T-KEPT-2", at=datetime.now(UTC)))
    assert cloud.call("POST", f"{ME}/{{nid}}/archive", alice, nid=archived).status == 204
    cloud.revoke(LEFT, alice)
    cloud.change(NARROWED, alice, "viewer", "notifications:read")
    cloud.suspend(SUSPENDED)

    [removed] = unread_shown(cloud, alice, LEFT)  # only the personal "access removed"
    assert removed["kind"] == "access_removed"
    assert mark_all(cloud, alice, LEFT) == 1
    shown = unread_shown(cloud, alice)
    assert unread_counted(cloud, alice) == len(shown)
    assert mark_all(cloud, alice) == len(shown)
    assert unread_shown(cloud, alice) == []
    assert unread_counted(cloud, alice) == 0

    cloud.grant(LEFT, alice, "trader", *TRADER)
    cloud.change(NARROWED, alice, "trader", *TRADER)
    trades_left_unread = {
        n["account_id"] for n in unread_shown(cloud, alice) if n["kind"] == "trade_executed"
    }
    assert trades_left_unread == {LEFT, NARROWED}


def test_an_archived_notice_is_out_of_the_inbox_and_archiving_again_is_harmless(
    cloud: Cloud,
) -> None:
    alice = cloud.user("alice@archive.example")
    cloud.account(KEPT, "Kept BV")
    cloud.grant(KEPT, alice, "trader", *TRADER)
    [nid] = trades_of(cloud, alice, KEPT)

    for _ in range(2):
        assert cloud.call("POST", f"{ME}/{{nid}}/archive", alice, nid=nid).status == 204

    assert cloud.call("GET", ME, alice).body["items"] == []
    assert unread_counted(cloud, alice) == 0
    for method, template in [
        ("GET", f"{ME}/{{nid}}"),
        ("POST", f"{ME}/{{nid}}/read"),
        ("POST", f"{ME}/{{nid}}/unread"),
    ]:
        answer = cloud.call(method, template, alice, nid=nid)
        assert (answer.status, (answer.body or {}).get("error")) == (404, "not_found"), template
    assert unread_counted(cloud, alice) == 0
