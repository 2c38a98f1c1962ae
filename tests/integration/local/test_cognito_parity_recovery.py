"""Password reset, the password policy and user creation in the local Cognito behave as in
Amazon Cognito (infra/local/cognito_recovery.py). Raw moto does not:
test_cognito_parity_guards.py."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from infra.local import cognito_moto
from infra.local.cognito import UserPool, login, strong_password
from infra.local.cognito_recovery import RESET_CODE_ATTEMPTS, RESET_CODE_SECONDS
from tests.support.cognito import (
    invitee,
    local_pool,
    mailed_codes,
    moto_cognito,
    password_auth,
    person,
    respond,
)

pytestmark = pytest.mark.integration

ANA, BO, NOBODY = "ana@example.local", "bo@example.local", "nobody@example.local"
POLICY = "Password did not conform with policy: "
WEAK = [
    ("Sh0rt!pass", "Password not long enough"),
    ("NoDigitsHere!!abc", "Password must have numeric characters"),
    ("NoSymbols12345abc", "Password must have symbol characters"),
    ("nouppercase1!abcd", "Password must have uppercase characters"),
    ("NOLOWERCASE1!ABCD", "Password must have lowercase characters"),
]


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with moto_cognito(monkeypatch, layered=True) as client:
        yield client


@pytest.fixture
def pool(cognito: Any) -> UserPool:
    return local_pool(cognito)


def error_of(call: Callable[[], Any]) -> tuple[str, str]:
    """(code, message) of the Cognito error `call()` raises."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as raised:
        call()
    error = raised.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def forgot(cognito: Any, pool: UserPool, username: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.forgot_password(ClientId=pool.client_id, Username=username)
    return answer


def confirm(cognito: Any, pool: UserPool, username: str, code: str, password: str) -> Any:
    return cognito.confirm_forgot_password(
        ClientId=pool.client_id, Username=username, ConfirmationCode=code, Password=password
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
EXPIRED = ("ExpiredCodeException", "Invalid code provided, please request a code again.")
LIMITED = ("LimitExceededException", "Attempt limit exceeded, please try after some time.")


def test_only_the_mailed_code_resets_and_only_once(cognito: Any, pool: UserPool) -> None:
    person(cognito, pool, ANA)
    forgot(cognito, pool, ANA)
    [code] = mailed_codes(ANA)
    new_password = strong_password()

    assert error_of(lambda: confirm(cognito, pool, ANA, wrong(code), new_password)) == MISMATCH
    assert error_of(lambda: confirm(cognito, pool, ANA, code, "weak")) == (
        "InvalidPasswordException",
        POLICY + "Password not long enough",
    )
    confirm(cognito, pool, ANA, code, new_password)
    assert error_of(lambda: confirm(cognito, pool, ANA, code, strong_password())) == EXPIRED
    assert "AccessToken" in login(cognito, pool, ANA, new_password)


def test_a_code_lasts_an_hour_and_a_new_request_replaces_it(
    cognito: Any, pool: UserPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    person(cognito, pool, ANA)
    forgot(cognito, pool, ANA)
    forgot(cognito, pool, ANA)
    first, second = mailed_codes(ANA)
    if first != second:  # the same six digits drawn twice: one in a million
        assert error_of(lambda: confirm(cognito, pool, ANA, first, strong_password())) == MISMATCH

    monkeypatch.setattr(cognito_moto, "clock", lambda: time.time() + RESET_CODE_SECONDS + 1)

    assert error_of(lambda: confirm(cognito, pool, ANA, second, strong_password())) == EXPIRED


def test_wrong_codes_withdraw_the_code_until_a_new_request(cognito: Any, pool: UserPool) -> None:
    person(cognito, pool, ANA)
    forgot(cognito, pool, ANA)
    [code] = mailed_codes(ANA)
    for _ in range(RESET_CODE_ATTEMPTS):
        assert error_of(lambda: confirm(cognito, pool, ANA, wrong(code), strong_password())) == (
            MISMATCH
        )

    assert error_of(lambda: confirm(cognito, pool, ANA, code, strong_password())) == LIMITED

    forgot(cognito, pool, ANA)
    confirm(cognito, pool, ANA, mailed_codes(ANA)[-1], strong_password())


def test_unknown_users_get_the_answers_known_users_get(cognito: Any, pool: UserPool) -> None:
    """Known (ANA) and unknown (NOBODY): the same deliveries, the same errors in order."""
    person(cognito, pool, ANA)
    journeys: dict[str, list[Any]] = {}
    for username in (ANA, NOBODY):

        def attempt(code: str, password: str, username: str = username) -> tuple[str, str]:
            return error_of(lambda: confirm(cognito, pool, username, code, password))

        seen: list[Any] = [attempt("123456", strong_password())]
        delivery = forgot(cognito, pool, username)["CodeDeliveryDetails"]
        seen.append((delivery["DeliveryMedium"], delivery["AttributeName"]))
        seen.append(re.fullmatch(r"\w\*\*\*@\w\*\*\*", delivery["Destination"]) is not None)
        for _ in range(RESET_CODE_ATTEMPTS + 1):
            seen.append(attempt("000000", "weak"))
        journeys[username] = seen

    assert journeys[ANA] == journeys[NOBODY]
    assert journeys[ANA][:3] == [EXPIRED, ("EMAIL", "email"), True]
    assert journeys[ANA][-1] == LIMITED
    assert mailed_codes(NOBODY) == []


def test_an_invitee_resets_nothing_before_the_first_sign_in(cognito: Any, pool: UserPool) -> None:
    invitee(cognito, pool, ANA, strong_password())

    assert error_of(lambda: forgot(cognito, pool, ANA)) == (
        "NotAuthorizedException",
        "User password cannot be reset in the current state.",
    )
    assert mailed_codes(ANA) == []


@pytest.mark.parametrize(("password", "reason"), WEAK)
def test_every_password_meets_the_pool_policy(
    cognito: Any, pool: UserPool, password: str, reason: str
) -> None:
    expected = ("InvalidPasswordException", POLICY + reason)
    current = person(cognito, pool, ANA)
    access = password_auth(cognito, pool, ANA, current)["AuthenticationResult"]["AccessToken"]
    temporary = strong_password()
    invitee(cognito, pool, BO, temporary)
    first_login = password_auth(cognito, pool, BO, temporary)
    forgot(cognito, pool, ANA)
    [code] = mailed_codes(ANA)

    answers = {
        "AdminCreateUser": error_of(lambda: invitee(cognito, pool, "cy@example.local", password)),
        "AdminSetUserPassword": error_of(
            lambda: cognito.admin_set_user_password(
                UserPoolId=pool.user_pool_id, Username=ANA, Password=password, Permanent=True
            )
        ),
        "ChangePassword": error_of(
            lambda: cognito.change_password(
                AccessToken=access, PreviousPassword=current, ProposedPassword=password
            )
        ),
        "ConfirmForgotPassword": error_of(lambda: confirm(cognito, pool, ANA, code, password)),
        "NEW_PASSWORD_REQUIRED": error_of(
            lambda: respond(
                cognito,
                pool,
                first_login,
                "NEW_PASSWORD_REQUIRED",
                USERNAME=BO,
                NEW_PASSWORD=password,
            )
        ),
    }

    assert answers == dict.fromkeys(answers, expected)


@pytest.mark.parametrize("password", [" Leading-space-1A", "Trailing-space-1A ", "A1!a" * 65])
def test_passwords_cognito_s_api_refuses(cognito: Any, pool: UserPool, password: str) -> None:
    person(cognito, pool, ANA)

    code, _ = error_of(
        lambda: cognito.admin_set_user_password(
            UserPoolId=pool.user_pool_id, Username=ANA, Password=password, Permanent=True
        )
    )

    assert code == "InvalidParameterException"


def test_an_inner_space_counts_as_a_symbol(cognito: Any, pool: UserPool) -> None:
    person(cognito, pool, ANA, "Inner space 1234abcD")

    assert "AccessToken" in login(cognito, pool, ANA, "Inner space 1234abcD")


def test_no_one_signs_up_where_only_administrators_create_users(
    cognito: Any, pool: UserPool
) -> None:
    invitee(cognito, pool, BO, strong_password())

    assert error_of(
        lambda: cognito.sign_up(ClientId=pool.client_id, Username=ANA, Password=strong_password())
    ) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")
    assert error_of(
        lambda: cognito.confirm_sign_up(
            ClientId=pool.client_id, Username=BO, ConfirmationCode="000000"
        )
    ) == (
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
    )
