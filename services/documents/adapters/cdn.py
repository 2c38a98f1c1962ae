"""CloudFront signed URLs: a canned policy for exactly one object, signed RSA with SHA-256
(`Hash-Algorithm=SHA256`; CloudFront's default is SHA-1), by the key whose public half is
in the distribution's trusted key group. botocore's `CloudFrontSigner` builds the policy
and the URL; the private key comes from Secrets Manager (read once per cold start, cached
by `common.secrets`), never from code, the environment or a log."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from common.secrets import read_secret

HASH_ALGORITHM = "SHA256"


def object_url(base_url: str, object_key: str) -> str:
    """The CDN URL of an object key (each path segment percent-encoded)."""
    return f"{base_url.rstrip('/')}/{quote(object_key, safe='/')}"


class CloudFrontUrlSigner:
    def __init__(self, base_url: str, key_pair_id: str, private_key_pem: str) -> None:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the documents signing key must be an RSA private key")
        self._key = key
        self._base_url = base_url
        self._signer = CloudFrontSigner(key_pair_id, self._rsa_sha256)

    def _rsa_sha256(self, message: bytes) -> bytes:
        return self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    def sign(self, object_key: str, expires_at: datetime) -> str:
        url = self._signer.generate_presigned_url(
            object_url(self._base_url, object_key), date_less_than=expires_at
        )
        return f"{url}&Hash-Algorithm={HASH_ALGORITHM}"


class SecretKeyUrlSigner:
    """The signer, its key read from the declared secret (Powertools caches the value for
    minutes; a rotated key is picked up without a cold start)."""

    def __init__(self, base_url: str, key_pair_id: str, secret_id: str) -> None:
        self._base_url = base_url
        self._key_pair_id = key_pair_id
        self._secret_id = secret_id
        self._pem: str | None = None
        self._signer: CloudFrontUrlSigner | None = None

    def sign(self, object_key: str, expires_at: datetime) -> str:
        pem = read_secret(self._secret_id)
        if self._signer is None or pem != self._pem:
            self._signer = CloudFrontUrlSigner(self._base_url, self._key_pair_id, pem)
            self._pem = pem
        return self._signer.sign(object_key, expires_at)
