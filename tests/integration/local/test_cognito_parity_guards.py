"""Guards of the local Cognito layer (infra/local/cognito_parity.py): raw moto, without the
layer, still lacks each behaviour the layer adds, and still has the methods it replaces.

When one of these fails, moto changed: revisit (or drop) that part of the layer.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from importlib import metadata
from typing import Any

import jwt
import pytest
from moto.cognitoidp import models as moto_cognito_models

from infra.local import cognito_parity
from infra.local.cognito import UserPool, strong_password
from infra.local.cognito_moto import ORIGINALS
from tests.support.cognito import (
    CODE_HEADER,
    invitee,
    local_pool,
    moto_cognito,
    password_auth,
    person,
    respond,
    srp_sign_in,
    subject_of,
    user_sub,
)

pytestmark = pytest.mark.integration

ANA, BO = "ana@example.local", "bo@example.local"
WEAK = "weak"


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    assert all(
        getattr(owner, name).__module__.startswith("moto.")
        for owner, name in cognito_parity.PATCHED
    ), "the layer is installed: these tests need raw moto"
    with moto_cognito(monkeypatch, layered=False) as client:
        yield client


@pytest.fixture
def pool(cognito: Any) -> UserPool:
    return local_pool(cognito)


def enrol_any_code(cognito: Any, pool: UserPool, email: str, password: str) -> None:
    token = password_auth(cognito, pool, email, password)["AuthenticationResult"]["AccessToken"]
    cognito.associate_software_token(AccessToken=token)
    cognito.verify_software_token(AccessToken=token, UserCode="000000")
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool.user_pool_id,
        Username=email,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )


class _Clock:
    """Stands in for the `time` module moto's Cognito models read."""

    def __init__(self, at: float) -> None:
        self.at = at

    def time(self) -> float:
        return self.at


def test_moto_is_the_version_the_layer_was_written_for() -> None:
    assert metadata.version("moto") == "5.2.5"


@pytest.mark.parametrize(("owner", "name"), cognito_parity.PATCHED)
def test_every_replaced_method_is_still_moto_s_with_the_same_parameters(
    owner: type, name: str
) -> None:
    replacement = {(o, n): r for o, n, r in cognito_parity._patches()}[(owner, name)]
    theirs = list(inspect.signature(getattr(owner, name)).parameters)
    ours = list(inspect.signature(inspect.unwrap(replacement)).parameters)
    assert theirs == ours
    assert name not in ORIGINALS


def test_srp_accepts_a_wrong_password(cognito: Any, pool: UserPool) -> None:
    person(cognito, pool, ANA)

    answer = srp_sign_in(cognito, pool, ANA, "not-the-password")

    assert "AccessToken" in answer["AuthenticationResult"]


def test_unknown_users_are_revealed_despite_prevent_user_existence_errors(
    cognito: Any, pool: UserPool
) -> None:
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        password_auth(cognito, pool, "nobody@example.local", strong_password())
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        srp_sign_in(cognito, pool, "nobody@example.local", strong_password())
    with pytest.raises(cognito.exceptions.ResourceNotFoundException):
        cognito.confirm_forgot_password(
            ClientId=pool.client_id,
            Username="nobody@example.local",
            ConfirmationCode="123456",
            Password=strong_password(),
        )


def test_forgot_password_code_is_in_a_header_and_any_other_code_and_weak_password_pass(
    cognito: Any, pool: UserPool
) -> None:
    person(cognito, pool, ANA)
    answer = cognito.forgot_password(ClientId=pool.client_id, Username=ANA)
    assert answer["ResponseMetadata"]["HTTPHeaders"][CODE_HEADER].startswith(
        "moto-confirmation-code:"
    )

    cognito.confirm_forgot_password(
        ClientId=pool.client_id, Username=ANA, ConfirmationCode="000000", Password=WEAK
    )

    assert "AuthenticationResult" in password_auth(cognito, pool, ANA, WEAK)


def test_temporary_passwords_skip_the_policy(cognito: Any, pool: UserPool) -> None:
    invitee(cognito, pool, ANA, WEAK)

    assert password_auth(cognito, pool, ANA, WEAK)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_one_fixed_totp_secret_for_everyone_and_any_code_passes(
    cognito: Any, pool: UserPool
) -> None:
    passwords = {email: person(cognito, pool, email) for email in (ANA, BO)}
    secrets = {
        cognito.associate_software_token(
            AccessToken=password_auth(cognito, pool, email, password)["AuthenticationResult"][
                "AccessToken"
            ]
        )["SecretCode"]
        for email, password in passwords.items()
    }
    assert secrets == {moto_cognito_models.COGNITO_TOTP_MFA_SECRET}

    enrol_any_code(cognito, pool, ANA, passwords[ANA])
    answer = password_auth(cognito, pool, ANA, passwords[ANA])
    tokens = respond(
        cognito, pool, answer, "SOFTWARE_TOKEN_MFA", USERNAME=ANA, SOFTWARE_TOKEN_MFA_CODE="000000"
    )
    assert "AccessToken" in tokens["AuthenticationResult"]


