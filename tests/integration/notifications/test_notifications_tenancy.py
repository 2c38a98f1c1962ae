"""Tenancy: no route lets one person read or change another person's inbox, preferences or
push subscriptions (their ids answer 404, as unknown ones do); an account's defaults are
read with notifications:read and changed only with notifications:manage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.notifications.events import trade

from .conftest import Cloud, User

pytestmark = pytest.mark.integration

ACC = "acc_tenancy"
ADMIN = ("notifications:read", "notifications:manage", "trades:read")
TRADER = ("trades:read", "notifications:read")


def people(cloud: Cloud) -> tuple[User, User, User]:
    cloud.account(ACC, "Tenancy BV")
    alice, bob, admin = (cloud.user(f"{n}@tenancy.example") for n in ("alice", "bob", "admin"))
    cloud.grant(ACC, alice, "trader", *TRADER)
    cloud.grant(ACC, bob, "trader", *TRADER)
    cloud.grant(ACC, admin, "admin", *ADMIN)
    return alice, bob, admin


def test_nobody_reaches_another_persons_notifications(cloud: Cloud) -> None:
    alice, bob, _ = people(cloud)
    cloud.deliver(
        trade(ACC, "T-TEN-1", at=__import__("datetime").datetime.now(__import__("datetime").UTC))
    )
    [mine] = cloud.call("GET", "/v1/me/notifications", alice).body["items"]
    nid = mine["notification_id"]
    assert cloud.call("GET", "/v1/me/notifications/{nid}", alice, nid=nid).status == 200
    for method, template in [
        ("GET", "/v1/me/notifications/{nid}"),
        ("POST", "/v1/me/notifications/{nid}/read"),
        ("POST", "/v1/me/notifications/{nid}/unread"),
        ("POST", "/v1/me/notifications/{nid}/archive"),
    ]:
        # Bob has his own notification of the same trade, under another id: Alice's is not his.
        assert cloud.call(method, template, bob, nid=nid).status == 404
    bobs = cloud.call("GET", "/v1/me/notifications", bob).body["items"]
    assert [b["notification_id"] for b in bobs] != [nid]
    assert cloud.call("GET", "/v1/me/notifications/{nid}", alice, nid=nid).body["read"] is False


def test_preferences_and_push_subscriptions_are_only_the_callers(cloud: Cloud) -> None:
    alice, bob, _ = people(cloud)
    body = {"channels": {"trades": {"email": False}}, "version": 0}
    assert cloud.call("PUT", "/v1/me/notification-preferences", alice, body).status == 200
    assert cloud.call("GET", "/v1/me/notification-preferences", bob).body["channels"] == {}
    subscription = {
        "endpoint": f"{cloud.push.origin}/push/alice",
        "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1"
            "XbjhazAkj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    }
    created = cloud.call("POST", "/v1/me/push-subscriptions", alice, subscription)
    assert created.status == 201, created.body
    sid = created.body["subscription_id"]
    assert cloud.call("DELETE", "/v1/me/push-subscriptions/{sid}", bob, sid=sid).status == 404
    assert cloud.call("GET", "/v1/me/push-subscriptions", bob).body["items"] == []
    assert len(cloud.call("GET", "/v1/me/push-subscriptions", alice).body["items"]) == 1
    elsewhere = dict(subscription, endpoint="https://169.254.169.254/latest/meta-data")
    refused = cloud.call("POST", "/v1/me/push-subscriptions", alice, elsewhere)
    assert refused.status == 422
    assert refused.body["fields"][0]["path"] == "body.endpoint"


def test_account_defaults_need_notifications_manage_and_stay_in_their_account(cloud: Cloud) -> None:
    alice, _, admin = people(cloud)
    stranger = cloud.user("stranger@elsewhere.example")
    path = "/v1/accounts/{account}/notification-defaults"
    body = {"channels": {"deliveries": {"email": False}}, "version": 0}
    assert cloud.call("GET", path, alice, account=ACC).status == 200
    assert cloud.call("PUT", path, alice, body, account=ACC).status == 403
    assert cloud.call("GET", path, stranger, account=ACC).status == 404
    assert cloud.call("PUT", path, stranger, body, account=ACC).status == 404
    saved = cloud.call("PUT", path, admin, body, account=ACC)
    assert saved.status == 200
    assert saved.body["version"] == 1
    assert cloud.call("PUT", path, admin, body, account=ACC).status == 409  # stale version
    locked = {"channels": {"security": {"email": False}}, "version": 1}
    assert cloud.call("PUT", path, admin, locked, account=ACC).status == 422


def test_unauthenticated_calls_are_401_and_unsubscribe_needs_a_valid_token(cloud: Cloud) -> None:
    assert cloud.call("GET", "/v1/me/notifications").status == 401
    form = {"content-type": "application/x-www-form-urlencoded"}
    forged = cloud.call(
        "POST",
        "/v1/unsubscribe/{token}",
        None,
        "List-Unsubscribe=One-Click",
        headers=form,
        token="eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    assert forged.status == 404


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            {"quiet_hours": {"start": "22:00+05:00", "end": "07:00"}},
            "body.quiet_hours.start",
            "offset",
        ),
        ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, "body.quiet_hours", "must differ"),
        ({"muted_accounts": ["x" * 2100]}, "body.muted_accounts.0", "expected format"),
    ],
    ids=["quiet-hours-with-an-offset", "empty-quiet-hours", "muted-account-not-an-id"],
)
def test_preferences_the_planner_cannot_use_are_refused_with_the_field(
    cloud: Cloud, change: dict[str, Any], path: str, reason: str
) -> None:
    """Each was saved (or was a 500) before: an offset made every later notice of the
    person's accounts fail in planning, and a long muted account overflowed the item."""
    alice, _, _ = people(cloud)
    refused = cloud.call("PUT", "/v1/me/notification-preferences", alice, {"version": 0, **change})
    assert refused.status == 422, refused.body
    assert [(f["path"], reason in f["reason"]) for f in refused.body["fields"]] == [(path, True)]
    assert cloud.call("GET", "/v1/me/notification-preferences", alice).body["version"] == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com:99999/x",
        "https://fcm.googleapis.com:abc/x",
        "https://[::1/x",
        # urllib3 (the sender's HTTP client) ends the host at the backslash: 169.254.169.254
        "https://169.254.169.254\\.push.apple.com/latest/meta-data",
    ],
)
def test_a_malformed_push_endpoint_is_refused_not_a_500(cloud: Cloud, endpoint: str) -> None:
    alice, _, _ = people(cloud)
    keys = {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1"
        "XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    }
    body = {"endpoint": endpoint, "keys": keys}
    refused = cloud.call("POST", "/v1/me/push-subscriptions", alice, body)
    assert refused.status == 422, refused.body
    assert refused.body["fields"][0]["path"] == "body.endpoint"


@pytest.mark.parametrize(
    ("template", "as_admin"),
    [
        ("/v1/me/notification-preferences", False),
        ("/v1/accounts/{account}/notification-defaults", True),
    ],
    ids=["preferences", "account-defaults"],
)
def test_a_version_beyond_any_saved_one_is_refused_with_the_field(
    cloud: Cloud, template: str, as_admin: bool
) -> None:
    """A version of 39 digits (the JSON gate takes 40 characters) was a 500: DynamoDB
    numbers hold 38 digits, so writing version + 1 failed before the version check."""
    alice, _, admin = people(cloud)
    caller = admin if as_admin else alice
    body = {"channels": {"trades": {"email": False}}, "version": 10**39}
    refused = cloud.call("PUT", template, caller, body, account=ACC)
    assert refused.status == 422, refused.body
    assert [f["path"] for f in refused.body["fields"]] == ["body.version"]
    assert cloud.call("GET", template, caller, account=ACC).body["version"] == 0
