"""End-to-end flows through the identity handler against moto."""

from __future__ import annotations

import re

import pytest

from .conftest import ACCEPT, ACCOUNTS, INVITES, Cloud, invite_and_accept

pytestmark = pytest.mark.integration


def test_admin_creates_account_invites_first_admin_who_invites_a_trader(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    created = cloud.call("POST", ACCOUNTS, admin, {"name": "Nordic Green"})
    assert created.status == 201, created.body
    account_id = created.body["account_id"]

    boss = invite_and_accept(cloud, admin, account_id, "boss@nordic.example", "admin")
    mail = cloud.mails_to("boss@nordic.example")
    assert len(mail) == 1
    assert re.search(r"temporary password: \S{16}", mail[0]["body"])
    cloud.enrol_mfa(boss)

    trader = invite_and_accept(cloud, boss, account_id, "trader@nordic.example", "trader")
    me = cloud.call("GET", "/v1/me", trader)
    assert me.status == 200
    assert [(m["account_id"], m["role"]) for m in me.body["memberships"]] == [
        (account_id, "trader")
    ]
    assert "trades:manage" in me.body["memberships"][0]["permissions"]

    types = [e["detail_type"] for e in cloud.outbox()]
    assert types.count("AccessGranted") == 2
    assert "AccountCreated" in types


def test_first_admin_invitation_stays_manageable_until_someone_accepts(cloud: Cloud) -> None:
    """A pending first-admin invitation must not lock its inviter out: it can be resent,
    revoked and replaced until an admin is active; then the account manages itself."""
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    account_id = cloud.call("POST", ACCOUNTS, admin, {"name": "Nordic Green"}).body["account_id"]
    invite = {"email": "boss@nordic.example", "role": "admin"}
    first = cloud.call("POST", INVITES, admin, invite, account_id=account_id)
    assert first.status == 201, first.body
    subject = first.body["subject"]
    invitation = INVITES + "/{subject}"

    resent = cloud.call(
        "POST", invitation + "/resend", admin, account_id=account_id, subject=subject
    )
    assert resent.status == 200, resent.body
    revoked = cloud.call("DELETE", invitation, admin, account_id=account_id, subject=subject)
    assert revoked.status == 204, revoked.body
    again = {"email": "boss2@nordic.example", "role": "admin"}
    assert cloud.call("POST", INVITES, admin, again, account_id=account_id).status == 201

    boss = cloud.login_invitee("boss2@nordic.example")
    assert cloud.call("POST", ACCEPT, boss, account_id=account_id).status == 200
    third = {"email": "boss3@nordic.example", "role": "admin"}
    assert cloud.call("POST", INVITES, admin, third, account_id=account_id).status == 403
