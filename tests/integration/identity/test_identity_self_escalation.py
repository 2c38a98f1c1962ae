"""Nobody enters an account on their own say-so (issue 11 #2): the inviter is never the
invitee, staff (CAMs, SCTS administrators) never become members, and an invitation is
accepted only by the person it was made for."""

from __future__ import annotations

import pytest

from .conftest import ACCEPT, ACCOUNTS, INVITES, World

pytestmark = pytest.mark.integration


def _members(world: World, account_id: str) -> list[str]:
    """Active members (pending invitations are listed too, but grant nothing)."""
    reply = world.cloud.call(
        "GET", ACCOUNTS + "/{account_id}/members", world.scts_admin, account_id=account_id
    )
    assert reply.status == 200, reply.body
    return [m["email"] for m in reply.body["items"] if m["status"] == "active"]


def test_a_cam_cannot_invite_itself_into_an_account_it_created(world: World) -> None:
    cam = world.people["cam"]
    created = world.cloud.call("POST", ACCOUNTS, cam, {"name": "CAM's own"})
    assert created.status == 201, created.body
    account_id = created.body["account_id"]
    reply = world.cloud.call(
        "POST", INVITES, cam, {"email": cam.email, "role": "admin"}, account_id=account_id
    )
    assert reply.status == 403, reply.body
    assert world.cloud.call("POST", ACCEPT, cam, account_id=account_id).status in (403, 404)
    assert _members(world, account_id) == []


def test_a_cam_cannot_take_a_pending_first_admin_seat(world: World) -> None:
    """Assigned account, first-admin invitation pending: the CAM's own email is refused."""
    cam, root = world.people["cam"], world.scts_admin
    account_id = world.cloud.call("POST", ACCOUNTS, root, {"name": "Pending"}).body["account_id"]
    assigned = world.cloud.call(
        "PUT", ACCOUNTS + "/{account_id}/cams/{subject}", root, account_id=account_id,
        subject=cam.sub,
    )  # fmt: skip
    assert assigned.status == 200, assigned.body
    first = world.cloud.call(
        "POST", INVITES, root, {"email": "first@pending.example", "role": "admin"},
        account_id=account_id,
    )  # fmt: skip
    assert first.status == 201, first.body
    own = world.cloud.call(
        "POST", INVITES, cam, {"email": cam.email, "role": "admin"}, account_id=account_id
    )
    assert own.status == 403, own.body
    by_root = world.cloud.call(
        "POST", INVITES, root, {"email": cam.email, "role": "admin"}, account_id=account_id
    )
    assert (by_root.status, by_root.body["error"]) == (409, "staff_cannot_be_member")
    # No invitation of its own exists: 404, as for anyone without one.
    assert world.cloud.call("POST", ACCEPT, cam, account_id=account_id).status == 404
    assert cam.email not in _members(world, account_id)


def test_an_scts_admin_cannot_invite_itself(world: World) -> None:
    root = world.scts_admin
    account_id = world.cloud.call("POST", ACCOUNTS, root, {"name": "Fresh"}).body["account_id"]
    reply = world.cloud.call(
        "POST", INVITES, root, {"email": root.email, "role": "admin"}, account_id=account_id
    )
    assert reply.status == 403, reply.body
    assert _members(world, account_id) == []


def _invited_then_made_cam(world: World, email: str) -> tuple[str, str]:
    """An admin invitation to a fresh account, then its invitee made a CAM: (account, subject)."""
    root = world.scts_admin
    account_id = world.cloud.call("POST", ACCOUNTS, root, {"name": email}).body["account_id"]
    invited = world.cloud.call(
        "POST", INVITES, root, {"email": email, "role": "admin"}, account_id=account_id
    )
    assert invited.status == 201, invited.body
    made_cam = world.cloud.call("POST", "/v1/cams", root, {"email": email, "name": "Later"})
    assert made_cam.status == 201, made_cam.body
    return account_id, invited.body["subject"]


def test_an_invitation_made_before_someone_became_staff_cannot_be_accepted(world: World) -> None:
    email = "later-cam@stx.example"
    account_id, _ = _invited_then_made_cam(world, email)
    person = world.cloud.login_invitee(email)
    refused = world.cloud.call("POST", ACCEPT, person, account_id=account_id)
    assert refused.status in (403, 404), refused.body  # 404: an unassigned CAM
    assert email not in _members(world, account_id)


def test_an_admin_cannot_reinvite_itself_into_another_role(world: World) -> None:
    admin = world.people["admin"]
    reply = world.cloud.call(
        "POST", INVITES, admin, {"email": admin.email, "role": "viewer"},
        account_id=world.account_a,
    )  # fmt: skip
    assert reply.status == 403, reply.body


def test_an_invitation_of_someone_who_became_staff_is_not_sent_again(world: World) -> None:
    email = "resent-cam@stx.example"
    account_id, subject = _invited_then_made_cam(world, email)
    mails_before = len(world.cloud.mails_to(email))

    resent = world.cloud.call(
        "POST", INVITES + "/{subject}/resend", world.scts_admin,
        account_id=account_id, subject=subject,
    )  # fmt: skip

    assert (resent.status, resent.body["error"]) == (409, "staff_cannot_be_member")
    assert len(world.cloud.mails_to(email)) == mails_before  # no new temporary password


def test_a_cam_who_never_signed_in_is_mailed_a_temporary_password(world: World) -> None:
    """Someone invited who never signed in has no password of their own: made a CAM, they
    get a fresh temporary password (as an invitation would), not "your existing password"."""
    email = "never-signed-in@stx.example"
    _invited_then_made_cam(world, email)
    welcome = world.cloud.mails_to(email)[-1]["body"]
    assert "temporary password: " in welcome, welcome
    password = welcome.split("temporary password: ")[1].splitlines()[0]
    started = world.cloud.cognito.admin_initiate_auth(
        UserPoolId=world.cloud.pool_id,
        ClientId=world.cloud.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
