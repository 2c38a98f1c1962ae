"""The local CDN: CloudFront's signed-URL rules in front of a bucket of the local S3.

Served on 127.0.0.1 (`documents_cdn` in endpoints.json). Like a CloudFront behaviour with
a trusted key group, an S3 origin behind origin access control and a response headers
policy, it:
- answers GET and HEAD only;
- needs `Key-Pair-Id` (else 403 "Missing Key-Pair-Id query parameter or cookie value"),
  naming a public key of the trusted key group, read from CloudFront in moto, where the
  runtime registered the stage's public key (else 403 "Unknown Key");
- verifies `Signature` (CloudFront's URL-safe base64: `-` `_` `~`) over the canned policy
  (`Expires`) or the custom one (`Policy`), RSA with SHA-1 or, with `Hash-Algorithm=SHA256`,
  SHA-256; the policy's `Resource` must be this URL (without the signing parameters; `*`
  wildcards as CloudFront allows) and `DateLessThan` in the future (else 403 "Access
  denied": tampered, expired or another object's URL);
- serves the object with its stored Content-Type and Content-Disposition (attachment,
  forced if absent), `X-Content-Type-Options: nosniff`, a sandboxing
  Content-Security-Policy and `Cache-Control: no-store`: nothing runs inline;
- reads only the declared prefixes of the bucket (the origin access the CDK bucket policy
  grants), and answers anything else, or a missing object, 403 AccessDenied, as S3 does
  behind OAC without ListBucket.
Errors are CloudFront's XML error body (`text/xml`).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import json
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from infra.local.loopback import LoopbackServer

SIGNING_PARAMETERS = frozenset({"Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"})
MISSING_KEY = "Missing Key-Pair-Id query parameter or cookie value"
UNKNOWN_KEY = "Unknown Key"
ACCESS_DENIED = "Access denied"
HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "SHA1": hashes.SHA1,
    "SHA256": hashes.SHA256,
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
KEY_CACHE_SECONDS = 5.0


class Denied(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cloudfront_b64decode(text: str) -> bytes:
    return base64.b64decode(
        text.replace("-", "+").replace("_", "=").replace("~", "/").encode(), validate=True
    )


def canned_policy(resource: str, expires: int) -> bytes:
    """The policy CloudFront rebuilds for a canned signature (no spaces, this order)."""
    condition = {"DateLessThan": {"AWS:EpochTime": expires}}
    statement = {"Resource": resource, "Condition": condition}
    return json.dumps({"Statement": [statement]}, separators=(",", ":")).encode()


def _resource_matches(pattern: str, url: str) -> bool:
    """CloudFront's wildcards: `*` any characters, `?` exactly one (`[` is literal)."""
    return fnmatch.fnmatchcase(url, pattern.replace("[", "[[]"))


def check_policy(policy: dict[str, Any], url: str, now: float) -> None:
    statements = policy.get("Statement")
    if not isinstance(statements, list) or len(statements) != 1:
        raise Denied(ACCESS_DENIED)
    statement = statements[0]
    resource = statement.get("Resource", url)
    if not isinstance(resource, str) or not _resource_matches(resource, url):
        raise Denied(ACCESS_DENIED)
    condition = statement.get("Condition", {})
    less_than = condition.get("DateLessThan", {}).get("AWS:EpochTime")
    if not isinstance(less_than, int) or now >= less_than:
        raise Denied(ACCESS_DENIED)
    greater_than = condition.get("DateGreaterThan", {}).get("AWS:EpochTime")
    if isinstance(greater_than, int) and now <= greater_than:
        raise Denied(ACCESS_DENIED)


