"""Guards the GetTokensFromRefreshToken emulation (infra/local/cognito_refresh.py).

moto 5.2.5 does not implement GetTokensFromRefreshToken, the call Amplify v6 Auth renews
browser sessions with. If moto starts implementing it (the first test fails) or changes
how refresh tokens work, revisit (or drop) the emulation.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from typing import Any

import boto3
import jwt
import pytest
from moto import mock_aws

from infra.local import cognito_refresh
from infra.local.cognito import create_user, create_user_pool, login, strong_password
from infra.local.invoke import REGION

pytestmark = pytest.mark.integration

EMAIL = "ana@example.local"


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("cognito-idp", region_name=REGION)


def signed_in(cognito: Any) -> tuple[Any, dict[str, Any]]:
    pool = create_user_pool(cognito, "in-process")
    password = strong_password()
    create_user(cognito, pool, EMAIL, password)
    return pool, login(cognito, pool, EMAIL, password)


def test_moto_is_the_version_the_emulation_was_written_for() -> None:
    assert metadata.version("moto") == "5.2.5"


def test_moto_alone_does_not_serve_get_tokens_from_refresh_token(cognito: Any) -> None:
    pool, tokens = signed_in(cognito)
    with pytest.raises(NotImplementedError, match="get_tokens_from_refresh_token"):
        cognito.get_tokens_from_refresh_token(
            ClientId=pool.client_id, RefreshToken=tokens["RefreshToken"]
        )


def test_a_refresh_token_gets_new_tokens_and_a_bad_one_is_refused(cognito: Any) -> None:
    pool, tokens = signed_in(cognito)
    cognito_refresh.install()
    try:
        renewed = cognito.get_tokens_from_refresh_token(
            ClientId=pool.client_id, RefreshToken=tokens["RefreshToken"]
        )["AuthenticationResult"]
        with pytest.raises(cognito.exceptions.NotAuthorizedException):
            cognito.get_tokens_from_refresh_token(
                ClientId=pool.client_id, RefreshToken="not-a-refresh-token"
            )
    finally:
        cognito_refresh.uninstall()
    assert set(renewed) >= {"AccessToken", "IdToken", "ExpiresIn", "TokenType"}
    assert "RefreshToken" not in renewed  # no rotation: the browser keeps its refresh token
    old = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    new = jwt.decode(renewed["AccessToken"], options={"verify_signature": False})
    assert (new["token_use"], new["sub"], new["client_id"]) == (
        "access",
        old["sub"],
        pool.client_id,
    )


def test_uninstall_restores_moto(cognito: Any) -> None:
    cognito_refresh.install()
    cognito_refresh.uninstall()
    pool, tokens = signed_in(cognito)
    with pytest.raises(NotImplementedError, match="get_tokens_from_refresh_token"):
        cognito.get_tokens_from_refresh_token(
            ClientId=pool.client_id, RefreshToken=tokens["RefreshToken"]
        )
