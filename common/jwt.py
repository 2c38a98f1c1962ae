"""Cognito JWT verification, shared by the local gateway and by every service.

The rules follow the API Gateway HTTP API JWT authorizer: RS256 signature by a key in
the pool's JWKS (fetched only from the configured URL, never from the token's `iss`),
issuer equal to the pool's, `aud` (ID token) or `client_id` (access token) among the
allowed app clients, and `exp`/`nbf`/`iat` in range.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jwt

ALLOWED_ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 5
ACCESS_TOKEN_USE = "access"  # noqa: S105 - a claim value, not a secret
ID_TOKEN_USE = "id"  # noqa: S105 - a claim value, not a secret
TOKEN_USES = frozenset({ACCESS_TOKEN_USE, ID_TOKEN_USE})


def load_token_library() -> None:
    """Imports PyJWT (and cryptography with it, ~30 ms): a function with user routes calls
    this during its init, so its first request does not pay for it; a function without
    (the ingest API, on API keys) never loads it."""
    importlib.import_module("jwt")


class TokenRejected(Exception):
    """The token is missing, malformed, expired, or not ours. Always answered with 401."""


class KeysUnavailable(TokenRejected):
    """The pool's key set could not be fetched, so the token could not be judged: not the
    caller's fault. The services' gate answers 503 (a 401 signs the person out of the web
    app); a caller that only knows TokenRejected still refuses the request."""


class JwtVerifier:
    """Verifies bearer tokens against one user pool; caches its JWKS."""

    def __init__(
        self,
        issuer: str,
        audiences: frozenset[str],
        jwks_url: str,
        *,
        jwks_client: jwt.PyJWKClient | None = None,
    ) -> None:
        import jwt

        if not audiences:
            raise ValueError("at least one app client id is required")
        self._issuer = issuer
        self._audiences = audiences
        # The key set is cached for an hour; keys are looked up in it, not cached one by one
        # (PyJWT's `cache_keys` keeps a key for the process's life, even once the pool no
        # longer publishes it).
        self._jwks = jwks_client or jwt.PyJWKClient(jwks_url, cache_keys=False, lifespan=3600)

    def verify(self, token: str, *, require_token_use: str | None = None) -> dict[str, Any]:
        """The token's claims if it is valid, else TokenRejected (reason kept off the wire)."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise TokenRejected("algorithm not allowed")
            try:
                signing_key = self._jwks.get_signing_key_from_jwt(token)
            except jwt.PyJWKClientConnectionError as exc:
                raise KeysUnavailable("key set unreachable") from exc
            claims: dict[str, Any] = jwt.decode(
                token,
                signing_key.key,
                algorithms=ALLOWED_ALGORITHMS,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"verify_aud": False, "require": ["exp", "iat", "iss", "sub"]},
            )
        except TokenRejected:
            raise
        except (jwt.PyJWTError, ValueError) as exc:
            raise TokenRejected(type(exc).__name__) from exc
        token_use = claims.get("token_use")
        if token_use not in TOKEN_USES:
            raise TokenRejected("not a Cognito access or ID token")
        audience = claims.get("aud") if token_use == ID_TOKEN_USE else claims.get("client_id")
        if not isinstance(audience, str) or audience not in self._audiences:
            raise TokenRejected("audience not allowed")
        if require_token_use and claims.get("token_use") != require_token_use:
            raise TokenRejected("wrong token use")
        return claims


def bearer_token(headers: Mapping[str, str] | None) -> str:
    """The token from an `Authorization: Bearer <token>` header (header names any case)."""
    for name, value in (headers or {}).items():
        if name.lower() == "authorization":
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    raise TokenRejected("no bearer token")