def test_a_session_answers_for_another_user_and_for_any_challenge(
    cognito: Any, pool: UserPool
) -> None:
    password = person(cognito, pool, ANA)
    person(cognito, pool, BO)
    enrol_any_code(cognito, pool, ANA, password)

    mfa = password_auth(cognito, pool, ANA, password)
    as_bo = respond(
        cognito, pool, mfa, "SOFTWARE_TOKEN_MFA", USERNAME=BO, SOFTWARE_TOKEN_MFA_CODE="000000"
    )
    assert subject_of(as_bo["AuthenticationResult"]) == user_sub(cognito, pool, BO)

    mfa = password_auth(cognito, pool, ANA, password)
    skipped = respond(cognito, pool, mfa, "MFA_SETUP", USERNAME=ANA)
    assert "AccessToken" in skipped["AuthenticationResult"]


def test_a_session_sets_another_invitee_s_new_password(cognito: Any, pool: UserPool) -> None:
    temporary, chosen = strong_password(), strong_password()
    invitee(cognito, pool, ANA, temporary)
    invitee(cognito, pool, BO, strong_password())
    challenge = password_auth(cognito, pool, ANA, temporary)

    respond(cognito, pool, challenge, "NEW_PASSWORD_REQUIRED", USERNAME=BO, NEW_PASSWORD=chosen)

    assert "AuthenticationResult" in password_auth(cognito, pool, BO, chosen)


def test_tokens_live_an_hour_whatever_the_client_says(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)

    tokens = password_auth(cognito, pool, ANA, password)["AuthenticationResult"]

    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert (tokens["ExpiresIn"], claims["exp"] - claims["iat"]) == (3600, 3600)


def test_an_expired_access_token_still_works(
    cognito: Any, pool: UserPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = person(cognito, pool, ANA)
    issued_two_hours_ago = time.time() - 7200
    with monkeypatch.context() as clock:
        clock.setattr(moto_cognito_models, "time", _Clock(issued_two_hours_ago))
        tokens = password_auth(cognito, pool, ANA, password)["AuthenticationResult"]

    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"]


def test_old_sessions_and_refresh_tokens_still_work(
    cognito: Any, pool: UserPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issued two days ago: past the client's 3-minute sessions and 12-hour refresh tokens."""
    password = person(cognito, pool, ANA)
    enrol_any_code(cognito, pool, ANA, password)
    with monkeypatch.context() as clock:
        clock.setattr(moto_cognito_models, "time", _Clock(time.time() - 2 * 86400))
        mfa = password_auth(cognito, pool, ANA, password)
        tokens = respond(
            cognito, pool, mfa, "SOFTWARE_TOKEN_MFA", USERNAME=ANA, SOFTWARE_TOKEN_MFA_CODE="0"
        )["AuthenticationResult"]
        stale = password_auth(cognito, pool, ANA, password)

    late = respond(
        cognito, pool, stale, "SOFTWARE_TOKEN_MFA", USERNAME=ANA, SOFTWARE_TOKEN_MFA_CODE="0"
    )
    renewed = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )
    assert "AccessToken" in late["AuthenticationResult"]
    assert "AccessToken" in renewed["AuthenticationResult"]


def test_global_sign_out_by_id_misses_tokens_issued_to_the_email(
    cognito: Any, pool: UserPool
) -> None:
    password = person(cognito, pool, ANA)
    tokens = password_auth(cognito, pool, ANA, password)["AuthenticationResult"]
    username = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username=ANA)["Username"]

    cognito.admin_user_global_sign_out(UserPoolId=pool.user_pool_id, Username=username)

    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == username


def test_sign_up_and_confirmation_ignore_admin_only_creation_and_status(
    cognito: Any, pool: UserPool
) -> None:
    cognito.sign_up(ClientId=pool.client_id, Username=ANA, Password=strong_password())
    invitee(cognito, pool, BO, strong_password())

    cognito.confirm_sign_up(ClientId=pool.client_id, Username=BO, ConfirmationCode="000000")

    found = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username=BO)
    assert found["UserStatus"] == "CONFIRMED"


def test_auth_flows_the_client_does_not_allow_still_work(cognito: Any, pool: UserPool) -> None:
    password = person(cognito, pool, ANA)
    cognito.update_user_pool_client(
        UserPoolId=pool.user_pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )

    assert "AuthenticationResult" in password_auth(cognito, pool, ANA, password)
