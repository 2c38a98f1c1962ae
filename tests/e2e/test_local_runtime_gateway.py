"""End-to-end: real HTTP against the runtime `make run` starts (acceptance of issue 2)."""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto.utilities.utils import load_resource

from common.topology import AuthKind
from services.topologies import TOPOLOGIES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

GATEWAY_UNAUTHORIZED = {"message": "Unauthorized"}
USER_ROUTES = [
    pytest.param(t.service, r.method, r.path, id=f"{t.service}:{r.method} {r.path}")
    for t in TOPOLOGIES
    for r in t.routes
    if r.auth is AuthKind.USER
]


def concrete_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "e2e-0001", template)


def call(endpoints: dict[str, Any], service: str, method: str, path: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.request(
        method,
        endpoints["services"][service] + concrete_path(path),
        headers=headers,
        json={} if method in ("POST", "PUT", "PATCH") else None,
        timeout=30,
    )


def claims_for(endpoints: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": endpoints["cognito"]["issuer"],
        "sub": "00000000-0000-0000-0000-000000000001",
        "client_id": endpoints["cognito"]["client_id"],
        "token_use": "access",
        "username": "00000000-0000-0000-0000-000000000001",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return claims


def pool_kid(endpoints: dict[str, Any]) -> str:
    jwks = requests.get(endpoints["cognito"]["jwks_url"], timeout=10).json()
    kid: str = jwks["keys"][0]["kid"]
    return kid


def expired_token(endpoints: dict[str, Any]) -> str:
    """Signed with the local pool's own key (public in the moto wheel), but expired."""
    private_jwk = load_resource("cognitoidp/resources/jwks-private.json")
    key = RSAAlgorithm.from_jwk(private_jwk)
    past = int(time.time()) - 7200
    return jwt.encode(
        claims_for(endpoints, iat=past, exp=past + 3600),
        key,  # type: ignore[arg-type]
        algorithm="RS256",
        headers={"kid": pool_kid(endpoints)},
    )


def foreign_key_token(endpoints: dict[str, Any]) -> str:
    """Right claims and kid, signed by a key the pool never had."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(
        claims_for(endpoints), key, algorithm="RS256", headers={"kid": pool_kid(endpoints)}
    )


def alg_none_token(endpoints: dict[str, Any]) -> str:
    return jwt.encode(
        claims_for(endpoints), "", algorithm="none", headers={"kid": pool_kid(endpoints)}
    )


@pytest.fixture(scope="module")
def bad_tokens(local_runtime: dict[str, Any]) -> dict[str, str | None]:
    return {
        "no token": None,
        "garbage": "not-a-jwt",
        "expired": expired_token(local_runtime),
        "another key": foreign_key_token(local_runtime),
        "alg none": alg_none_token(local_runtime),
    }


def test_every_service_answers_its_version(local_runtime: dict[str, Any]) -> None:
    assert set(local_runtime["services"]) == {t.service for t in TOPOLOGIES}
    for service, base_url in local_runtime["services"].items():
        assert base_url.startswith("http://127.0.0.1:")
        answer = requests.get(base_url + "/v1/version", timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["service"] == service
        assert body["version"]
        assert re.fullmatch(r"[0-9a-f]{7,40}|unknown", body["commit"])
        assert body["stage"] == "local"


def test_endpoints_file_lists_what_clients_need(local_runtime: dict[str, Any]) -> None:
    cognito = local_runtime["cognito"]
    assert {"endpoint", "region", "user_pool_id", "client_id", "jwks_url", "issuer"} <= set(cognito)
    admin = next(u for u in local_runtime["users"] if u["role"] == "scts-admin")
    assert admin["username"] == "admin@scts.local"
    assert admin["totp_secret"]
    assert isinstance(local_runtime["publishers"], list)
    assert requests.get(local_runtime["mailbox"], timeout=10).json() is not None
    assert set(local_runtime["ingest_apis"]) == {t.service for t in TOPOLOGIES if t.ingest_routes}


def test_ingest_apis_answer_unknown_routes_and_missing_keys_from_their_gateway_responses(
    local_runtime: dict[str, Any],
) -> None:
    for base_url in local_runtime["ingest_apis"].values():
        assert base_url not in local_runtime["services"].values()
        unknown = requests.get(base_url + "/v1/no-such-route", timeout=10)
        assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
        keyless = requests.post(base_url + "/v1/uploads", json={}, timeout=10)
        assert (keyless.status_code, keyless.json()["error"]) == (401, "unauthorized")


def test_admin_access_token_carries_groups(admin_tokens: dict[str, Any]) -> None:
    claims = jwt.decode(admin_tokens["AccessToken"], options={"verify_signature": False})
    assert claims["token_use"] == "access"
    assert "scts-admins" in claims["cognito:groups"]


def test_unknown_route_is_404(local_runtime: dict[str, Any]) -> None:
    for base_url in local_runtime["services"].values():
        answer = requests.get(base_url + "/v1/no-such-route", timeout=10)
        assert answer.status_code == 404
        assert answer.json() == {"message": "Not Found"}


@pytest.mark.parametrize(("service", "method", "path"), USER_ROUTES)
def test_user_route_rejects_bad_tokens_at_the_gateway(
    local_runtime: dict[str, Any],
    bad_tokens: dict[str, str | None],
    service: str,
    method: str,
    path: str,
) -> None:
    for case, token in bad_tokens.items():
        answer = call(local_runtime, service, method, path, token)
        assert answer.status_code == 401, case
        assert answer.json() == GATEWAY_UNAUTHORIZED, case


@pytest.mark.parametrize(("service", "method", "path"), USER_ROUTES)
def test_user_route_lets_a_valid_token_through(
    local_runtime: dict[str, Any],
    admin_tokens: dict[str, Any],
    service: str,
    method: str,
    path: str,
) -> None:
    answer = call(local_runtime, service, method, path, admin_tokens["AccessToken"])
    assert answer.status_code != 401, answer.text
    assert not answer.content or answer.json() != GATEWAY_UNAUTHORIZED  # 204: no body
