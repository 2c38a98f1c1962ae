"""Every identity route, called in-process against moto, on its success and its main error
paths: each answer must be a status its operation documents in contracts/openapi/identity.json
and a body matching that status's schema (no undeclared field). A route added to the
topology without a scenario here fails `test_every_route_has_a_scenario`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from moto.cognitoidp.models import cognitoidp_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from services.identity import dependencies
from services.identity.handlers import api
from services.identity.topology import TOPOLOGY
from tests.support.openapi_check import assert_matches_openapi, response_problems

from .conftest import (
    ACCEPT,
    ACCOUNT,
    ACCOUNTS,
    INVITES,
    MEMBER,
    PASSWORD,
    REGION,
    Cloud,
    FakeContext,
    User,
    World,
    build_world,
    cloud_context,
    invite_and_accept,
    request_event,
    totp_code,
)

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("identity-openapi")]

DOCUMENT = "identity"
INVITATION = INVITES + "/{subject}"
ACCOUNT_CAMS = ACCOUNT + "/cams"
ACCOUNT_CAM = ACCOUNT_CAMS + "/{subject}"
AUDIT = ACCOUNT + "/audit"


@dataclass
class Walk:
    world: World

    @property
    def cloud(self) -> Cloud:
        return self.world.cloud

    @property
    def a(self) -> str:
        return self.world.account_a

    @property
    def b(self) -> str:
        return self.world.account_b

    def who(self, name: str) -> User:
        return self.world.people[name]

    def check(
        self,
        method: str,
        template: str,
        user: User | None,
        status: int,
        body: Any = None,
        query: dict[str, str] | None = None,
        **params: str,
    ) -> Any:
        """Call, expect `status`, check the answer against the document; the body."""
        reply = self.cloud.call(method, template, user, body, query, **params)
        assert reply.status == status, (method, template, reply.body)
        assert_matches_openapi(DOCUMENT, method, template, reply.status, reply.body)
        return reply.body

    def person(self, label: str, *, mfa: bool = False) -> User:
        return self.cloud.user(f"{label}-{uuid.uuid4().hex[:8]}@walk.example", mfa=mfa)

    def member_of_a(self, role: str = "viewer") -> User:
        email = f"m-{uuid.uuid4().hex[:8]}@a.example"
        return invite_and_accept(self.cloud, self.who("admin"), self.a, email, role)

    def invitation_in_a(self) -> str:
        email = f"i-{uuid.uuid4().hex[:8]}@a.example"
        body = {"email": email, "role": "viewer"}
        invited = self.check("POST", INVITES, self.who("admin"), 201, body, account_id=self.a)
        return str(invited["subject"])

    def new_cam(self) -> User:
        cam = self.person("cam", mfa=True)
        made = {"email": cam.email, "name": "Walk CAM"}
        self.check("POST", "/v1/cams", self.world.scts_admin, 201, made)
        return cam

    def new_account(self) -> str:
        made = self.check("POST", ACCOUNTS, self.world.scts_admin, 201, {"name": "Walk"})
        return str(made["account_id"])


@pytest.fixture(scope="module")
def walk() -> Iterator[Walk]:
    with pytest.MonkeyPatch.context() as monkeypatch, cloud_context(monkeypatch) as cloud:
        yield Walk(build_world(cloud))


# ---- one scenario per route


def version(w: Walk) -> None:
    w.check("GET", "/v1/version", None, 200)


def forgot_password(w: Walk) -> None:
    w.check("POST", "/v1/password/forgot", None, 202, {"username": "viewer@a.example"})
    w.check("POST", "/v1/password/forgot", None, 202, {"username": "nobody@a.example"})
    w.check("POST", "/v1/password/forgot", None, 422, {"username": "not an email"})


def confirm_password(w: Walk) -> None:
    person = w.person("forgetful")
    w.check("POST", "/v1/password/forgot", None, 202, {"username": person.email})
    attempt = {"username": person.email, "new_password": PASSWORD + "x"}
    wrong = {**attempt, "code": "moto-confirmation-code:000000"}
    assert w.check("POST", "/v1/password/confirm", None, 400, wrong)["error"] == "invalid_code"
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION].user_pools[w.cloud.pool_id]
    code = pool._get_user(person.email).confirmation_code
    w.check("POST", "/v1/password/confirm", None, 204, {**attempt, "code": code})


def get_me(w: Walk) -> None:
    me = w.check("GET", "/v1/me", w.who("cam"), 200)
    assert [a["account_id"] for a in me["cam_accounts"]] == [w.a]
    w.check("GET", "/v1/me", w.who("viewer"), 200)
    w.check("GET", "/v1/me", None, 401)


def get_preferences(w: Walk) -> None:
    assert w.check("GET", "/v1/me/preferences", w.person("p"), 200)["version"] == 0


def put_preferences(w: Walk) -> None:
    person = w.person("p")
    saved = w.check("PUT", "/v1/me/preferences", person, 200, {"locale": "nl-NL"})
    assert (saved["version"], saved["values"]["locale"]) == (1, "nl-NL")
    w.check("PUT", "/v1/me/preferences", person, 422, {"timezone": "Mars/Olympus"})
    event = request_event("PUT", "/v1/me/preferences", "/v1/me/preferences", person.token, "x")
    event["headers"]["content-type"] = "text/plain"
    result = api.handler(event, FakeContext())  # type: ignore[arg-type]
    assert result["statusCode"] == 415
    assert not response_problems(
        DOCUMENT, "PUT", "/v1/me/preferences", 415, json.loads(result["body"])
    )


def start_totp(w: Walk) -> None:
    started = w.check("POST", "/v1/me/mfa/totp", w.person("t"), 200)
    assert started["otpauth_uri"].startswith("otpauth://totp/SCTS:")


def verify_totp(w: Walk) -> None:
    person = w.person("t")
    secret = w.check("POST", "/v1/me/mfa/totp", person, 200)["secret_code"]
    w.check("POST", "/v1/me/mfa/totp/verify", person, 204, {"code": totp_code(secret)})
    w.check("POST", "/v1/me/mfa/totp/verify", person, 422, {"code": "12ab56"})


def accept_invitation(w: Walk) -> None:
    email = f"n-{uuid.uuid4().hex[:8]}@a.example"
    body = {"email": email, "role": "viewer"}
    w.check("POST", INVITES, w.who("admin"), 201, body, account_id=w.a)
    invitee = w.cloud.login_invitee(email)
    accepted = w.check("POST", ACCEPT, invitee, 200, account_id=w.a)
    assert accepted["status"] == "active"
    assert w.check("POST", ACCEPT, invitee, 200, account_id=w.a) == accepted  # a retry
    w.check("POST", ACCEPT, w.who("stranger"), 404, account_id=w.a)
    late_email = f"late-{uuid.uuid4().hex[:8]}@a.example"
    late_body = {"email": late_email, "role": "viewer"}
    w.check("POST", INVITES, w.who("admin"), 201, late_body, account_id=w.a)
    late = w.cloud.login_invitee(late_email)
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
    with dependencies.clock.override(lambda: later):
        expired = w.check("POST", ACCEPT, late, 410, account_id=w.a)
    assert expired["error"] == "invitation_expired"


def list_roles(w: Walk) -> None:
    roles = w.check("GET", "/v1/roles", w.who("viewer"), 200)
    assert {r["name"] for r in roles["items"]} == {"admin", "trader", "finance", "viewer"}
    assert roles["next_cursor"] is None


def list_accounts(w: Walk) -> None:
    root = w.world.scts_admin
    first = w.check("GET", ACCOUNTS, root, 200, query={"limit": "1"})
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    rest = w.check("GET", ACCOUNTS, root, 200, query={"cursor": first["next_cursor"]})
    assert first["items"][0] not in rest["items"]
    assert rest["items"]
    w.check("GET", ACCOUNTS, w.who("viewer"), 422, query={"cursor": first["next_cursor"]})
    w.check("GET", ACCOUNTS, root, 422, query={"cursor": "forged"})
    w.check("GET", ACCOUNTS, root, 422, query={"limit": "0"})
    w.check("GET", ACCOUNTS, root, 422, query={"sort": "name"})
    assert w.check("GET", ACCOUNTS, w.who("stranger"), 200)["items"] == []


def create_account(w: Walk) -> None:
    created = w.check("POST", ACCOUNTS, w.world.scts_admin, 201, {"name": "Fresh"})
    assert created["status"] == "active"
    w.check("POST", ACCOUNTS, w.who("stranger"), 403, {"name": "Mine"})
    w.check("POST", ACCOUNTS, w.world.scts_admin, 422, {"name": ""})


def get_account(w: Walk) -> None:
    w.check("GET", ACCOUNT, w.who("viewer"), 200, account_id=w.a)
    w.check("GET", ACCOUNT, w.who("stranger"), 404, account_id=w.a)
    w.check("GET", ACCOUNT, w.who("viewer"), 404, account_id=w.b)
    w.check("GET", ACCOUNT, w.who("viewer"), 422, account_id="not an id!")


def suspend_account(w: Walk) -> None:
    account = w.new_account()
    root = w.world.scts_admin
    reason = {"reason": "walk"}
    assert w.check("POST", ACCOUNT + "/suspend", root, 200, reason, account_id=account)[
        "status"
    ] == ("suspended")
    w.check("POST", ACCOUNT + "/suspend", root, 409, reason, account_id=account)
    w.check("POST", ACCOUNT + "/suspend", w.who("admin"), 403, reason, account_id=w.a)
    w.check("POST", ACCOUNT + "/suspend", w.who("viewer"), 404, reason, account_id=account)


def reactivate_account(w: Walk) -> None:
    account = w.new_account()
    root = w.world.scts_admin
    w.check("POST", ACCOUNT + "/reactivate", root, 409, account_id=account)
    w.check("POST", ACCOUNT + "/suspend", root, 200, {"reason": "walk"}, account_id=account)
    w.check("POST", ACCOUNT + "/reactivate", root, 200, account_id=account)
    w.check("POST", ACCOUNT + "/reactivate", w.who("trader"), 403, account_id=w.a)


def list_members(w: Walk) -> None:
    admin = w.who("admin")
    members = ACCOUNT + "/members"
    first = w.check("GET", members, admin, 200, query={"limit": "2"}, account_id=w.a)
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    later = {"limit": "200", "cursor": first["next_cursor"]}
    rest = w.check("GET", members, admin, 200, query=later, account_id=w.a)
    assert rest["next_cursor"] is None
    seen = [m["subject"] for m in first["items"] + rest["items"]]
    assert seen == sorted(set(seen))
    w.check("GET", members, w.who("other_admin"), 422, query=later, account_id=w.b)
    w.check("GET", members, w.who("finance"), 403, account_id=w.a)
    w.check("GET", members, w.who("stranger"), 404, account_id=w.a)


def change_role(w: Walk) -> None:
    admin, member = w.who("admin"), w.member_of_a()
    changed = w.check(
        "PUT", MEMBER, admin, 200, {"role": "trader"}, account_id=w.a, subject=member.sub
    )
    assert "trades:manage" in changed["permissions"]
    w.check("PUT", MEMBER, admin, 409, {"role": "trader"}, account_id=w.a, subject=member.sub)
    w.check("PUT", MEMBER, admin, 404, {"role": "trader"}, account_id=w.a, subject="nobody")
    w.check("PUT", MEMBER, admin, 422, {"role": "owner"}, account_id=w.a, subject=member.sub)
    w.check(
        "PUT", MEMBER, w.who("viewer"), 403, {"role": "admin"}, account_id=w.a, subject=member.sub
    )


def remove_member(w: Walk) -> None:
    admin, member = w.who("admin"), w.member_of_a()
    w.check("DELETE", MEMBER, admin, 204, account_id=w.a, subject=member.sub)
    w.check("DELETE", MEMBER, admin, 404, account_id=w.a, subject=member.sub)
    last = w.check("DELETE", MEMBER, admin, 409, account_id=w.a, subject=admin.sub)
    assert last["error"] == "last_admin"


def list_invitations(w: Walk) -> None:
    subject = w.invitation_in_a()
    pending = w.check("GET", INVITES, w.who("admin"), 200, account_id=w.a)
    assert subject in [i["subject"] for i in pending["items"]]
    assert {i["status"] for i in pending["items"]} == {"invited"}
    w.check("GET", INVITES, w.who("trader"), 403, account_id=w.a)


def invite(w: Walk) -> None:
    admin = w.who("admin")
    body = {"email": f"x-{uuid.uuid4().hex[:8]}@a.example", "role": "finance"}
    invited = w.check("POST", INVITES, admin, 201, body, account_id=w.a)
    assert (invited["status"], invited["activated_at"]) == ("invited", None)
    w.check("POST", INVITES, admin, 409, body, account_id=w.a)
    w.check("POST", INVITES, admin, 422, {**body, "email": "nope"}, account_id=w.a)
    w.check("POST", INVITES, w.who("viewer"), 403, body, account_id=w.a)
    w.check("POST", INVITES, w.who("other_admin"), 404, body, account_id=w.a)


def resend_invitation(w: Walk) -> None:
    admin, subject = w.who("admin"), w.invitation_in_a()
    w.check("POST", INVITATION + "/resend", admin, 200, account_id=w.a, subject=subject)
    w.check("POST", INVITATION + "/resend", admin, 404, account_id=w.a, subject="nobody")


def revoke_invitation(w: Walk) -> None:
    admin, subject = w.who("admin"), w.invitation_in_a()
    w.check("DELETE", INVITATION, admin, 204, account_id=w.a, subject=subject)
    w.check("DELETE", INVITATION, admin, 404, account_id=w.a, subject=subject)


def list_cams(w: Walk) -> None:
    listed = w.check("GET", "/v1/cams", w.world.scts_admin, 200)
    assert w.who("cam").sub in [c["subject"] for c in listed["items"]]
    w.check("GET", "/v1/cams", w.who("admin"), 403)


def create_cam(w: Walk) -> None:
    cam = w.new_cam()
    again = {"email": cam.email, "name": "Again"}
    w.check("POST", "/v1/cams", w.world.scts_admin, 409, again)
    w.check("POST", "/v1/cams", w.who("cam"), 403, {"email": "c@x.example", "name": "C"})


def list_staff_audit(w: Walk) -> None:
    listed = w.check("GET", "/v1/audit", w.world.scts_admin, 200)
    assert listed["items"], listed
    w.check("GET", "/v1/audit", w.who("admin"), 403)
    w.check("GET", "/v1/audit", w.who("cam"), 403)


def verify_platform_audit_chain(w: Walk) -> None:
    verified = w.check("GET", "/v1/audit/verify", w.world.scts_admin, 200)
    assert verified["ok"] is True, verified
    w.check("GET", "/v1/audit/verify", w.who("admin"), 403)


def list_account_cams(w: Walk) -> None:
    listed = w.check("GET", ACCOUNT_CAMS, w.who("cam"), 200, account_id=w.a)
    assert [c["subject"] for c in listed["items"]] == [w.who("cam").sub]
    w.check("GET", ACCOUNT_CAMS, w.who("viewer"), 403, account_id=w.a)
    w.check("GET", ACCOUNT_CAMS, w.who("admin"), 404, account_id=w.b)


def assign_cam(w: Walk) -> None:
    root, cam, account = w.world.scts_admin, w.new_cam(), w.new_account()
    w.check("PUT", ACCOUNT_CAM, root, 200, account_id=account, subject=cam.sub)
    w.check("PUT", ACCOUNT_CAM, root, 409, account_id=account, subject=cam.sub)
    w.check("PUT", ACCOUNT_CAM, root, 404, account_id=account, subject="no-such-cam")
    w.check("PUT", ACCOUNT_CAM, w.who("admin"), 403, account_id=w.a, subject=cam.sub)


def unassign_cam(w: Walk) -> None:
    root, cam, account = w.world.scts_admin, w.new_cam(), w.new_account()
    w.check("PUT", ACCOUNT_CAM, root, 200, account_id=account, subject=cam.sub)
    w.check("DELETE", ACCOUNT_CAM, root, 204, account_id=account, subject=cam.sub)
    w.check("DELETE", ACCOUNT_CAM, root, 404, account_id=account, subject=cam.sub)


def list_audit_entries(w: Walk) -> None:
    admin = w.who("admin")
    newest = w.check("GET", AUDIT, admin, 200, query={"limit": "2"}, account_id=w.a)
    older = w.check(
        "GET", AUDIT, admin, 200, query={"cursor": newest["next_cursor"]}, account_id=w.a
    )
    assert older["items"][0]["seq"] == newest["items"][-1]["seq"] - 1
    w.check("GET", AUDIT, w.world.scts_admin, 200, account_id=w.a)
    w.check("GET", AUDIT, w.who("trader"), 403, account_id=w.a)


def verify_audit_chain(w: Walk) -> None:
    verified = w.check("GET", AUDIT + "/verify", w.who("admin"), 200, account_id=w.a)
    assert verified["ok"] is True
    assert verified["broken"] is None
    w.check("GET", AUDIT + "/verify", w.who("stranger"), 404, account_id=w.a)


SCENARIOS: dict[tuple[str, str], Callable[[Walk], None]] = {
    ("GET", "/v1/version"): version,
    ("POST", "/v1/password/forgot"): forgot_password,
    ("POST", "/v1/password/confirm"): confirm_password,
    ("GET", "/v1/me"): get_me,
    ("GET", "/v1/me/preferences"): get_preferences,
    ("PUT", "/v1/me/preferences"): put_preferences,
    ("POST", "/v1/me/mfa/totp"): start_totp,
    ("POST", "/v1/me/mfa/totp/verify"): verify_totp,
    ("POST", ACCEPT): accept_invitation,
    ("GET", "/v1/roles"): list_roles,
    ("GET", ACCOUNTS): list_accounts,
    ("POST", ACCOUNTS): create_account,
    ("GET", ACCOUNT): get_account,
    ("POST", ACCOUNT + "/suspend"): suspend_account,
    ("POST", ACCOUNT + "/reactivate"): reactivate_account,
    ("GET", ACCOUNT + "/members"): list_members,
    ("PUT", MEMBER): change_role,
    ("DELETE", MEMBER): remove_member,
    ("GET", INVITES): list_invitations,
    ("POST", INVITES): invite,
    ("POST", INVITATION + "/resend"): resend_invitation,
    ("DELETE", INVITATION): revoke_invitation,
    ("GET", "/v1/cams"): list_cams,
    ("GET", "/v1/audit"): list_staff_audit,
    ("GET", "/v1/audit/verify"): verify_platform_audit_chain,
    ("POST", "/v1/cams"): create_cam,
    ("GET", ACCOUNT_CAMS): list_account_cams,
    ("PUT", ACCOUNT_CAM): assign_cam,
    ("DELETE", ACCOUNT_CAM): unassign_cam,
    ("GET", AUDIT): list_audit_entries,
    ("GET", AUDIT + "/verify"): verify_audit_chain,
}


def test_every_route_has_a_scenario() -> None:
    assert set(SCENARIOS) == {(r.method, r.path) for r in TOPOLOGY.routes}


@pytest.mark.parametrize("route", list(SCENARIOS), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_answer_is_documented(walk: Walk, route: tuple[str, str]) -> None:
    SCENARIOS[route](walk)


def test_a_stored_attribute_never_reaches_the_answer(walk: Walk) -> None:
    """An attribute added to the stored account tomorrow: the allow-list keeps it out."""
    table = walk.cloud.dynamodb.Table(walk.cloud.table)
    table.update_item(
        Key={"pk": f"ACCOUNT#{walk.a}", "sk": "ACCOUNT"},
        UpdateExpression="SET internal_note = :n",
        ExpressionAttributeValues={":n": "credit line under review"},
    )
    body = walk.check("GET", ACCOUNT, walk.who("admin"), 200, account_id=walk.a)
    assert set(body) == {"account_id", "name", "status", "created_at", "cams"}


def test_the_document_check_catches_an_undeclared_field_and_status(walk: Walk) -> None:
    """The check used above can fail: an extra field, a wrong type, an undocumented status."""
    reply = walk.cloud.call("GET", ACCOUNT, walk.who("admin"), account_id=walk.a)
    assert not response_problems(DOCUMENT, "GET", ACCOUNT, reply.status, reply.body)
    leaked = {**reply.body, "created_by": walk.who("admin").sub}
    assert any("created_by" in p for p in response_problems(DOCUMENT, "GET", ACCOUNT, 200, leaked))
    retyped = {**reply.body, "status": 1}
    assert response_problems(DOCUMENT, "GET", ACCOUNT, 200, retyped)
    assert response_problems(DOCUMENT, "GET", ACCOUNT, 409, reply.body)
    page = walk.cloud.call("GET", ACCOUNTS, walk.world.scts_admin).body
    inner = {**page, "items": [{**page["items"][0], "kind_pk": "ACCOUNT"}]}
    assert response_problems(DOCUMENT, "GET", ACCOUNTS, 200, inner)