class TrustedKeys:
    """The public keys of one key group in (moto's) CloudFront, re-read every few seconds
    as CloudFront propagates a key group change."""

    def __init__(self, cloudfront: Any, key_group_id: str) -> None:
        self._cloudfront = cloudfront
        self._group = key_group_id
        self._keys: dict[str, rsa.RSAPublicKey] = {}
        self._read_at = 0.0
        self._lock = threading.Lock()

    def get(self, key_id: str) -> rsa.RSAPublicKey | None:
        with self._lock:
            if time.monotonic() - self._read_at > KEY_CACHE_SECONDS:
                self._keys = self._read()
                self._read_at = time.monotonic()
            return self._keys.get(key_id)

    def _read(self) -> dict[str, rsa.RSAPublicKey]:
        group = self._cloudfront.get_key_group(Id=self._group)["KeyGroup"]["KeyGroupConfig"]
        keys = {}
        for key_id in group["Items"]:
            encoded = self._cloudfront.get_public_key(Id=key_id)["PublicKey"]
            loaded = serialization.load_pem_public_key(
                encoded["PublicKeyConfig"]["EncodedKey"].encode()
            )
            if isinstance(loaded, rsa.RSAPublicKey):
                keys[key_id] = loaded
        return keys


class SignedUrlGate:
    """Decides a request the way CloudFront does for a behaviour with a trusted key group."""

    def __init__(self, base_url: str, keys: TrustedKeys, clock: Callable[[], float] = time.time):
        self.base_url = base_url.rstrip("/")
        self._keys = keys
        self._clock = clock

    def check(self, raw_path: str) -> str:
        """The object key the request may read; raises Denied with CloudFront's message."""
        parts = urlsplit(raw_path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        params = dict(query)
        kept = [(name, value) for name, value in query if name not in SIGNING_PARAMETERS]
        url = self.base_url + parts.path + (f"?{urlencode(kept)}" if kept else "")
        key_id = params.get("Key-Pair-Id", "")
        if not key_id:
            raise Denied(MISSING_KEY)
        public_key = self._keys.get(key_id)
        if public_key is None:
            raise Denied(UNKNOWN_KEY)
        algorithm = HASHES.get(params.get("Hash-Algorithm", "SHA1"))
        if algorithm is None:
            raise Denied(ACCESS_DENIED)
        try:
            if "Policy" in params:
                policy_bytes = cloudfront_b64decode(params["Policy"])
            else:
                policy_bytes = canned_policy(url, int(params["Expires"]))
            signature = cloudfront_b64decode(params["Signature"])
            public_key.verify(signature, policy_bytes, padding.PKCS1v15(), algorithm())
            check_policy(json.loads(policy_bytes), url, self._clock())
        except (KeyError, ValueError, binascii.Error, InvalidSignature, AttributeError) as exc:
            raise Denied(ACCESS_DENIED) from exc
        return unquote(parts.path.lstrip("/"))


def error_xml(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
        f"<Message>{message}</Message></Error>"
    ).encode()


class CdnServer(LoopbackServer):
    thread_name = "local-cdn"

    def __init__(
        self, port: int, gate: SignedUrlGate, s3: Any, bucket: str, prefixes: tuple[str, ...]
    ) -> None:
        super().__init__(port, _CdnHandler)
        self.gate = gate
        self.s3 = s3
        self.bucket = bucket
        self.prefixes = prefixes


class _CdnHandler(BaseHTTPRequestHandler):
    server: CdnServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Signed URLs carry signatures: no access log lines with them."""

    def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _deny(self, message: str, head: bool) -> None:
        self._send(HTTPStatus.FORBIDDEN, {"Content-Type": "text/xml"}, error_xml(message), head)

    def _serve(self, head: bool) -> None:
        try:
            key = self.server.gate.check(self.path)
        except Denied as denied:
            self._deny(denied.message, head)
            return
        if not key.startswith(self.server.prefixes):
            self._deny("Access Denied", head)
            return
        try:
            found = self.server.s3.get_object(Bucket=self.server.bucket, Key=key)
        except ClientError:
            self._deny("Access Denied", head)
            return
        body = found["Body"].read()
        disposition = found.get("ContentDisposition") or "attachment"
        if not disposition.lower().startswith("attachment"):
            disposition = "attachment"
        headers = {
            "Content-Type": found.get("ContentType") or "application/octet-stream",
            "Content-Disposition": disposition,
            **SECURITY_HEADERS,
        }
        self._send(HTTPStatus.OK, headers, body, head)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _not_allowed(self) -> None:
        self._send(
            HTTPStatus.FORBIDDEN,
            {"Content-Type": "text/xml"},
            error_xml("This distribution is not configured to allow the HTTP request method"),
            head=False,
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed
