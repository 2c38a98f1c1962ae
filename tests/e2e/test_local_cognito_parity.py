"""The runtime `make run` starts behaves like Amazon Cognito where sign-in and password
reset depend on it (issue 11, item 5; infra/local/cognito_parity.py): through identity's
public API, through SRP (the web app's flow), and in the tokens it issues."""

from __future__ import annotations

import re
import uuid
from typing import Any

import jwt
import pytest
import requests
from pycognito.aws_srp import AWSSRP

from infra.local.aws import client
from infra.local.cognito import UserPool, create_user, login, strong_password, totp_code
from infra.local.cognito_recovery import RESET_CODE_ATTEMPTS
from infra.local.demo import ApiClient
from infra.shape.cognito_pool import TOKEN_VALIDITY
from tests.e2e.conftest import user_pool

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

MAILED_CODE = re.compile(r"code is (\d{6})\b")
CODE_REJECTED = "The code is wrong or has expired."
VOLATILE = {"request_id", "correlation_id"}
"""Error body fields that differ per request by design."""


def answer(response: requests.Response) -> tuple[int, Any]:
    """Status and body, without the fields that name the request."""
    body = response.json() if response.content else None
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in VOLATILE}
    return response.status_code, body


def new_email(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@e2e.local"


class Runtime:
    def __init__(self, endpoints: dict[str, Any]) -> None:
        self.endpoints = endpoints
        self.pool: UserPool = user_pool(endpoints)
        self.cognito = client("cognito-idp", self.pool.endpoint)
        self.public = ApiClient(endpoints["services"]["identity"], None)

    def person(self, email: str) -> str:
        password = strong_password()
        create_user(self.cognito, self.pool, email, password)
        return password

    def codes_mailed_to(self, email: str) -> list[str]:
        mails = requests.get(f"{self.endpoints['mailbox']}/{email}", timeout=10).json()
        return [found.group(1) for m in mails if (found := MAILED_CODE.search(str(m["body"])))]

    def forgot(self, email: str) -> requests.Response:
        return self.public.post("/v1/password/forgot", json={"username": email})

    def confirm(self, email: str, code: str, password: str) -> requests.Response:
        return self.public.post(
            "/v1/password/confirm",
            json={"username": email, "code": code, "new_password": password},
        )


@pytest.fixture(scope="module")
def runtime(local_runtime: dict[str, Any]) -> Runtime:
    return Runtime(local_runtime)


def test_reset_answers_known_and_unknown_people_alike(runtime: Runtime) -> None:
    known, unknown = new_email("known"), new_email("unknown")
    runtime.person(known)
    journeys: dict[str, list[tuple[int, Any]]] = {}
    for email in (known, unknown):
        seen = [answer(runtime.forgot(email))]
        seen += [answer(runtime.confirm(email, "000000", "weak-password"))]
        seen += [answer(runtime.confirm(email, "000001", strong_password()))]
        seen += [
            answer(runtime.confirm(email, "000002", strong_password()))
            for _ in range(RESET_CODE_ATTEMPTS - 1)
        ]
        journeys[email] = seen

    assert journeys[known] == journeys[unknown]
    assert journeys[known][:3] == [
        (202, {"status": "accepted"}),
        (400, {"error": "invalid_code", "message": CODE_REJECTED, "fields": []}),
        (400, {"error": "invalid_code", "message": CODE_REJECTED, "fields": []}),
    ]
    assert journeys[known][-1][0] == 429
    assert len(runtime.codes_mailed_to(known)) == 1
    assert runtime.codes_mailed_to(unknown) == []


def test_only_the_mailed_code_resets_a_password_once(runtime: Runtime) -> None:
    email = new_email("reset")
    old_password = runtime.person(email)
    assert runtime.forgot(email).status_code == 202
    [code] = runtime.codes_mailed_to(email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    new_password = strong_password()

    assert answer(runtime.confirm(email, wrong, new_password))[1]["error"] == "invalid_code"
    weak = answer(runtime.confirm(email, code, "weak-password"))
    assert weak == (
        400,
        {
            "error": "invalid_password",
            "message": "The new password does not meet the password policy.",
            "fields": [
                {"path": "body.new_password", "reason": "does not meet the password policy"}
            ],
        },
    )
    assert runtime.confirm(email, code, new_password).status_code == 204
    assert answer(runtime.confirm(email, code, strong_password()))[1]["error"] == "invalid_code"
    assert "AccessToken" in login(runtime.cognito, runtime.pool, email, new_password)
    with pytest.raises(runtime.cognito.exceptions.NotAuthorizedException):
        login(runtime.cognito, runtime.pool, email, old_password)


def test_srp_sign_in_checks_the_password(runtime: Runtime) -> None:
    admin = next(u for u in runtime.endpoints["users"] if u["role"] == "scts-admin")
    pool = runtime.pool

    def srp(password: str) -> AWSSRP:
        return AWSSRP(
            admin["username"], password, pool.user_pool_id, pool.client_id, client=runtime.cognito
        )

    with pytest.raises(runtime.cognito.exceptions.NotAuthorizedException) as refused:
        srp(admin["password"] + "x").authenticate_user()
    assert refused.value.response["Error"]["Message"] == "Incorrect username or password."

    client_side = srp(admin["password"])
    parameters = client_side.get_auth_params()
    challenge = runtime.cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
    )
    mfa = runtime.cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=client_side.process_challenge(
            challenge["ChallengeParameters"], parameters
        ),
    )
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    tokens = runtime.cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=mfa["Session"],
        ChallengeResponses={
            "USERNAME": challenge["ChallengeParameters"]["USER_ID_FOR_SRP"],
            "SOFTWARE_TOKEN_MFA_CODE": totp_code(admin["totp_secret"]),
        },
    )["AuthenticationResult"]
    me = ApiClient(runtime.endpoints["services"]["identity"], tokens["AccessToken"]).get("/v1/me")
    assert me.status_code == 200, me.text
    assert me.json()["scts_admin"] is True


def test_access_tokens_live_as_long_as_the_cloud_s(runtime: Runtime) -> None:
    email = new_email("lifetime")
    password = runtime.person(email)

    tokens = login(runtime.cognito, runtime.pool, email, password)

    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert (
        tokens["ExpiresIn"] == claims["exp"] - claims["iat"] == TOKEN_VALIDITY.access_minutes * 60
    )
    assert TOKEN_VALIDITY.access_minutes == 15
