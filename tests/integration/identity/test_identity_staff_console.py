"""What the staff console reads from identity (issue 17), against moto: accounts with
their assigned CAMs, and the platform-wide audit of staff actions."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import ACCOUNTS, Cloud, invite_and_accept

pytestmark = pytest.mark.integration

CAMS = "/v1/accounts/{account_id}/cams/{subject}"
VERIFY = "/v1/accounts/{account_id}/audit/verify"


def _cams(account: dict[str, Any]) -> list[tuple[str, str | None]] | None:
    cams = account["cams"]
    return None if cams is None else [(c["name"], c["email"]) for c in cams]


def test_accounts_name_their_cams_to_those_who_may_read_users(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    first = cloud.call("POST", ACCOUNTS, admin, {"name": "First"}).body["account_id"]
    second = cloud.call("POST", ACCOUNTS, admin, {"name": "Second"}).body["account_id"]
    cam = cloud.call("POST", "/v1/cams", admin, {"email": "cam@stx.example", "name": "Carla"})
    assert cam.status == 201, cam.body
    assigned = cloud.call("PUT", CAMS, admin, account_id=first, subject=cam.body["subject"])
    assert assigned.status == 200, assigned.body

    listed = {a["account_id"]: a for a in cloud.call("GET", ACCOUNTS, admin).body["items"]}
    assert _cams(listed[first]) == [("Carla", "cam@stx.example")]
    assert _cams(listed[second]) == []
    assert listed[first]["status"] == "active"
    one = cloud.call("GET", ACCOUNTS + "/{account_id}", admin, account_id=first)
    assert _cams(one.body) == [("Carla", "cam@stx.example")]

    boss = invite_and_accept(cloud, admin, first, "boss@first.example", "admin")
    cloud.enrol_mfa(boss)
    trader = invite_and_accept(cloud, boss, first, "trader@first.example", "trader")
    (seen_by_boss,) = cloud.call("GET", ACCOUNTS, boss).body["items"]
    assert _cams(seen_by_boss) == [("Carla", "cam@stx.example")]
    (seen_by_trader,) = cloud.call("GET", ACCOUNTS, trader).body["items"]
    assert seen_by_trader["cams"] is None

    cloud.call("DELETE", CAMS, admin, account_id=first, subject=cam.body["subject"])
    listed = {a["account_id"]: a for a in cloud.call("GET", ACCOUNTS, admin).body["items"]}
    assert _cams(listed[first]) == []


def test_scts_admins_read_every_staff_action_newest_first(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    account = cloud.call("POST", ACCOUNTS, admin, {"name": "Audited"}).body["account_id"]
    cam = cloud.call("POST", "/v1/cams", admin, {"email": "cam@stx.example", "name": "Carla"})
    subject = cam.body["subject"]
    cloud.call("PUT", CAMS, admin, account_id=account, subject=subject)
    cloud.call("POST", ACCOUNTS + "/{account_id}/suspend", admin, {"reason": "t"},
               account_id=account)  # fmt: skip
    cloud.call("POST", ACCOUNTS + "/{account_id}/reactivate", admin, account_id=account)
    cloud.call("DELETE", CAMS, admin, account_id=account, subject=subject)
    boss = invite_and_accept(cloud, admin, account, "boss@audited.example", "admin")
    refused = cloud.call(
        "POST", ACCOUNTS + "/{account_id}/suspend", boss, {"reason": "x"}, account_id=account
    )
    assert refused.status == 403, refused.body

    seen: list[dict[str, Any]] = []
    query: dict[str, str] = {"limit": "3"}
    while True:
        page = cloud.call("GET", "/v1/audit", admin, query=query)
        assert page.status == 200, page.body
        seen += page.body["items"]
        if page.body["next_cursor"] is None:
            break
        query["cursor"] = page.body["next_cursor"]

    assert [e["action"] for e in seen] == [
        "denied:account.suspend",
        "cam.unassign",
        "account.reactivate",
        "account.suspend",
        "cam.assign",
        "cam.create",
        "account.create",
    ]
    assert [e["at"] for e in seen] == sorted((e["at"] for e in seen), reverse=True)
    by_action = {e["action"]: e for e in seen}
    assert by_action["account.create"]["actor_email"] == "root@scts.example"
    assert by_action["account.create"]["target_name"] == "Audited"
    assert by_action["cam.assign"]["target_name"] == "Carla <cam@stx.example>"
    assert by_action["cam.create"]["chain"] == "platform"
    assert by_action["denied:account.suspend"]["actor_email"] == "boss@audited.example"
    assert by_action["denied:account.suspend"]["outcome"] == "denied"
    assert {e["action"] for e in seen}.isdisjoint({"invitation.create", "member.accept"})

    verified = cloud.call("GET", VERIFY, admin, account_id=account)
    assert verified.status == 200
    assert verified.body["ok"] is True, verified.body

    assert cloud.call("GET", "/v1/audit", boss).status == 403
