"""The local Cognito signs people in as Amazon Cognito does (infra/local/cognito_signin.py,
cognito_tokens.py): real SRP, bound and expiring sessions, per-user TOTP, the client's
token lifetimes. Raw moto does none of it: test_cognito_parity_guards.py."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from infra.local import cognito_moto
from infra.local.cognito import UserPool, strong_password, totp_code
from infra.local.cognito_signin import MFA_CODE_ATTEMPTS
from infra.local.cognito_srp import N_HEX
from infra.shape.cognito_pool import TOKEN_VALIDITY
from tests.support.cognito import (
    invitee,
    local_pool,
    moto_cognito,
    password_auth,
    person,
    respond,
    srp_answer,
    srp_sign_in,
    srp_start,
    subject_of,
    user_sub,
)

pytestmark = pytest.mark.integration

ANA, BO, NOBODY = "ana@example.local", "bo@example.local", "nobody@example.local"
INCORRECT = "Incorrect username or password."
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with moto_cognito(monkeypatch, layered=True) as client:
        yield client


@pytest.fixture
def pool(cognito: Any) -> UserPool:
    return local_pool(cognito)


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Any:
    """`later(seconds)`: the layer's clock jumps ahead."""

    def move(seconds: float) -> None:
        monkeypatch.setattr(cognito_moto, "clock", lambda: time.time() + seconds)

    return move


def refused(cognito: Any, kind: str, call: Any) -> str:
    """The message of the Cognito error `call()` must raise."""
    with pytest.raises(getattr(cognito.exceptions, kind)) as raised:
        call()
    return str(raised.value.response["Error"]["Message"])


def enrol(cognito: Any, pool: UserPool, email: str, password: str) -> str:
    """TOTP enrolment with the user's own secret; the secret."""
    token = password_auth(cognito, pool, email, password)["AuthenticationResult"]["AccessToken"]
    secret: str = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    cognito.verify_software_token(AccessToken=token, UserCode=totp_code(secret))
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool.user_pool_id,
        Username=email,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return secret


def test_srp_signs_in_with_the_right_password_only(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)

    tokens = srp_sign_in(cognito, pool, ANA, password)["AuthenticationResult"]

    assert subject_of(tokens) == user_sub(cognito, pool, ANA)
    message = refused(
        cognito, "NotAuthorizedException", lambda: srp_sign_in(cognito, pool, ANA, password + "x")
    )
    assert message == INCORRECT


def test_srp_for_an_unknown_user_looks_like_a_wrong_password(cognito: Any, pool: UserPool) -> None:
    person(cognito, pool, ANA)
    known = [srp_start(cognito, pool, ANA, "x")[2]["ChallengeParameters"] for _ in range(2)]
    unknown = [srp_start(cognito, pool, NOBODY, "x")[2]["ChallengeParameters"] for _ in range(2)]

    for challenges in (known, unknown):
        assert [set(c) for c in challenges] == [
            {"SALT", "SRP_B", "USERNAME", "USER_ID_FOR_SRP", "SECRET_BLOCK"}
        ] * 2
        assert challenges[0]["SALT"] == challenges[1]["SALT"]
        assert challenges[0]["SRP_B"] != challenges[1]["SRP_B"]
        assert UUID.match(challenges[0]["USER_ID_FOR_SRP"])
    assert unknown[0]["USER_ID_FOR_SRP"] == unknown[1]["USER_ID_FOR_SRP"]
    message = refused(
        cognito, "NotAuthorizedException", lambda: srp_sign_in(cognito, pool, NOBODY, "x")
    )
    assert message == INCORRECT


def test_each_srp_exchange_answers_once(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    srp, parameters, challenge = srp_start(cognito, pool, ANA, password)
    assert "AuthenticationResult" in srp_answer(cognito, pool, srp, parameters, challenge)

    refused(
        cognito,
        "NotAuthorizedException",
        lambda: srp_answer(cognito, pool, srp, parameters, challenge),
    )

    srp, parameters, challenge = srp_start(cognito, pool, ANA, password)
    refused(
        cognito,
        "NotAuthorizedException",
        lambda: srp_answer(
            cognito, pool, srp, parameters, challenge, TIMESTAMP="Mon Jan 1 00:00:00 UTC 2024"
        ),
    )
    refused(
        cognito,
        "NotAuthorizedException",
        lambda: srp_answer(cognito, pool, srp, parameters, challenge),
    )


@pytest.mark.parametrize("srp_a", ["0", N_HEX, "not-hex"])
def test_an_srp_a_that_breaks_the_protocol_is_refused(
    cognito: Any, pool: UserPool, srp_a: str
) -> None:
    person(cognito, pool, ANA)

    refused(
        cognito,
        "InvalidParameterException",
        lambda: cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": ANA, "SRP_A": srp_a},
        ),
    )


