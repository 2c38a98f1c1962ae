"""End-to-end acceptance of issue 4 on the runtime `make run` starts: real HTTP through the
gateways, real Cognito (moto) tokens, mail read from the local mailbox.

Every test creates its own people (unique emails) in a demo account, so the demo users the
last test checks are never changed.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from infra.local.aws import client
from infra.local.cognito import UserPool, login, strong_password, totp_code
from infra.local.demo import ApiClient
from infra.local.demo.identity import TEMPORARY_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DEMO_ACCOUNT = "Nordic Green Energy BV"
RESET_CODE = re.compile(r"code is (\S+?)\.?(?:\s|$)")
PROPAGATION_DEADLINE_SECONDS = 30
"""Generous bound for identity's events to reach another service's projection."""


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    subject: str
    access_token: str


class Portal:
    """The running portal as a browser + mail client would see it."""

    def __init__(self, endpoints: dict[str, Any]) -> None:
        self.endpoints = endpoints
        cognito = endpoints["cognito"]
        self.pool = UserPool(
            cognito["endpoint"], cognito["region"], cognito["user_pool_id"], cognito["client_id"]
        )
        self.cognito = client("cognito-idp", self.pool.endpoint)

    def api(self, service: str, token: str | None = None) -> ApiClient:
        return ApiClient(self.endpoints["services"][service], token)

    def identity(self, token: str | None = None) -> ApiClient:
        return self.api("identity", token)

    def mail_to(self, email: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.endpoints['mailbox']}/{email}", timeout=10)
        answer.raise_for_status()
        mails: list[dict[str, Any]] = answer.json()
        return mails

    def demo_user(self, role: str, account: str | None = None) -> dict[str, Any]:
        return next(
            u
            for u in self.endpoints["users"]
            if u["role"] == role and (account is None or u["account"] == account)
        )

    def login(self, username: str, password: str, totp_secret: str | None = None) -> str:
        tokens = login(self.cognito, self.pool, username, password, totp_secret)
        return str(tokens["AccessToken"])

    def initiate(self, username: str, password: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.cognito.initiate_auth(
            ClientId=self.pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return answer

    def respond(self, answer: dict[str, Any], name: str, **responses: str) -> dict[str, Any]:
        result: dict[str, Any] = self.cognito.respond_to_auth_challenge(
            ClientId=self.pool.client_id,
            ChallengeName=name,
            Session=answer["Session"],
            ChallengeResponses=responses,
        )
        return result


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    return Portal(local_runtime)


@pytest.fixture(scope="module")
def account_admin(portal: Portal) -> ApiClient:
    """The demo account's admin (TOTP enrolled), as a client of identity."""
    user = portal.demo_user("admin", DEMO_ACCOUNT)
    return portal.identity(portal.login(user["username"], user["password"], user["totp_secret"]))


@pytest.fixture(scope="module")
def account_id(account_admin: ApiClient) -> str:
    me = ok(account_admin.get("/v1/me"))
    return str(next(m["account_id"] for m in me["memberships"] if m["role"] == "admin"))


def ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def new_email(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@e2e.local"


def temporary_password(portal: Portal, email: str) -> str:
    """From the newest invitation or welcome mail (plain text; notification mails beside it
    are multipart: their body is a dict of parts)."""
    for mail in reversed(portal.mail_to(email)):
        body = mail["body"]
        found = TEMPORARY_PASSWORD.search(body) if isinstance(body, str) else None
        if found:
            return found.group(1)
    raise AssertionError(f"no invitation with a temporary password mailed to {email}")


def first_login(portal: Portal, email: str) -> tuple[str, str]:
    """Temporary password from the mailbox, NEW_PASSWORD_REQUIRED answered: (password, token)."""
    answer = portal.initiate(email, temporary_password(portal, email))
    assert answer.get("ChallengeName") == "NEW_PASSWORD_REQUIRED"
    password = strong_password()
    username = answer["ChallengeParameters"].get("USER_ID_FOR_SRP", email)
    answer = portal.respond(
        answer, "NEW_PASSWORD_REQUIRED", USERNAME=username, NEW_PASSWORD=password
    )
    return password, str(answer["AuthenticationResult"]["AccessToken"])


def onboard(portal: Portal, inviter: ApiClient, account_id: str, role: str, label: str) -> Person:
    email = new_email(label)
    invited = ok(
        inviter.post(f"/v1/accounts/{account_id}/invitations", json={"email": email, "role": role}),
        201,
    )
    password, token = first_login(portal, email)
    ok(portal.identity(token).post(f"/v1/me/invitations/{account_id}/accept"))
    return Person(email, password, str(invited["subject"]), token)


def eventually(check: Callable[[], bool], what: str) -> None:
    """Poll `check` until it holds; fail after the generous propagation deadline."""
    deadline = time.monotonic() + PROPAGATION_DEADLINE_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {PROPAGATION_DEADLINE_SECONDS} s: {what}")
        time.sleep(0.25)


def role_permissions(portal: Portal, token: str, role: str) -> list[str]:
    roles = ok(portal.identity(token).get("/v1/roles"))["items"]
    return sorted(next(r["permissions"] for r in roles if r["name"] == role))


def test_an_invited_colleague_logs_in_accepts_and_sees_the_membership(
    portal: Portal, account_admin: ApiClient, account_id: str
) -> None:
    email = new_email("colleague")

    invited = ok(
        account_admin.post(
            f"/v1/accounts/{account_id}/invitations", json={"email": email, "role": "trader"}
        ),
        201,
    )
    assert (invited["email"], invited["role"], invited["status"]) == (email, "trader", "invited")

    [mail] = portal.mail_to(email)
    assert DEMO_ACCOUNT in mail["subject"]
    assert TEMPORARY_PASSWORD.search(mail["body"])
    password, token = first_login(portal, email)
    me = ok(portal.identity(token).get("/v1/me"))
    assert me["memberships"] == []
    assert [(i["account_id"], i["role"]) for i in me["invitations"]] == [(account_id, "trader")]

    accepted = ok(portal.identity(token).post(f"/v1/me/invitations/{account_id}/accept"))
    assert accepted["status"] == "active"

    me = ok(portal.identity(portal.login(email, password)).get("/v1/me"))
    assert me["invitations"] == []
    [membership] = me["memberships"]
    assert (membership["account_id"], membership["account_name"], membership["role"]) == (
        account_id,
        DEMO_ACCOUNT,
        "trader",
    )
    assert sorted(membership["permissions"]) == role_permissions(portal, token, "trader")


def test_a_forgotten_password_is_reset_with_the_mailed_code(
    portal: Portal, account_admin: ApiClient, account_id: str
) -> None:
    person = onboard(portal, account_admin, account_id, "viewer", "forgetful")
    public = portal.identity()
    mails_before = len(portal.mail_to(person.email))

    ok(public.post("/v1/password/forgot", json={"username": person.email}), 202)

    mails = portal.mail_to(person.email)[mails_before:]
    assert [m["source"] for m in mails] == ["no-reply@scts.local"]
    found = RESET_CODE.search(mails[0]["body"])
    assert found, mails[0]["body"]
    new_password = strong_password()
    ok(
        public.post(
            "/v1/password/confirm",
            json={"username": person.email, "code": found.group(1), "new_password": new_password},
        ),
        204,
    )

    assert ok(portal.identity(portal.login(person.email, new_password)).get("/v1/me"))
    with pytest.raises(portal.cognito.exceptions.NotAuthorizedException):
        portal.login(person.email, person.password)


def test_forgot_password_for_an_unknown_user_looks_the_same_and_mails_nothing(
    portal: Portal,
) -> None:
    email = new_email("nobody")

    answer = ok(portal.identity().post("/v1/password/forgot", json={"username": email}), 202)

    assert answer == {"status": "accepted"}
    assert portal.mail_to(email) == []


def test_after_totp_enrolment_login_asks_for_and_accepts_a_totp_code(
    portal: Portal, account_admin: ApiClient, account_id: str
) -> None:
    person = onboard(portal, account_admin, account_id, "viewer", "mfa")
    me = portal.identity(person.access_token)
    answer = portal.initiate(person.email, person.password)
    assert "AuthenticationResult" in answer  # no MFA before enrolment

    secret = ok(me.post("/v1/me/mfa/totp"))["secret_code"]
    ok(me.post("/v1/me/mfa/totp/verify", json={"code": totp_code(secret)}), 204)

    stale_code = totp_code(secret, at=time.time() - 600)
    with pytest.raises(portal.cognito.exceptions.CodeMismatchException):
        portal.respond(
            portal.initiate(person.email, person.password),
            "SOFTWARE_TOKEN_MFA",
            USERNAME=person.email,
            SOFTWARE_TOKEN_MFA_CODE=stale_code,
        )

    answer = portal.initiate(person.email, person.password)
    assert answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA"
    answer = portal.respond(
        answer,
        "SOFTWARE_TOKEN_MFA",
        USERNAME=person.email,
        SOFTWARE_TOKEN_MFA_CODE=totp_code(secret),
    )
    token = answer["AuthenticationResult"]["AccessToken"]
    assert ok(portal.identity(token).get("/v1/me"))["subject"] == person.subject


def refreshed(portal: Portal, refresh_token: str) -> bool:
    try:
        portal.cognito.initiate_auth(
            ClientId=portal.pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except portal.cognito.exceptions.NotAuthorizedException:
        return False
    return True


def test_a_removed_member_is_refused_by_identity_and_by_portfolio(
    portal: Portal, account_admin: ApiClient, account_id: str
) -> None:
    person = onboard(portal, account_admin, account_id, "viewer", "leaver")
    as_person = portal.identity(person.access_token)
    portfolio = portal.api("portfolio", person.access_token)
    holdings = f"/v1/accounts/{account_id}/holdings"
    ok(as_person.get(f"/v1/accounts/{account_id}"))
    eventually(
        lambda: portfolio.get(holdings).status_code == 200,
        "portfolio's projection grants the new member",
    )

    refresh = login(portal.cognito, portal.pool, person.email, person.password)["RefreshToken"]
    assert refreshed(portal, refresh), "a member's refresh token works"

    ok(account_admin.delete(f"/v1/accounts/{account_id}/members/{person.subject}"), 204)

    assert not refreshed(portal, refresh), "removal signs the person out globally"
    refused = as_person.get(f"/v1/accounts/{account_id}")
    assert refused.status_code == 404, refused.text
    assert ok(as_person.get("/v1/me"))["memberships"] == []
    eventually(
        lambda: portfolio.get(holdings).status_code == 404,
        "portfolio's projection revokes the removed member",
    )


def test_every_demo_user_has_the_account_and_role_endpoints_json_lists(portal: Portal) -> None:
    users = portal.endpoints["users"]
    assert {u["role"] for u in users} >= {"scts-admin", "cam", "admin", "trader", "viewer"}
    seen = []
    for user in users:
        token = portal.login(user["username"], user["password"], user["totp_secret"])
        me = ok(portal.identity(token).get("/v1/me"))
        if user["role"] == "scts-admin":
            seen.append((user["username"], me["scts_admin"]))
        elif user["role"] == "cam":
            names = [a["name"] for a in me["cam_accounts"]]
            seen.append((user["username"], me["cam"] and user["account"] in names))
        else:
            roles = [(m["account_name"], m["role"]) for m in me["memberships"]]
            seen.append((user["username"], roles == [(user["account"], user["role"])]))
    assert [name for name, right in seen if not right] == []
