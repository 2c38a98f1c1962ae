"""What the service derives from its declared secrets (read lazily through
`common.secrets`, so a function that never signs never reads them):

- the cursor key (`common.cursor.CursorSigner`),
- the unsubscribe key (HMAC-SHA256 of one-click unsubscribe tokens),
- the VAPID key pair: a P-256 private key derived from the declared random secret
  (SHA-256 of it, reduced into the curve's range), so the CDK's generated secret and the
  local runtime's random one both work without storing a PEM; its public half is the
  `applicationServerKey` browsers subscribe with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from typing import TYPE_CHECKING, Any

from common.cursor import CursorSigner
from common.secrets import read_secret

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

_P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


class SecretCursors:
    def __init__(self, secret_id: str) -> None:
        self._secret_id = secret_id

    def _signer(self) -> CursorSigner:
        return CursorSigner(read_secret(self._secret_id).encode())

    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str:
        return self._signer().encode(
            position, account_id=account_id, subject=subject, fingerprint=fingerprint
        )

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]:
        return self._signer().decode(
            cursor, account_id=account_id, subject=subject, fingerprint=fingerprint
        )


class SecretHmac:
    def __init__(self, secret_id: str) -> None:
        self._secret_id = secret_id

    def sign(self, payload: bytes) -> bytes:
        return hmac.new(read_secret(self._secret_id).encode(), payload, hashlib.sha256).digest()


@cache
def vapid_private_key(seed: str) -> ec.EllipticCurvePrivateKey:
    # cryptography is imported on first use: only the push stage (and the API's key route)
    # derive the VAPID key.
    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def application_server_key(private_key: ec.EllipticCurvePrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
