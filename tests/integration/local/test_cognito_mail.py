"""Cognito's forgot-password mail in the local runtime (infra/local/cognito_mail.py, sent by
the local Cognito layer, infra/local/cognito_parity.py). moto 5.2.5 mails nothing: see
test_cognito_parity_guards.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.local import cognito_mail, cognito_parity
from infra.local.cognito import UserPool, login, strong_password
from infra.local.mailbox import sent_messages
from tests.support.cognito import CODE_HEADER, SENDER, local_pool, moto_cognito, person

pytestmark = pytest.mark.integration

EMAIL = "ana@example.local"


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with moto_cognito(monkeypatch, layered=True) as client:
        yield client


def pool_with_user(cognito: Any, password: str, **pool_overrides: Any) -> UserPool:
    pool = local_pool(cognito)
    if pool_overrides:
        cognito.update_user_pool(UserPoolId=pool.user_pool_id, **pool_overrides)
    person(cognito, pool, EMAIL, password)
    return pool


def forgot(cognito: Any, pool: UserPool, username: str = EMAIL) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.forgot_password(ClientId=pool.client_id, Username=username)
    return answer


def test_the_code_is_mailed_from_the_pool_sender_and_resets_the_password(cognito: Any) -> None:
    old_password, new_password = strong_password(), strong_password()
    pool = pool_with_user(cognito, old_password)

    answer = forgot(cognito, pool)

    mails = sent_messages()
    assert [(m["source"], m["to"], m["subject"]) for m in mails] == [
        (SENDER, [EMAIL], "Your verification code")
    ]
    code = mails[0]["body"].removeprefix("Your verification code is ").removesuffix(". ")
    assert code.isdigit()
    assert len(code) == 6
    assert mails[0]["body"] == f"Your verification code is {code}. "
    headers = answer["ResponseMetadata"]["HTTPHeaders"]
    assert all(code not in str(value) for value in headers.values()), headers[CODE_HEADER]
    cognito.confirm_forgot_password(
        ClientId=pool.client_id, Username=EMAIL, ConfirmationCode=code, Password=new_password
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

    forgot(cognito, pool)

    [mail] = sent_messages()
    code = mail["body"].removeprefix("Your SCTS reset code: ")
    assert (mail["source"], mail["subject"], code.isdigit(), len(code)) == (
        f"SCTS <{SENDER}>",
        "SCTS password reset",
        True,
        6,
    )


def test_an_unknown_user_gets_no_mail(cognito: Any) -> None:
    pool = pool_with_user(cognito, strong_password())

    forgot(cognito, pool, "nobody@example.local")

    assert sent_messages() == []


def test_leaving_the_layer_restores_moto() -> None:
    originals = {(o, n): getattr(o, n) for o, n in cognito_parity.PATCHED}
    cognito_parity.install()
    cognito_parity.install()
    try:
        cognito_parity.uninstall()
        assert all(getattr(o, n) is not f for (o, n), f in originals.items())
    finally:
        cognito_parity.uninstall()
    assert all(getattr(o, n) is f for (o, n), f in originals.items())


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
