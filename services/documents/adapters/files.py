"""S3: the service's own bucket (write, read, move, delete) and the claim check's read-only
view of another service's shared prefix."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from services.documents.logic.intake import Missing, TooBig

CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})
SHA256_METADATA = "sha256"


def s3_client() -> Any:
    return boto3.client("s3", config=CLIENT_CONFIG)


def content_disposition(file_name: str) -> str:
    """Always a download, never shown inline; the name in ASCII and in UTF-8 (RFC 6266)."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                         for c in file_name)  # fmt: skip
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


class S3Files:
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def put(
        self, key: str, content: bytes, *, content_type: str, file_name: str, sha256: str
    ) -> None:
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=content,
            ContentType=content_type,
            ContentDisposition=content_disposition(file_name),
            Metadata={SHA256_METADATA: sha256},
        )

    def get(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read())

    def copy(self, source_key: str, target_key: str, *, content_type: str, file_name: str) -> None:
        head = self._s3.head_object(Bucket=self._bucket, Key=source_key)
        self._s3.copy_object(
            Bucket=self._bucket,
            Key=target_key,
            CopySource={"Bucket": self._bucket, "Key": source_key},
            MetadataDirective="REPLACE",
            ContentType=content_type,
            ContentDisposition=content_disposition(file_name),
            Metadata=head.get("Metadata", {}),
        )

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)


class S3SharedFiles:
    """Another service's bucket, through the claim check's read-only grant."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def read(self, key: str, max_bytes: int) -> bytes:
        try:
            found = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in {"NoSuchKey", "404", "AccessDenied", "403"}:
                raise Missing(key) from error
            raise
        body = found["Body"]
        try:
            if int(found.get("ContentLength", 0)) > max_bytes:
                raise TooBig(key)
            content = body.read(max_bytes + 1)
        finally:
            body.close()
        if len(content) > max_bytes:
            raise TooBig(key)
        return bytes(content)
