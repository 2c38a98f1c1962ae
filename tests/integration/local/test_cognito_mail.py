"""Guards the forgot-password mail emulation (infra/local/cognito_mail.py) against moto.

moto 5.2.5 never emails ForgotPassword codes; the runtime adds that mail. If moto starts
mailing codes itself, or changes how it issues or checks them, these tests fail: revisit
(or drop) the emulation then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import metadata
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.cognitoidp.models import CognitoIdpBackend

from infra.local import cognito_mail
from infra.local.cognito import UserPool, create_user, create_user_pool, login, strong_password
from infra.local.invoke import REGION
from infra.local.mailbox import sent_messages

pytestmark = pytest.mark.integration

SENDER = "no-reply@scts.local"
EMAIL = "ana@example.local"
MOTO_CODE = re.compile(r"^moto-confirmation-code:\d{6}$")
CODE_HEADER = "x-moto-forgot-password-confirmation-code"


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
        yield boto3.client("cognito-idp", region_name=REGION)


def pool_with_user(cognito: Any, password: str, **pool_overrides: Any) -> UserPool:
    pool = create_user_pool(cognito, "in-process", SENDER)
    if pool_overrides:
        cognito.update_user_pool(UserPoolId=pool.user_pool_id, **pool_overrides)
    create_user(cognito, pool, EMAIL, password)
    return pool


def forgot(cognito: Any, pool: UserPool, username: str = EMAIL) -> str | None:
    answer = cognito.forgot_password(ClientId=pool.client_id, Username=username)
    code: str | None = answer["ResponseMetadata"]["HTTPHeaders"].get(CODE_HEADER)
    return code


def test_moto_is_the_version_the_emulation_was_written_for() -> None:
    assert metadata.version("moto") == "5.2.5"


def test_moto_alone_returns_the_code_in_a_header_and_mails_nothing(cognito: Any) -> None:
    pool = pool_with_user(cognito, strong_password())

    code = forgot(cognito, pool)

    assert code is not None
    assert MOTO_CODE.match(code)
    assert sent_messages() == []


def test_moto_checks_only_codes_of_its_own_shape(cognito: Any) -> None:
    """Why the mail carries moto's code verbatim: other shapes are never checked."""
    pool = pool_with_user(cognito, strong_password())
    forgot(cognito, pool)

    with pytest.raises(cognito.exceptions.ExpiredCodeException):
        cognito.confirm_forgot_password(
            ClientId=pool.client_id,
            Username=EMAIL,
            ConfirmationCode="moto-confirmation-code:000000",
            Password=strong_password(),
        )


def test_the_code_is_mailed_from_the_pool_sender_and_resets_the_password(cognito: Any) -> None:
    old_password, new_password = strong_password(), strong_password()
    pool = pool_with_user(cognito, old_password)

    with cognito_mail.emulate_code_mail():
        code = forgot(cognito, pool)

    mails = sent_messages()
    assert [(m["source"], m["to"], m["subject"]) for m in mails] == [
        (SENDER, [EMAIL], "Your verification code")
    ]
    assert mails[0]["body"] == f"Your verification code is {code}. "
    cognito.confirm_forgot_password(
        ClientId=pool.client_id,
        Username=EMAIL,
        ConfirmationCode=str(code),
        Password=new_password,
    )
    assert "AccessToken" in login(cognito, pool, EMAIL, new_password)
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        login(cognito, pool, EMAIL, old_password)


def test_the_mail_follows_the_pool_verification_message(cognito: Any) -> None:
    pool = pool_with_user(
        cognito,
        strong_password(),
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        EmailConfiguration={"EmailSendingAccount": "DEVELOPER", "From": f"SCTS <{SENDER}>"},
        VerificationMessageTemplate={
            "EmailSubject": "SCTS password reset",
            "EmailMessage": "Your SCTS reset code: {####}",
        },
    )

    with cognito_mail.emulate_code_mail():
        code = forgot(cognito, pool)

    [mail] = sent_messages()
    assert (mail["source"], mail["subject"], mail["body"]) == (
        f"SCTS <{SENDER}>",
        "SCTS password reset",
        f"Your SCTS reset code: {code}",
    )


def test_an_unknown_user_gets_no_mail(cognito: Any) -> None:
    pool = pool_with_user(cognito, strong_password())

    with cognito_mail.emulate_code_mail():
        forgot(cognito, pool, "nobody@example.local")

    assert sent_messages() == []


def test_leaving_the_emulation_restores_moto() -> None:
    original = CognitoIdpBackend.forgot_password
    with cognito_mail.emulate_code_mail(), cognito_mail.emulate_code_mail():
        assert CognitoIdpBackend.forgot_password is not original
    assert CognitoIdpBackend.forgot_password is original


@pytest.mark.parametrize(
    ("configuration", "sender"),
    [
        ({"EmailSendingAccount": "COGNITO_DEFAULT"}, cognito_mail.COGNITO_DEFAULT_SENDER),
        ({}, cognito_mail.COGNITO_DEFAULT_SENDER),
        (
            {
                "EmailSendingAccount": "DEVELOPER",
                "SourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/a@b.local",
            },
            "a@b.local",
        ),
        ({"EmailSendingAccount": "DEVELOPER", "From": "X <x@b.local>"}, "X <x@b.local>"),
    ],
)
def test_pool_sender(configuration: dict[str, str], sender: str) -> None:
    assert cognito_mail.pool_sender(configuration) == sender
