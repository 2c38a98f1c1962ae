"""Issue 15's acceptance on the local runtime (`make run`): the demo publisher pushes a
trade and an invoice; the trader hears of the trade in the inbox, by email and by push
(decrypted with the browser's own key) but not of the invoice; the finance user hears of
the invoice and not of the trade; email switched off for trades means no email for the next
trade; a one-click unsubscribe link works without sign-in and switches off only its
category; a removed member gets nothing afterwards; an SES hard bounce, through SNS like in
the cloud, stops email and the person sees why."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from infra.local.aws import client
from infra.local.cognito import Login
from infra.local.demo import DemoContext
from infra.local.demo import identity as demo_identity
from infra.local.ses_events import simulate

from .portal import NORDIC, Portal, eventually, mails_about, pool_of, titled

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    return Portal(local_runtime)


@pytest.fixture(scope="module")
def counterparty(portal: Portal) -> str:
    return portal.counterparty(portal.account_id())


@pytest.fixture
def trader_preferences(portal: Portal) -> Iterator[dict[str, Any]]:
    """The trader's preferences, put back as they were after the test."""
    api = portal.as_role("notifications", "trader")
    before = api.get("/v1/me/notification-preferences").json()
    yield before
    now = api.get("/v1/me/notification-preferences").json()
    keys = ("channels", "email_mode", "digest_hour", "quiet_hours", "muted_accounts")
    restore = {k: before[k] for k in keys} | {"version": now["version"]}
    assert api.put("/v1/me/notification-preferences", json=restore).status_code == 200


def test_trade_and_invoice_reach_who_may_read_them_on_their_channels(
    portal: Portal, counterparty: str
) -> None:
    trader = portal.as_role("notifications", "trader")
    finance = portal.as_role("notifications", "finance")
    browser = portal.browser_for(trader)
    trade = portal.push_trade(counterparty)
    invoice = portal.push_invoice(counterparty)

    [told] = eventually(lambda: titled(portal.inbox(trader), trade), "trade in the trader's inbox")
    assert told["category"] == "trades"
    assert told["read"] is False
    eventually(lambda: titled(portal.inbox(finance), invoice), "invoice in finance's inbox")
    assert titled(portal.inbox(trader), invoice) == []
    assert titled(portal.inbox(finance), trade) == []

    trader_mail = portal.user("trader")["username"]
    [mail] = eventually(lambda: mails_about(portal.mail(trader_mail), trade), "trade email")
    assert "text/html" in mail["body"]
    assert "text/plain" in mail["body"]
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not mails_about(portal.mail(trader_mail), invoice)

    [pushed] = eventually(
        lambda: [m for m in browser.received() if titled([m["payload"]], trade)], "trade push"
    )
    assert pushed["payload"]["kind"] == "trade_executed"
    # the inbox item, the push and the mail all open the trade's page in the portal
    assert told["target"]["page"] == "trade"
    assert told["target"]["reference"] == trade
    assert told["link"] == f"/accounts/{told['account_id']}/trades/{trade}"
    assert pushed["payload"]["url"] == portal.endpoints["web"].rstrip("/") + told["link"]
    assert pushed["urgency"] == "normal"
    assert pushed["ttl"] > 0

    detail = trader.get(f"/v1/me/notifications/{told['notification_id']}").json()
    statuses = {d["channel"]: d["status"] for d in detail["deliveries"]}
    assert statuses["inbox"] == "delivered"
    assert eventually(
        lambda: (
            trader.get(f"/v1/me/notifications/{told['notification_id']}").json()["deliveries"][0][
                "status"
            ]
            in {"sent", "delivered"}
        ),
        "email recorded as sent",
    )


def test_email_off_for_trades_means_no_email_for_the_next_trade(
    portal: Portal, counterparty: str, trader_preferences: dict[str, Any]
) -> None:
    trader = portal.as_role("notifications", "trader")
    channels = {
        **trader_preferences["channels"],
        "trades": {"inbox": True, "email": False, "push": True},
    }
    body = {
        k: trader_preferences[k]
        for k in ("email_mode", "digest_hour", "quiet_hours", "muted_accounts")
    }
    saved = trader.put(
        "/v1/me/notification-preferences",
        json={**body, "channels": channels, "version": trader_preferences["version"]},
    )
    assert saved.status_code == 200, saved.text
    trade = portal.push_trade(counterparty)
    [told] = eventually(lambda: titled(portal.inbox(trader), trade), "trade in the inbox")
    detail = trader.get(f"/v1/me/notifications/{told['notification_id']}").json()
    email = next(d for d in detail["deliveries"] if d["channel"] == "email")
    assert (email["status"], email["reason"]) == ("not_sent", "switched_off")
    assert not mails_about(portal.mail(portal.user("trader")["username"]), trade)


