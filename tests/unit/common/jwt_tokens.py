"""Keys, a local JWKS and token minting for the tests of common/jwt.py and common/api.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from common.jwt import JwtVerifier

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1"
CLIENT_ID = "spa-client-4f1e"
KID = "key-2026-01"


class LocalJwks(jwt.PyJWKClient):
    """PyJWKClient's real key selection over an in-memory JWKS (no network)."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        super().__init__("http://127.0.0.1:9/jwks.json", cache_keys=False)
        self._jwks = jwks

    def fetch_data(self) -> Any:
        return self._jwks


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Tokens:
    """Mints Cognito-shaped tokens; the pool's key is the one in the JWKS."""

    pool_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    other_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    @property
    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.pool_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def verifier(self) -> JwtVerifier:
        return JwtVerifier(
            ISSUER, frozenset({CLIENT_ID}), "unused", jwks_client=LocalJwks(self.jwks)
        )

    def claims(self, token_use: str = "access", **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        base: dict[str, Any] = {
            "sub": "c4e2b7d1-6a93-4f58-8e20-71d5a3c9b6f4",
            "iss": ISSUER,
            "iat": now,
            "exp": now + 3600,
            "token_use": token_use,
        }
        if token_use == "access":
            base |= {"client_id": CLIENT_ID, "username": "jane.berg", "scope": "openid"}
        else:
            base |= {"aud": CLIENT_ID, "cognito:username": "jane.berg"}
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    def sign(
        self,
        claims: dict[str, Any],
        key: rsa.RSAPrivateKey | None = None,
        kid: str = KID,
        algorithm: str = "RS256",
    ) -> str:
        return jwt.encode(claims, key or self.pool_key, algorithm=algorithm, headers={"kid": kid})

    def access(self, **overrides: Any) -> str:
        return self.sign(self.claims("access", **overrides))

    def unsigned(self, claims: dict[str, Any]) -> str:
        header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": KID}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}."

    def hs256_with_public_key(self, claims: dict[str, Any]) -> str:
        """The algorithm-confusion attack: HMAC keyed with the published RSA public key."""
        public_pem = self.pool_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
        payload = _b64(json.dumps(claims).encode())
        signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256)
        return f"{header}.{payload}.{_b64(signature.digest())}"
