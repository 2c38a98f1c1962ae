"""A suspended account refuses its members everywhere (THREAT_MODEL.md, "suspended
accounts"): its own record and the names and emails of its CAMs included, as its CAM list
already refuses them. Its CAMs and SCTS administrators keep reading it."""

from __future__ import annotations

import pytest

from .conftest import ACCOUNT, ACCOUNTS, World

pytestmark = pytest.mark.integration


def _suspend(world: World) -> None:
    reply = world.cloud.call(
        "POST", ACCOUNT + "/suspend", world.scts_admin, {"reason": "x"},
        account_id=world.account_a,
    )  # fmt: skip
    assert reply.status == 200, reply.body


def test_a_member_of_a_suspended_account_cannot_read_it_but_staff_can(world: World) -> None:
    _suspend(world)
    for who in ("admin", "viewer"):
        reply = world.cloud.call("GET", ACCOUNT, world.people[who], account_id=world.account_a)
        assert (reply.status, reply.body["error"]) == (403, "account_suspended"), reply.body
    for who in ("cam", "scts_admin"):
        reply = world.cloud.call("GET", ACCOUNT, world.people[who], account_id=world.account_a)
        assert reply.status == 200, reply.body
        assert [c["email"] for c in reply.body["cams"]] == ["cam@stx.example"]


def test_a_suspended_account_lists_no_cams_to_its_members(world: World) -> None:
    _suspend(world)
    listed = world.cloud.call("GET", ACCOUNTS, world.people["admin"])
    assert listed.status == 200, listed.body
    assert [(a["status"], a["cams"]) for a in listed.body["items"]] == [("suspended", None)]
