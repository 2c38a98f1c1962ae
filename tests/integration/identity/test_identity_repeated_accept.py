"""Accepting an invitation again (a client retrying after a lost response) answers as the
first acceptance did and changes nothing; everyone else is answered as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.identity import dependencies

from .conftest import ACCEPT, INVITES, MEMBER, Cloud, World, invite_and_accept

pytestmark = pytest.mark.integration


def table_items(cloud: Cloud) -> list[dict[str, Any]]:
    items = cloud.dynamodb.Table(cloud.table).scan(ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["pk"], item["sk"]))


def invite(world: World, email: str) -> None:
    reply = world.cloud.call(
        "POST",
        INVITES,
        world.people["admin"],
        {"email": email, "role": "viewer"},
        account_id=world.account_a,
    )
    assert reply.status == 201, reply.body


def test_accepting_again_answers_the_active_membership_and_changes_nothing(world: World) -> None:
    cloud = world.cloud
    invite(world, "retry@a.example")
    invitee = cloud.login_invitee("retry@a.example")
    first = cloud.call("POST", ACCEPT, invitee, account_id=world.account_a)
    assert first.status == 200, first.body
    before = table_items(cloud)

    again = cloud.call("POST", ACCEPT, invitee, account_id=world.account_a)

    assert (again.status, again.body) == (first.status, first.body)
    assert again.body["status"] == "active"
    assert table_items(cloud) == before  # no audit entry, no AccessGranted, no state


def test_accepting_again_after_a_role_change_answers_the_membership_as_it_is(
    world: World,
) -> None:
    cloud, viewer = world.cloud, world.people["viewer"]
    changed = cloud.call(
        "PUT",
        MEMBER,
        world.people["admin"],
        {"role": "trader"},
        account_id=world.account_a,
        subject=viewer.sub,
    )
    assert changed.status == 200, changed.body
    before = table_items(cloud)

    again = cloud.call("POST", ACCEPT, viewer, account_id=world.account_a)

    assert again.status == 200, again.body
    assert (again.body["subject"], again.body["role"]) == (viewer.sub, "trader")
    assert table_items(cloud) == before


@pytest.mark.parametrize("who", ["other_admin", "stranger", "cam", "scts_admin"])
def test_people_without_a_membership_still_get_404(world: World, who: str) -> None:
    reply = world.cloud.call("POST", ACCEPT, world.people[who], account_id=world.account_a)
    assert (reply.status, reply.body["error"]) == (404, "not_found")


def test_a_removed_member_still_gets_404(world: World) -> None:
    cloud, viewer = world.cloud, world.people["viewer"]
    removed = cloud.call(
        "DELETE", MEMBER, world.people["admin"], account_id=world.account_a, subject=viewer.sub
    )
    assert removed.status == 204, removed.body
    reply = cloud.call("POST", ACCEPT, viewer, account_id=world.account_a)
    assert (reply.status, reply.body["error"]) == (404, "not_found")


def test_a_revoked_invitation_still_gets_404(world: World) -> None:
    cloud = world.cloud
    invite(world, "revoked@a.example")
    invitee = cloud.login_invitee("revoked@a.example")
    revoked = cloud.call(
        "DELETE",
        INVITES + "/{subject}",
        world.people["admin"],
        account_id=world.account_a,
        subject=invitee.sub,
    )
    assert revoked.status == 204, revoked.body
    reply = cloud.call("POST", ACCEPT, invitee, account_id=world.account_a)
    assert (reply.status, reply.body["error"]) == (404, "not_found")


def test_an_expired_invitation_still_gets_410(world: World) -> None:
    cloud = world.cloud
    invite(world, "late@a.example")
    invitee = cloud.login_invitee("late@a.example")
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
    with dependencies.clock.override(lambda: later):
        reply = cloud.call("POST", ACCEPT, invitee, account_id=world.account_a)
    assert (reply.status, reply.body["error"]) == (410, "invitation_expired")


def test_a_suspended_account_still_refuses_invitees_and_answers_members_404(
    world: World,
) -> None:
    cloud, root = world.cloud, world.scts_admin
    invite(world, "pending@a.example")
    pending = cloud.login_invitee("pending@a.example")
    member = invite_and_accept(
        cloud, world.people["admin"], world.account_a, "m@a.example", "viewer"
    )
    suspended = cloud.call(
        "POST",
        "/v1/accounts/{account_id}/suspend",
        root,
        {"reason": "review"},
        account_id=world.account_a,
    )
    assert suspended.status == 200, suspended.body

    refused = cloud.call("POST", ACCEPT, pending, account_id=world.account_a)
    assert (refused.status, refused.body["error"]) == (403, "account_suspended")
    before = table_items(cloud)
    again = cloud.call("POST", ACCEPT, member, account_id=world.account_a)
    assert (again.status, again.body["error"]) == (404, "not_found")
    assert table_items(cloud) == before
