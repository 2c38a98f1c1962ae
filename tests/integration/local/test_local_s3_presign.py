"""The local moto server checks presigned S3 URLs as Amazon S3 does (`infra/local/s3_presign.py`).

AWS (S3 User Guide, "Sharing objects with presigned URLs"; S3 API Reference, "Authenticating
Requests: Using Query Parameters (AWS Signature Version 4)"): a presigned URL is valid only
until `X-Amz-Date` + `X-Amz-Expires` (then 403 AccessDenied "Request has expired"); the
signature covers the method, the object key, the query and every header named in
`X-Amz-SignedHeaders` (a PUT presigned with a ContentType must be sent with that
Content-Type, else 403 SignatureDoesNotMatch); a key S3 does not know is 403
InvalidAccessKeyId. moto 5.2.5 answers all of these 200.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from moto.server import ThreadedMotoServer

from infra.local.aws import DUMMY_KEY
from infra.local.invoke import REGION
from tests.integration.local.conftest import free_port

pytestmark = pytest.mark.integration

BUCKET = "presign-check"
KEY = "uploads/pub 1/ü+file.csv"


def s3(url: str, *, signature_version: str = "s3v4", key: str = DUMMY_KEY) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=key,
        config=Config(signature_version=signature_version),
    )


def put_url(client: Any, expires_in: int = 300, bucket: str = BUCKET) -> str:
    url: str = client.generate_presigned_url(
        "put_object",
        Params={"Bucket": bucket, "Key": KEY, "ContentType": "text/csv"},
        ExpiresIn=expires_in,
    )
    return url


@pytest.fixture(scope="module")
def bucket(moto_url: str) -> str:
    s3(moto_url).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return moto_url


def error_code(response: requests.Response) -> str:
    return response.text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in response.text else ""


def test_a_valid_presigned_put_and_get_work(bucket: str) -> None:
    client = s3(bucket)
    put = requests.put(
        put_url(client), data=b"a,b\n", headers={"Content-Type": "text/csv"}, timeout=10
    )
    assert put.status_code == 200, put.text
    get_url = client.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=60
    )
    got = requests.get(get_url, timeout=10)
    assert got.status_code == 200, got.text
    assert got.content == b"a,b\n"


def test_an_expired_presigned_url_is_refused(bucket: str) -> None:
    client = s3(bucket)
    v4_put = put_url(client, expires_in=1)
    v4_get = client.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=1
    )
    v2_get = s3(bucket, signature_version="s3").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=1
    )
    time.sleep(2.1)
    put = requests.put(v4_put, data=b"x", headers={"Content-Type": "text/csv"}, timeout=10)
    assert (put.status_code, error_code(put)) == (403, "AccessDenied")
    for url in (v4_get, v2_get):
        got = requests.get(url, timeout=10)
        assert (got.status_code, error_code(got)) == (403, "AccessDenied")


def test_another_content_type_than_signed_is_refused(bucket: str) -> None:
    put = requests.put(
        put_url(s3(bucket)), data=b"<script>", headers={"Content-Type": "text/html"}, timeout=10
    )
    assert (put.status_code, error_code(put)) == (403, "SignatureDoesNotMatch")


def test_an_edited_key_or_query_is_refused(bucket: str) -> None:
    url = put_url(s3(bucket))
    other_key = url.replace("file.csv", "other.csv")
    put = requests.put(other_key, data=b"x", headers={"Content-Type": "text/csv"}, timeout=10)
    assert (put.status_code, error_code(put)) == (403, "SignatureDoesNotMatch")
    longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=600")
    put = requests.put(longer, data=b"x", headers={"Content-Type": "text/csv"}, timeout=10)
    assert (put.status_code, error_code(put)) == (403, "SignatureDoesNotMatch")


def test_a_url_signed_with_unknown_credentials_is_refused(bucket: str) -> None:
    url = put_url(s3(bucket, key="someone-else"))
    put = requests.put(url, data=b"x", headers={"Content-Type": "text/csv"}, timeout=10)
    assert (put.status_code, error_code(put)) == (403, "InvalidAccessKeyId")


@pytest.fixture(scope="module")
def plain_moto() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_moto_alone_still_accepts_expired_and_tampered_urls(plain_moto: str) -> None:
    """The gap the check fills. When this fails, moto validates presigned URLs itself:
    drop `s3_presign.py` (and this test)."""
    client = s3(plain_moto)
    bucket = "presign-unchecked"  # moto's state is shared by every server in the process
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    expired = put_url(client, expires_in=1, bucket=bucket)
    time.sleep(2.1)
    put = requests.put(expired, data=b"x", headers={"Content-Type": "text/html"}, timeout=10)
    assert put.status_code == 200
