"""The local CDN decides signed URLs as CloudFront does: the service's signer passes,
tampered, expired, other-object, unknown-key and missing-key URLs are refused with
CloudFront's messages; SHA-1 (the default) and SHA-256 (`Hash-Algorithm`) both verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from infra.local.cdn import ACCESS_DENIED, MISSING_KEY, UNKNOWN_KEY, Denied, SignedUrlGate
from infra.local.resources import new_rsa_key_pair
from services.documents.adapters.cdn import CloudFrontUrlSigner

pytestmark = pytest.mark.unit
BASE = "http://127.0.0.1:9704"
KEY_ID = "K2JCJMDEHXQW5F"
KEY = "files/acc-a/confirmation-T-1/v1/0123456789abcdef/confirmation-T-1.pdf"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class _Keys:
    def __init__(self, public_pem: str) -> None:
        loaded = serialization.load_pem_public_key(public_pem.encode())
        assert isinstance(loaded, rsa.RSAPublicKey)
        self.keys = {KEY_ID: loaded}

    def get(self, key_id: str) -> Any:
        return self.keys.get(key_id)


@pytest.fixture(scope="module")
def pair() -> tuple[str, str]:
    return new_rsa_key_pair()


def gate(pair: tuple[str, str], now: datetime = NOW) -> SignedUrlGate:
    return SignedUrlGate(BASE, _Keys(pair[1]), clock=lambda: now.timestamp())  # type: ignore[arg-type]


def path_of(url: str) -> str:
    return url.removeprefix(BASE)


def signed(pair: tuple[str, str], key: str = KEY, minutes: int = 2) -> str:
    return CloudFrontUrlSigner(BASE, KEY_ID, pair[0]).sign(key, NOW + timedelta(minutes=minutes))


def refusal(pair: tuple[str, str], url: str, now: datetime = NOW) -> str:
    with pytest.raises(Denied) as denied:
        gate(pair, now).check(path_of(url))
    return denied.value.message


def test_the_services_url_opens_its_object_with_sha256(pair: tuple[str, str]) -> None:
    url = signed(pair)
    assert url.endswith("&Hash-Algorithm=SHA256")
    assert gate(pair).check(path_of(url)) == KEY


def test_expired_tampered_and_other_object_urls_are_refused(pair: tuple[str, str]) -> None:
    url = signed(pair)
    assert refusal(pair, url, NOW + timedelta(minutes=2)) == ACCESS_DENIED
    assert refusal(pair, url.replace("Expires=", "Expires=9")) == ACCESS_DENIED
    signature = url.split("Signature=")[1].split("&")[0]
    flipped = ("A" if signature[5] != "A" else "B").join((signature[:5], signature[6:]))
    assert refusal(pair, url.replace(signature, flipped)) == ACCESS_DENIED
    assert refusal(pair, url.replace("confirmation-T-1.pdf", "invoice-INV-1.pdf")) == ACCESS_DENIED
    assert refusal(pair, url.replace("&Hash-Algorithm=SHA256", "")) == ACCESS_DENIED


def test_missing_and_unknown_keys_get_cloudfronts_messages(pair: tuple[str, str]) -> None:
    url = signed(pair)
    assert refusal(pair, url.replace(f"&Key-Pair-Id={KEY_ID}", "")) == MISSING_KEY
    assert refusal(pair, url.replace(KEY_ID, "KUNKNOWN")) == UNKNOWN_KEY
    other = new_rsa_key_pair()
    assert refusal(pair, signed(other)) == ACCESS_DENIED


def _sha1_signer(private_pem: str) -> CloudFrontSigner:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return CloudFrontSigner(KEY_ID, lambda m: key.sign(m, padding.PKCS1v15(), hashes.SHA1()))  # noqa: S303


def test_the_sha1_default_and_custom_policies_with_wildcards(pair: tuple[str, str]) -> None:
    signer = _sha1_signer(pair[0])
    sha1 = signer.generate_presigned_url(f"{BASE}/{KEY}", date_less_than=NOW + timedelta(minutes=1))
    assert gate(pair).check(path_of(sha1)) == KEY
    policy = signer.build_policy(f"{BASE}/files/acc-a/*", NOW + timedelta(minutes=1))
    custom = signer.generate_presigned_url(f"{BASE}/{KEY}", policy=policy)
    assert gate(pair).check(path_of(custom)) == KEY
    outside = custom.replace("files/acc-a/", "files/acc-b/")
    assert refusal(pair, outside) == ACCESS_DENIED


def test_a_policy_not_yet_valid_is_refused(pair: tuple[str, str]) -> None:
    signer = _sha1_signer(pair[0])
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Resource": f"{BASE}/{KEY}",
                    "Condition": {
                        "DateLessThan": {
                            "AWS:EpochTime": int((NOW + timedelta(hours=1)).timestamp())
                        },
                        "DateGreaterThan": {
                            "AWS:EpochTime": int((NOW + timedelta(minutes=5)).timestamp())
                        },
                    },
                }
            ]
        },
        separators=(",", ":"),
    )
    url = signer.generate_presigned_url(f"{BASE}/{KEY}", policy=policy)
    assert refusal(pair, url) == ACCESS_DENIED