def test_a_verifier_answer_naming_another_user_is_refused(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    person(cognito, pool, BO)
    srp, parameters, challenge = srp_start(cognito, pool, ANA, password)
    bo = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username=BO)["Username"]

    refused(
        cognito,
        "NotAuthorizedException",
        lambda: srp_answer(cognito, pool, srp, parameters, challenge, USERNAME=bo),
    )


def test_a_first_srp_sign_in_sets_a_new_password_that_meets_the_policy(
    cognito: Any, pool: UserPool
) -> None:
    temporary, chosen = strong_password(), strong_password()
    invitee(cognito, pool, ANA, temporary)
    answer = srp_sign_in(cognito, pool, ANA, temporary)
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    user_id = answer["ChallengeParameters"]["USERNAME"]

    message = refused(
        cognito,
        "InvalidPasswordException",
        lambda: respond(
            cognito, pool, answer, "NEW_PASSWORD_REQUIRED", USERNAME=user_id, NEW_PASSWORD="Short1!"
        ),
    )
    assert message == "Password did not conform with policy: Password not long enough"
    tokens = respond(
        cognito, pool, answer, "NEW_PASSWORD_REQUIRED", USERNAME=user_id, NEW_PASSWORD=chosen
    )
    assert "AccessToken" in tokens["AuthenticationResult"]
    assert "AuthenticationResult" in srp_sign_in(cognito, pool, ANA, chosen)


