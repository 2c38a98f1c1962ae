"""CloudFront signed URLs: a canned policy for exactly one object, signed RSA with SHA-256
(`Hash-Algorithm=SHA256`; CloudFront's default is SHA-1), by the key whose public half is
in the distribution's trusted key group. botocore's `CloudFrontSigner` builds the policy
and the URL; the private key comes from Secrets Manager (read once per cold start, cached
by `common.secrets`), never from code, the environment or a log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from aws_lambda_powertools.utilities import parameters
from botocore.config import Config
from botocore.signers import CloudFrontSigner

from common.external_names import CDN_KEY_PAIR_PARAMETER, CDN_URL_PARAMETER
from common.secrets import CACHE_SECONDS, read_secret

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

HASH_ALGORITHM = "SHA256"


def object_url(base_url: str, object_key: str) -> str:
    """The CDN URL of an object key (each path segment percent-encoded)."""
    return f"{base_url.rstrip('/')}/{quote(object_key, safe='/')}"


class CloudFrontUrlSigner:
    def __init__(self, base_url: str, key_pair_id: str, private_key_pem: str) -> None:
        # cryptography is imported on first signature: of the service's functions only the
        # API signs, and only on the routes that hand out a download.
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the documents signing key must be an RSA private key")
        self._key: RSAPrivateKey = key
        self._base_url = base_url
        self._signer = CloudFrontSigner(key_pair_id, self._rsa_sha256)

    def _rsa_sha256(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        return self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    def sign(self, object_key: str, expires_at: datetime) -> str:
        url = self._signer.generate_presigned_url(
            object_url(self._base_url, object_key), date_less_than=expires_at
        )
        return f"{url}&Hash-Algorithm={HASH_ALGORITHM}"


class ParametersUrlSigner:
    """The signer of the deployed CDN: its URL and key pair id from the SSM parameters the
    edge stack writes (in the edge region), its private key from the declared secret.
    Powertools caches both for minutes, so a warm function signs with no AWS call and a
    rotated key (new key pair id + secret) is picked up without a cold start."""

    def __init__(self, parameter_path: str, region: str, secret_id: str) -> None:
        self._path = parameter_path.rstrip("/")
        self._ssm = parameters.SSMProvider(boto_config=Config(region_name=region))
        self._secret_id = secret_id
        self._built_from: tuple[str, str, str] | None = None
        self._signer: CloudFrontUrlSigner | None = None

    def _parameter(self, name: str) -> str:
        value = self._ssm.get(f"{self._path}/{name}", max_age=CACHE_SECONDS)
        if not isinstance(value, str) or not value:
            raise RuntimeError(f"parameter {self._path}/{name} is empty")
        return value

    def sign(self, object_key: str, expires_at: datetime) -> str:
        facts = (
            self._parameter(CDN_URL_PARAMETER),
            self._parameter(CDN_KEY_PAIR_PARAMETER),
            read_secret(self._secret_id),
        )
        if self._signer is None or facts != self._built_from:
            self._signer = CloudFrontUrlSigner(*facts)
            self._built_from = facts
        return self._signer.sign(object_key, expires_at)
