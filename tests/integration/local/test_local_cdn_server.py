"""The local CDN over HTTP, in front of a bucket of the local S3, trusting a key group kept
in moto's CloudFront: what it serves, how, and what it refuses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from infra.local.aws import client
from infra.local.cdn import CdnServer, SignedUrlGate, TrustedKeys
from infra.local.resources import new_rsa_key_pair
from services.documents.adapters.cdn import CloudFrontUrlSigner
from services.documents.adapters.files import S3Files
from tests.integration.local.conftest import free_port

pytestmark = pytest.mark.integration
BUCKET = "scts-local-documents-files"
SERVED = "files/acc-a/confirmation-T-1/v1/abc/confirmation-T-1.pdf"


@pytest.fixture
def cdn(moto_url: str) -> Iterator[tuple[CdnServer, CloudFrontUrlSigner]]:
    s3 = client("s3", moto_url)
    bucket = f"{BUCKET}-{uuid.uuid4().hex[:8]}"  # moto lives for the module
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    files = S3Files(s3, bucket)
    files.put(
        SERVED, b"%PDF-1.4 served", content_type="application/pdf", file_name="c.pdf", sha256="x"
    )
    files.put(
        "quarantine/acc-a/x/v1",
        b"%PDF-1.4 held",
        content_type="application/pdf",
        file_name="x.pdf",
        sha256="y",
    )
    s3.put_object(
        Bucket=bucket, Key="files/raw.html", Body=b"<script>1</script>", ContentType="text/html"
    )
    private, public = new_rsa_key_pair()
    cloudfront = client("cloudfront", moto_url)
    key = cloudfront.create_public_key(
        PublicKeyConfig={"CallerReference": bucket, "Name": bucket, "EncodedKey": public}
    )["PublicKey"]["Id"]
    group = cloudfront.create_key_group(KeyGroupConfig={"Name": bucket, "Items": [key]})[
        "KeyGroup"
    ]["Id"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = CdnServer(
        port,
        SignedUrlGate(base, TrustedKeys(cloudfront, group)),
        s3,
        bucket,
        ("files/", "bundles/"),
    )
    server.start()
    try:
        yield server, CloudFrontUrlSigner(base, key, private)
    finally:
        server.shutdown()
        server.server_close()


def soon() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=1)


def test_a_signed_url_downloads_its_object_as_an_attachment(cdn) -> None:
    _, signer = cdn
    answer = requests.get(signer.sign(SERVED, soon()), timeout=10)
    assert answer.status_code == 200
    assert answer.content == b"%PDF-1.4 served"
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="c.pdf"')
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert requests.head(signer.sign(SERVED, soon()), timeout=10).status_code == 200


def test_html_is_never_shown_inline(cdn) -> None:
    _, signer = cdn
    answer = requests.get(signer.sign("files/raw.html", soon()), timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == "attachment"
    assert "sandbox" in answer.headers["Content-Security-Policy"]


def test_what_cloudfront_refuses_is_refused(cdn) -> None:
    _, signer = cdn
    for url in (
        signer.sign("quarantine/acc-a/x/v1", soon()),  # outside the origin's access
        signer.sign("files/missing.pdf", soon()),
        signer.sign(SERVED, datetime.now(UTC) - timedelta(seconds=1)),
        signer.sign(SERVED, soon()).replace("Signature=", "Signature=x"),
    ):
        answer = requests.get(url, timeout=10)
        assert answer.status_code == 403, url
        assert answer.headers["Content-Type"] == "text/xml"
        assert "<Code>AccessDenied</Code>" in answer.text
    assert requests.post(signer.sign(SERVED, soon()), timeout=10).status_code == 403
