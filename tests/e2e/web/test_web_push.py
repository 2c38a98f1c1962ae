"""Browser push (issue 16): the notification settings page switches Web Push on for this
browser and off again, in chromium against `make run`.

The portal's own code runs for real: the permission prompt (granted in the Playwright
context), the service worker's registration under the site's Content-Security-Policy, the
VAPID key from the notifications API, the registration and removal of the subscription
through the API. The one part a browser delegates to its vendor's push service (Chromium's
is FCM, out of reach here) is the local runtime's push service stand-in
(`infra/local/push_service.py`): an init script makes `pushManager.subscribe()` answer with
a subscription the test made there, with keys only the test holds, so the test can decrypt
what the notifications service pushes to it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from infra.local.demo.notifications import browser_keys, subscribe_browser
from tests.e2e.notifications.portal import Browser, Portal, eventually, titled
from tests.e2e.web.conftest import BrowserChecks, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

STAND_IN = (Path(__file__).parent / "push_stand_in.js").read_text()


def _ids(api: Any) -> set[str]:
    answer = api.get("/v1/me/push-subscriptions")
    assert answer.status_code == 200, answer.text
    return {s["subscription_id"] for s in answer.json()["items"]}


def test_push_is_switched_on_for_this_browser_a_trade_reaches_it_and_off_removes_it(
    page: Page, context: BrowserContext, local_runtime: dict[str, Any], checks: BrowserChecks
) -> None:
    portal = Portal(local_runtime)
    trader = portal.as_role("notifications", "trader")
    user = portal.user("trader")
    server_key = trader.get("/v1/push/vapid-public-key").json()["public_key"]
    private, p256dh, auth = browser_keys()
    endpoint = subscribe_browser(local_runtime["push_service"], server_key)
    subscription_id = hashlib.sha256(endpoint.encode()).hexdigest()[:32]
    context.grant_permissions(["notifications"], origin=local_runtime["web"])
    given = {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}
    page.add_init_script(script=STAND_IN.replace("__GIVEN__", json.dumps(given)))

    page.goto("/me/notification-preferences")
    sign_in(page, user["username"], user["password"], user["totp_secret"])
    toggle = page.get_by_test_id("push-toggle")
    expect(toggle).to_be_enabled()
    expect(toggle).not_to_be_checked()
    checks.page_is_sound(page, "notification-settings-push-off")

    toggle.click()
    status = page.get_by_test_id("push-status")
    expect(status).to_have_text("Push notifications are on for this browser.")
    expect(toggle).to_be_checked()
    assert page.evaluate("window.__pushStandIn.askedKey") == server_key.rstrip("=")
    assert subscription_id in _ids(trader)
    worker = page.evaluate(
        "navigator.serviceWorker.getRegistration('/')"
        ".then(r => r && r.active ? r.active.scriptURL : null)"
    )
    assert worker == f"{local_runtime['web'].rstrip('/')}/push-worker.js"
    checks.page_is_sound(page, "notification-settings-push-on")

    browser = Browser(endpoint, private, p256dh, auth)
    trade = portal.push_trade(portal.counterparty(portal.account_id()))
    [pushed] = eventually(
        lambda: [m for m in browser.received() if titled([m["payload"]], trade)], "trade push"
    )
    assert pushed["payload"]["url"].endswith(f"/trades/{trade}")

    toggle.click()
    expect(status).to_have_text("Push notifications are off for this browser.")
    expect(toggle).not_to_be_checked()
    assert page.evaluate("window.__pushStandIn.unsubscribed") is True
    assert subscription_id not in _ids(trader)
