"""In-process Cognito (moto) for the local Cognito layer's tests, and a real SRP client.

`moto_cognito(layered=...)` gives a cognito-idp client of moto in this process, with the
local layer (infra/local/cognito_parity.py) installed or not (raw moto, for the guards).
`srp_start`/`srp_answer` sign in with pycognito's SRP client (the maths of
amazon-cognito-identity-js), so a server that computes anything else fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import jwt
import pytest
from moto import mock_aws
from pycognito.aws_srp import AWSSRP

from infra.local import cognito_parity
from infra.local.cognito import UserPool, create_user, create_user_pool, strong_password
from infra.local.invoke import REGION
from infra.local.mailbox import sent_messages

SENDER = "no-reply@scts.local"
CODE_HEADER = "x-moto-forgot-password-confirmation-code"
MAILED_CODE = re.compile(r"code is (\d{6})\b")


@contextmanager
def moto_cognito(monkeypatch: pytest.MonkeyPatch, *, layered: bool) -> Iterator[Any]:
    """A cognito-idp client of in-process moto (SES sender verified)."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        if layered:
            cognito_parity.install()
        try:
            boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
            yield boto3.client("cognito-idp", region_name=REGION)
        finally:
            if layered:
                cognito_parity.uninstall()


def local_pool(cognito: Any) -> UserPool:
    """The pool and SPA client exactly as the local runtime creates them."""
    return create_user_pool(cognito, "in-process", SENDER)


def person(cognito: Any, pool: UserPool, email: str, password: str | None = None) -> str:
    """A confirmed user with a permanent password; the password."""
    password = password or strong_password()
    create_user(cognito, pool, email, password)
    return password


def invitee(cognito: Any, pool: UserPool, email: str, temporary: str) -> None:
    """A user as identity invites one: a temporary password, FORCE_CHANGE_PASSWORD."""
    cognito.admin_create_user(
        UserPoolId=pool.user_pool_id,
        Username=email,
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )


def password_auth(cognito: Any, pool: UserPool, username: str, password: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return answer


def srp_start(
    cognito: Any, pool: UserPool, username: str, password: str
) -> tuple[AWSSRP, dict[str, str], dict[str, Any]]:
    """InitiateAuth USER_SRP_AUTH: (the client, its auth parameters, Cognito's challenge)."""
    srp = AWSSRP(username, password, pool.user_pool_id, pool.client_id, client=cognito)
    parameters: dict[str, str] = srp.get_auth_params()
    challenge: dict[str, Any] = cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
    )
    return srp, parameters, challenge


def srp_answer(
    cognito: Any,
    pool: UserPool,
    srp: AWSSRP,
    parameters: dict[str, str],
    challenge: dict[str, Any],
    **overrides: str,
) -> dict[str, Any]:
    """The PASSWORD_VERIFIER answer the client computes (fields overridable to tamper)."""
    responses = srp.process_challenge(challenge["ChallengeParameters"], parameters)
    responses.update(overrides)
    answer: dict[str, Any] = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )
    return answer


def srp_sign_in(cognito: Any, pool: UserPool, username: str, password: str) -> dict[str, Any]:
    srp, parameters, challenge = srp_start(cognito, pool, username, password)
    return srp_answer(cognito, pool, srp, parameters, challenge)


def respond(
    cognito: Any, pool: UserPool, answer: dict[str, Any], name: str, **responses: str
) -> dict[str, Any]:
    result: dict[str, Any] = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=name,
        Session=answer["Session"],
        ChallengeResponses=responses,
    )
    return result


def subject_of(tokens: dict[str, Any]) -> str:
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    return str(claims["sub"])


def user_sub(cognito: Any, pool: UserPool, email: str) -> str:
    found = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username=email)
    return str(next(a["Value"] for a in found["UserAttributes"] if a["Name"] == "sub"))


def mailed_codes(email: str) -> list[str]:
    """Every reset code mailed to `email` so far, oldest first."""
    return [
        found.group(1)
        for mail in sent_messages()
        if email in mail["to"] and (found := MAILED_CODE.search(str(mail["body"])))
    ]
