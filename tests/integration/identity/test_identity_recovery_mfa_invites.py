"""Password recovery through Cognito, MFA enforcement for privileged changes, resend and
revoke of invitations."""

from __future__ import annotations

import pytest
from moto.cognitoidp.models import cognitoidp_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from .conftest import ACCOUNTS, INVITES, PASSWORD, REGION, Cloud, World

pytestmark = pytest.mark.integration


def test_forgot_password_never_reveals_users_and_confirm_checks_the_code(cloud: Cloud) -> None:
    cloud.user("forgetful@a.example")
    for name in ("forgetful@a.example", "nobody@a.example"):
        reply = cloud.call("POST", "/v1/password/forgot", None, {"username": name})
        assert reply.status == 202
    wrong = cloud.call(
        "POST",
        "/v1/password/confirm",
        None,
        {
            "username": "forgetful@a.example",
            "code": "moto-confirmation-code:000000",  # moto checks only codes of its own shape
            "new_password": PASSWORD + "x",
        },
    )
    assert (wrong.status, wrong.body["error"]) == (400, "invalid_code")
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION].user_pools[cloud.pool_id]
    emailed_code = pool._get_user("forgetful@a.example").confirmation_code
    confirmed = cloud.call(
        "POST",
        "/v1/password/confirm",
        None,
        {"username": "forgetful@a.example", "code": emailed_code, "new_password": "New-Pass-42-ok"},
    )
    assert confirmed.status == 204
    assert cloud.token("forgetful@a.example", "New-Pass-42-ok")
    invalid = cloud.call("POST", "/v1/password/forgot", None, {"username": "not an email"})
    assert invalid.status == 422


def test_privileged_changes_need_totp_enrolment(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True)
    refused = cloud.call("POST", ACCOUNTS, admin, {"name": "Too early"})
    assert (refused.status, refused.body["error"]) == (403, "mfa_required")
    cloud.enrol_mfa(admin)
    assert cloud.call("POST", ACCOUNTS, admin, {"name": "Now"}).status == 201


def test_resend_renews_the_password_and_revoke_removes_the_invitation(world: World) -> None:
    cloud, a, admin = world.cloud, world.account_a, world.people["admin"]
    invited = cloud.call(
        "POST", INVITES, admin, {"email": "pending@a.example", "role": "viewer"}, account_id=a
    ).body
    resent = cloud.call(
        "POST", INVITES + "/{subject}/resend", admin, account_id=a, subject=invited["subject"]
    )
    assert resent.status == 200
    assert resent.body["expires_at"] >= invited["expires_at"]
    mails = cloud.mails_to("pending@a.example")
    assert len(mails) == 2
    assert mails[0]["body"] != mails[1]["body"]
    pending = cloud.call("GET", INVITES, admin, account_id=a).body["items"]
    assert [m["email"] for m in pending] == ["pending@a.example"]
    revoked = cloud.call(
        "DELETE", INVITES + "/{subject}", admin, account_id=a, subject=invited["subject"]
    )
    assert revoked.status == 204
    assert cloud.call("GET", INVITES, admin, account_id=a).body["items"] == []
    invitee = cloud.login_invitee("pending@a.example")
    late = cloud.call("POST", "/v1/me/invitations/{account_id}/accept", invitee, account_id=a)
    assert late.status == 404
    types = [e["detail_type"] for e in cloud.outbox()]
    assert types.count("InvitationRevoked") == 1
