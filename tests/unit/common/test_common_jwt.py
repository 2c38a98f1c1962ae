"""common/jwt.py: the checks of API Gateway's JWT authorizer, redone inside each service."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from common.jwt import (
    ACCESS_TOKEN_USE,
    JwtVerifier,
    KeysUnavailable,
    TokenRejected,
    bearer_token,
)
from tests.unit.common.jwt_tokens import CLIENT_ID, ISSUER, Tokens

pytestmark = pytest.mark.unit


def test_a_valid_access_token_gives_its_claims(tokens: Tokens) -> None:
    claims = tokens.verifier().verify(tokens.access(), require_token_use=ACCESS_TOKEN_USE)
    assert claims["sub"] == "c4e2b7d1-6a93-4f58-8e20-71d5a3c9b6f4"
    assert claims["client_id"] == CLIENT_ID


def test_a_valid_id_token_is_checked_on_aud(tokens: Tokens) -> None:
    claims = tokens.verifier().verify(tokens.sign(tokens.claims("id")))
    assert claims["aud"] == CLIENT_ID


def test_an_id_token_is_refused_where_an_access_token_is_required(tokens: Tokens) -> None:
    with pytest.raises(TokenRejected, match="wrong token use"):
        tokens.verifier().verify(
            tokens.sign(tokens.claims("id")), require_token_use=ACCESS_TOKEN_USE
        )


def _rejected(tokens: Tokens, token: str) -> None:
    with pytest.raises(TokenRejected):
        tokens.verifier().verify(token, require_token_use=ACCESS_TOKEN_USE)


def test_expired(tokens: Tokens) -> None:
    past = int(time.time()) - 7200
    _rejected(tokens, tokens.access(iat=past, exp=past + 3600))


def test_not_yet_valid(tokens: Tokens) -> None:
    _rejected(tokens, tokens.access(nbf=int(time.time()) + 600))


def test_signed_by_another_key_with_the_pools_kid(tokens: Tokens) -> None:
    _rejected(tokens, tokens.sign(tokens.claims(), key=tokens.other_key))


def test_unknown_kid(tokens: Tokens) -> None:
    _rejected(tokens, tokens.sign(tokens.claims(), kid="someone-elses"))


def test_alg_none(tokens: Tokens) -> None:
    _rejected(tokens, tokens.unsigned(tokens.claims()))


def test_hs256_keyed_with_the_public_key(tokens: Tokens) -> None:
    _rejected(tokens, tokens.hs256_with_public_key(tokens.claims()))


def test_wrong_issuer(tokens: Tokens) -> None:
    _rejected(
        tokens,
        tokens.access(iss="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"),
    )


def test_wrong_client_id(tokens: Tokens) -> None:
    _rejected(tokens, tokens.access(client_id="another-app"))


def test_wrong_audience_on_an_id_token(tokens: Tokens) -> None:
    with pytest.raises(TokenRejected, match="audience"):
        tokens.verifier().verify(tokens.sign(tokens.claims("id", aud="another-app")))


def test_audience_as_a_list_is_refused_not_a_crash(tokens: Tokens) -> None:
    with pytest.raises(TokenRejected, match="audience"):
        tokens.verifier().verify(tokens.sign(tokens.claims("id", aud=[CLIENT_ID])))


def test_token_without_token_use(tokens: Tokens) -> None:
    claims = tokens.claims()
    del claims["token_use"]
    with pytest.raises(TokenRejected, match="access or ID"):
        tokens.verifier().verify(tokens.sign(claims))


def test_missing_required_claim(tokens: Tokens) -> None:
    _rejected(tokens, tokens.access(sub=None))


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30."])
def test_garbage(tokens: Tokens, token: str) -> None:
    _rejected(tokens, token)


def test_a_key_withdrawn_from_the_jwks_is_refused_once_the_cached_set_expires(
    tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verifier a function builds keeps the pool's JWKS for an hour; a key the pool no
    longer publishes (rotated out, compromised) must stop verifying at the next refresh,
    not live on for the life of a warm function."""
    jwks: dict[str, Any] = tokens.jwks
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
    clock = SimpleNamespace(monotonic=lambda: 1_000.0)
    for module in (jwt.api_jwk, jwt.jwk_set_cache, jwt.jwks_client):
        monkeypatch.setattr(module, "time", clock)
    verifier = JwtVerifier(ISSUER, frozenset({CLIENT_ID}), "https://jwks.example/keys.json")
    token = tokens.access()
    assert verifier.verify(token, require_token_use=ACCESS_TOKEN_USE)["sub"]
    replacement = RSAAlgorithm.to_jwk(tokens.other_key.public_key(), as_dict=True)
    jwks = {"keys": [{**replacement, "kid": "key-2026-02", "alg": "RS256", "use": "sig"}]}
    clock.monotonic = lambda: 1_000.0 + 3_601
    with pytest.raises(TokenRejected):
        verifier.verify(token, require_token_use=ACCESS_TOKEN_USE)


def test_at_least_one_audience_is_required(tokens: Tokens) -> None:
    with pytest.raises(ValueError, match="app client"):
        type(tokens.verifier())("iss", frozenset(), "unused")


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer"},
        {"x-authorization": "Bearer abc"},
    ],
)
def test_missing_bearer(headers: dict[str, str] | None) -> None:
    with pytest.raises(TokenRejected, match="no bearer token"):
        bearer_token(headers)


@pytest.mark.parametrize("name", ["authorization", "Authorization", "AUTHORIZATION"])
def test_bearer_header_name_and_scheme_in_any_case(name: str) -> None:
    assert bearer_token({name: "bEaReR  abc.def.ghi "}) == "abc.def.ghi"


class UnreachableJwks(jwt.PyJWKClient):
    """The pool's key set cannot be fetched (Cognito slow or down, network fault)."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9/jwks.json", cache_keys=False)

    def fetch_data(self) -> Any:
        raise jwt.PyJWKClientConnectionError("Fail to fetch data from the url")


def test_an_unreachable_key_set_is_not_read_as_a_bad_token(tokens: Tokens) -> None:
    """A valid token met while the JWKS cannot be fetched is not the caller's fault: a 401
    makes the web app sign the person out. It is refused as KeysUnavailable (still a
    TokenRejected for callers that only know that, like the local gateway)."""
    verifier = JwtVerifier(ISSUER, frozenset({CLIENT_ID}), "unused", jwks_client=UnreachableJwks())
    with pytest.raises(KeysUnavailable):
        verifier.verify(tokens.access(), require_token_use=ACCESS_TOKEN_USE)
    assert issubclass(KeysUnavailable, TokenRejected)