def test_one_click_unsubscribe_needs_no_sign_in_and_stops_only_its_category(
    portal: Portal, counterparty: str, trader_preferences: dict[str, Any]
) -> None:
    trade = portal.push_trade(counterparty)
    address = portal.user("trader")["username"]
    [mail] = eventually(lambda: mails_about(portal.mail(address), trade), "trade email")
    url = mail["headers"]["List-Unsubscribe"].strip("<>")
    described = requests.get(url, timeout=10)
    assert described.json() == {"channel": "email", "categories": ["trades"], "done": False}
    done = requests.post(
        url,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert done.status_code == 200, done.text
    assert done.json()["done"] is True
    after = portal.as_role("notifications", "trader").get("/v1/me/notification-preferences").json()
    assert after["channels"]["trades"]["email"] is False
    for category, choices in trader_preferences["channels"].items():
        if category != "trades":
            assert after["channels"][category] == choices
    assert {k: after[k] for k in ("email_mode", "quiet_hours", "muted_accounts")} == {
        k: trader_preferences[k] for k in ("email_mode", "quiet_hours", "muted_accounts")
    }
    forged = url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB")
    assert requests.post(
        forged,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    ).status_code in (404, 422)


def _new_member(portal: Portal, account_id: str) -> Login:
    endpoints = portal.endpoints
    pool = pool_of(endpoints)
    admin = portal.user("admin")
    ctx = DemoContext(
        services=endpoints["services"],
        pool=pool,
        mailbox_url=endpoints["mailbox"],
        cognito_client=client("cognito-idp", pool.endpoint),
        users=[Login(admin["username"], admin["password"], "admin", NORDIC, admin["totp_secret"])],
    )
    inviter = ctx.client("identity", ctx.users[0])
    email = f"viewer-{uuid.uuid4().hex[:8]}@nordicgreen.local"
    return demo_identity._onboard(ctx, inviter, account_id, NORDIC, "viewer", email)


def test_a_removed_member_gets_nothing_afterwards(portal: Portal, counterparty: str) -> None:
    account_id = portal.account_id()
    member = _new_member(portal, account_id)
    as_member = portal.api("notifications", member.username, member.password)
    defaults = f"/v1/accounts/{account_id}/notification-defaults"
    # Recipients are the members when the event is processed: wait for the grant to arrive.
    eventually(lambda: as_member.get(defaults).status_code == 200, "the grant reached us")
    first = portal.push_trade(counterparty)
    eventually(lambda: titled(portal.inbox(as_member), first), "the new member hears of a trade")

    me = portal.api("identity", member.username, member.password).get("/v1/me").json()
    admin = portal.as_role("identity", "admin")
    assert admin.delete(f"/v1/accounts/{account_id}/members/{me['subject']}").status_code == 204
    eventually(lambda: as_member.get(defaults).status_code == 404, "the removal reached us")

    second = portal.push_trade(counterparty)
    trader = portal.as_role("notifications", "trader")
    eventually(lambda: titled(portal.inbox(trader), second), "the trader hears of it")
    assert titled(portal.inbox(as_member), second) == []
    assert titled(portal.inbox(as_member), first) == []  # no longer theirs to see
    assert not mails_about(portal.mail(member.username), second)


def test_a_hard_bounce_through_sns_stops_email_and_says_why(
    portal: Portal, counterparty: str
) -> None:
    trader = portal.as_role("notifications", "trader")
    address = portal.user("trader")["username"]
    trade = portal.push_trade(counterparty)
    [told] = eventually(lambda: titled(portal.inbox(trader), trade), "trade in the inbox")
    eventually(lambda: mails_about(portal.mail(address), trade), "its email")
    simulate("bounce", address, portal.endpoints)  # SES -> SNS -> queue -> record
    try:
        suppressed = eventually(
            lambda: trader.get("/v1/me/notification-preferences").json()["email"]["suppressed"],
            "the bounce suppresses email",
        )
        assert suppressed["reason"] == "hard_bounce"
        assert "550" in suppressed["detail"]
        # SES reports on the latest mail to the address: the trade's, or its confirmation's
        # notice when that came after; either way the person sees it bounced.
        about = [i for i in portal.inbox(trader) if trade in i["title"]]
        assert told["notification_id"] in {i["notification_id"] for i in about}
        outcomes = set()
        for item in about:
            detail = trader.get(f"/v1/me/notifications/{item['notification_id']}").json()
            email = next(d for d in detail["deliveries"] if d["channel"] == "email")
            outcomes.add((email["status"], email["reason"]))
        assert ("bounced", "hard_bounce") in outcomes
    finally:
        assert trader.delete("/v1/me/email-suppression").status_code == 204
