"""Demo step of the identity service: accounts, a CAM and people with different roles,
created only through identity's public API as the bootstrap SCTS administrator.

Invitees read their temporary password from the local mailbox, choose a new one at first
login (Cognito NEW_PASSWORD_REQUIRED), accept the invitation and, for the roles in
`MFA_ROLES`, enrol TOTP through `POST /v1/me/mfa/totp`. Every login is recorded for
endpoints.json.
"""

from __future__ import annotations

import re
import time
from http import HTTPStatus
from typing import Any

import requests

from infra.local.cognito import Login, strong_password, totp_code
from infra.local.demo import ApiClient, DemoContext

SERVICE = "identity"
TEMPORARY_PASSWORD = re.compile(r"temporary password: (\S+)")

ACCOUNTS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Nordic Green Energy BV",
        [("trader", "trader@nordicgreen.local"), ("finance", "finance@nordicgreen.local")],
    ),
    (
        "Saigon Solar Trading JSC",
        [("viewer", "viewer@saigonsolar.local"), ("trader", "trader@saigonsolar.local")],
    ),
]
FIRST_ADMINS = ["admin@nordicgreen.local", "admin@saigonsolar.local"]
CAM_EMAIL = "cam@stx.local"
TOTP_ATTEMPTS = 3
TOTP_STEP_SECONDS = 30
MFA_ROLES = {"admin", "cam", "trader"}
"""Roles the demo enrols in TOTP: staff, account admins, and traders (who manage trades;
the web portal's sign-in tests start from a trader with an authenticator)."""


def _ok(response: requests.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"demo identity: {what} failed: {response.status_code} {response.text}")
    return response.json() if response.content else None


def _temporary_password(ctx: DemoContext, email: str) -> str:
    mails = _ok(requests.get(f"{ctx.mailbox_url}/{email}", timeout=10), f"mailbox of {email}")
    for mail in reversed(mails):
        found = TEMPORARY_PASSWORD.search(mail.get("body") or "")
        if found:
            return found.group(1)
    raise RuntimeError(f"demo identity: no temporary password mailed to {email}")


def _first_login(ctx: DemoContext, email: str) -> tuple[str, str]:
    """Log in with the mailed temporary password, set a new one: (password, access token)."""
    temporary = _temporary_password(ctx, email)
    cognito = ctx.cognito_client
    answer = cognito.initiate_auth(
        ClientId=ctx.pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": temporary},
    )
    password = strong_password()
    if answer.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
        username = answer.get("ChallengeParameters", {}).get("USER_ID_FOR_SRP", email)
        answer = cognito.respond_to_auth_challenge(
            ClientId=ctx.pool.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=answer["Session"],
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password},
        )
    else:
        password = temporary
    return password, str(answer["AuthenticationResult"]["AccessToken"])


def _enrol_totp(ctx: DemoContext, token: str) -> str:
    """Start and verify a software token. moto checks codes without a clock-skew window, so
    on a loaded machine a code can expire on its way: then the next code is tried, as the
    API's answer suggests (a person would do the same)."""
    me = ApiClient(ctx.services[SERVICE], token)
    secret = str(_ok(me.post("/v1/me/mfa/totp"), "TOTP start")["secret_code"])
    for attempt in range(1, TOTP_ATTEMPTS + 1):
        answer = me.post("/v1/me/mfa/totp/verify", json={"code": totp_code(secret)})
        if answer.status_code != HTTPStatus.BAD_REQUEST or attempt == TOTP_ATTEMPTS:
            break
        time.sleep(TOTP_STEP_SECONDS - time.time() % TOTP_STEP_SECONDS)
    _ok(answer, "TOTP verify")
    return secret


def _onboard(
    ctx: DemoContext, inviter: ApiClient, account_id: str, account_name: str, role: str, email: str
) -> Login:
    """Invite, first login, accept, TOTP if the role needs it; the recorded login."""
    _ok(
        inviter.post(f"/v1/accounts/{account_id}/invitations", json={"email": email, "role": role}),
        f"invite {email}",
    )
    password, token = _first_login(ctx, email)
    _ok(
        ApiClient(ctx.services[SERVICE], token).post(f"/v1/me/invitations/{account_id}/accept"),
        f"accept by {email}",
    )
    secret = _enrol_totp(ctx, token) if role in MFA_ROLES else None
    login = Login(email, password, role=role, account=account_name, totp_secret=secret)
    ctx.add_user(login)
    return login


def run(ctx: DemoContext) -> None:
    admin = ctx.client(SERVICE, ctx.user("scts-admin"))
    accounts = []
    for name, _ in ACCOUNTS:
        created = _ok(admin.post("/v1/accounts", json={"name": name}), f"create {name}")
        accounts.append((created["account_id"], name))

    cam = _ok(admin.post("/v1/cams", json={"email": CAM_EMAIL, "name": "Demo CAM"}), "create CAM")
    first_account_id, first_account_name = accounts[0]
    _ok(
        admin.put(f"/v1/accounts/{first_account_id}/cams/{cam['subject']}"),
        "assign CAM",
    )
    cam_password, cam_token = _first_login(ctx, CAM_EMAIL)
    cam_secret = _enrol_totp(ctx, cam_token)
    ctx.add_user(
        Login(CAM_EMAIL, cam_password, "cam", account=first_account_name, totp_secret=cam_secret)
    )

    for (account_id, name), (_, people), admin_email in zip(
        accounts, ACCOUNTS, FIRST_ADMINS, strict=True
    ):
        account_admin = _onboard(ctx, admin, account_id, name, "admin", admin_email)
        as_account_admin = ctx.client(SERVICE, account_admin)
        for role, email in people:
            _onboard(ctx, as_account_admin, account_id, name, role, email)
