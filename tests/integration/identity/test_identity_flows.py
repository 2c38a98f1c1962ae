"""End-to-end flows through the identity handler against moto."""

from __future__ import annotations

import re

import pytest

from .conftest import ACCOUNTS, Cloud, invite_and_accept

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