def test_each_user_has_an_own_totp_secret_and_every_code_is_checked(
    cognito: Any, pool: UserPool
) -> None:
    passwords = {email: person(cognito, pool, email) for email in (ANA, BO)}
    token = password_auth(cognito, pool, ANA, passwords[ANA])["AuthenticationResult"]
    wrong = totp_code(
        cognito.associate_software_token(AccessToken=token["AccessToken"])["SecretCode"],
        at=time.time() - 600,
    )
    refused(
        cognito,
        "EnableSoftwareTokenMFAException",
        lambda: cognito.verify_software_token(AccessToken=token["AccessToken"], UserCode=wrong),
    )
    secrets = {
        email: enrol(cognito, pool, email, password) for email, password in passwords.items()
    }
    assert secrets[ANA] != secrets[BO]
    assert all(re.fullmatch(r"[A-Z2-7]{52}", secret) for secret in secrets.values())

    answer = srp_sign_in(cognito, pool, ANA, passwords[ANA])
    assert answer["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    for code in (totp_code(secrets[BO]), totp_code(secrets[ANA], at=time.time() - 60)):
        message = refused(
            cognito,
            "CodeMismatchException",
            lambda code=code: respond(
                cognito,
                pool,
                answer,
                "SOFTWARE_TOKEN_MFA",
                USERNAME=ANA,
                SOFTWARE_TOKEN_MFA_CODE=code,
            ),
        )
        assert message == "Invalid code received for user"
    tokens = respond(
        cognito,
        pool,
        answer,
        "SOFTWARE_TOKEN_MFA",
        USERNAME=ANA,
        SOFTWARE_TOKEN_MFA_CODE=totp_code(secrets[ANA]),
    )
    assert subject_of(tokens["AuthenticationResult"]) == user_sub(cognito, pool, ANA)


def test_wrong_totp_codes_close_the_session(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    secret = enrol(cognito, pool, ANA, password)
    answer = password_auth(cognito, pool, ANA, password)
    wrong = totp_code(secret, at=time.time() - 600)
    for _ in range(MFA_CODE_ATTEMPTS):
        refused(
            cognito,
            "CodeMismatchException",
            lambda: respond(
                cognito,
                pool,
                answer,
                "SOFTWARE_TOKEN_MFA",
                USERNAME=ANA,
                SOFTWARE_TOKEN_MFA_CODE=wrong,
            ),
        )

    refused(
        cognito,
        "NotAuthorizedException",
        lambda: respond(
            cognito,
            pool,
            answer,
            "SOFTWARE_TOKEN_MFA",
            USERNAME=ANA,
            SOFTWARE_TOKEN_MFA_CODE=totp_code(secret),
        ),
    )


def test_a_session_answers_only_its_own_user_and_challenge(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    person(cognito, pool, BO)
    secret = enrol(cognito, pool, ANA, password)
    temporary = strong_password()
    invitee(cognito, pool, "cy@example.local", temporary)
    mfa = password_auth(cognito, pool, ANA, password)
    first_login = password_auth(cognito, pool, "cy@example.local", temporary)

    for answer, name, responses in [
        (mfa, "SOFTWARE_TOKEN_MFA", {"USERNAME": BO, "SOFTWARE_TOKEN_MFA_CODE": totp_code(secret)}),
        (mfa, "MFA_SETUP", {"USERNAME": ANA}),
        (mfa, "NEW_PASSWORD_REQUIRED", {"USERNAME": ANA, "NEW_PASSWORD": strong_password()}),
        (first_login, "NEW_PASSWORD_REQUIRED", {"USERNAME": BO, "NEW_PASSWORD": strong_password()}),
    ]:
        message = refused(
            cognito,
            "NotAuthorizedException",
            lambda answer=answer, name=name, responses=responses: respond(
                cognito, pool, answer, name, **responses
            ),
        )
        assert message == "Invalid session for the user."


def test_a_session_expires_after_the_client_s_auth_session_validity(
    cognito: Any, pool: UserPool, later: Any
) -> None:
    password = person(cognito, pool, ANA)
    secret = enrol(cognito, pool, ANA, password)
    answer = password_auth(cognito, pool, ANA, password)

    later(3 * 60 + 1)

    message = refused(
        cognito,
        "NotAuthorizedException",
        lambda: respond(
            cognito,
            pool,
            answer,
            "SOFTWARE_TOKEN_MFA",
            USERNAME=ANA,
            SOFTWARE_TOKEN_MFA_CODE=totp_code(secret, at=time.time() + 181),
        ),
    )
    assert message == "Invalid session for the user, session is expired."


def test_an_unknown_user_gets_the_wrong_password_answer(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)

    answers = [
        refused(
            cognito, "NotAuthorizedException", lambda u=u, p=p: password_auth(cognito, pool, u, p)
        )
        for u, p in ((ANA, password + "x"), (NOBODY, password))
    ]

    assert answers == [INCORRECT, INCORRECT]


def test_tokens_live_as_long_as_the_client_says(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)

    for tokens in (
        password_auth(cognito, pool, ANA, password)["AuthenticationResult"],
        srp_sign_in(cognito, pool, ANA, password)["AuthenticationResult"],
    ):
        access, identity = (
            jwt.decode(tokens[kind], options={"verify_signature": False})
            for kind in ("AccessToken", "IdToken")
        )
        assert tokens["ExpiresIn"] == TOKEN_VALIDITY.access_minutes * 60 == 900
        assert access["exp"] - access["iat"] == TOKEN_VALIDITY.access_minutes * 60
        assert identity["exp"] - identity["iat"] == TOKEN_VALIDITY.id_minutes * 60


def test_expired_access_and_refresh_tokens_are_refused(
    cognito: Any, pool: UserPool, later: Any
) -> None:
    password = person(cognito, pool, ANA)
    tokens = password_auth(cognito, pool, ANA, password)["AuthenticationResult"]
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"]}

    def renew() -> Any:
        return cognito.initiate_auth(
            ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )

    later(TOKEN_VALIDITY.access_minutes * 60 + 1)
    refused(
        cognito,
        "NotAuthorizedException",
        lambda: cognito.get_user(AccessToken=tokens["AccessToken"]),
    )
    assert "AccessToken" in renew()["AuthenticationResult"]

    later(TOKEN_VALIDITY.refresh_hours * 3600 + 1)
    assert refused(cognito, "NotAuthorizedException", renew) == "Refresh Token has expired"


def test_global_sign_out_by_id_revokes_tokens_issued_to_the_email(
    cognito: Any, pool: UserPool
) -> None:
    password = person(cognito, pool, ANA)
    tokens = password_auth(cognito, pool, ANA, password)["AuthenticationResult"]
    username = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username=ANA)["Username"]

    cognito.admin_user_global_sign_out(UserPoolId=pool.user_pool_id, Username=username)

    refused(
        cognito,
        "NotAuthorizedException",
        lambda: cognito.get_user(AccessToken=tokens["AccessToken"]),
    )
    refused(
        cognito,
        "NotAuthorizedException",
        lambda: cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        ),
    )


def test_auth_flows_the_client_does_not_allow_are_refused(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    cognito.update_user_pool_client(
        UserPoolId=pool.user_pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )

    message = refused(
        cognito, "InvalidParameterException", lambda: password_auth(cognito, pool, ANA, password)
    )

    assert message == "USER_PASSWORD_AUTH flow not enabled for this client"
    assert "AuthenticationResult" in srp_sign_in(cognito, pool, ANA, password)
