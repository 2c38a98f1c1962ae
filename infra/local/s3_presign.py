"""S3's checks of presigned URLs, in front of moto's server (which makes none).

moto (5.2.5) serves a presigned S3 request whatever its expiry and signature: an expired
upload URL, one whose key was edited, or a PUT with another Content-Type than the one
signed all answer 200. Amazon S3 refuses them (403 `AccessDenied` "Request has expired";
403 `SignatureDoesNotMatch`), and the portal relies on that: provisioning's upload URLs are
short-lived and bound to one key and content type. `PresignCheck` wraps moto's WSGI app and
answers a query-string-authenticated S3 request as S3 does before moto sees it:

- SigV4 (`X-Amz-Signature`, what every handler signs with): `X-Amz-Date` + `X-Amz-Expires`
  must not be past (nor the expiry over 7 days), and the signature is recomputed over the
  canonical request (method, path as sent, query without the signature, the signed headers
  with the values received, `UNSIGNED-PAYLOAD`) with the local secret;
- SigV2 (`AWSAccessKeyId` + `Signature` + `Expires`): `Expires` must not be past and the
  HMAC-SHA1 of the string to sign must match.

Only the runtime's credentials (`aws.DUMMY_KEY`) are known; another access key id is
`InvalidAccessKeyId`, as S3 answers a key it does not have. Requests signed in the
Authorization header pass untouched (moto accepts any credentials there, as documented).
Guarded by `tests/integration/local/test_local_s3_presign.py` (which also shows moto alone
still accepts such URLs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from calendar import timegm
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

SIGV4_ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SIGV4_EXPIRES = 7 * 24 * 3600
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
SIGV2_SUBRESOURCES = frozenset(
    {
        "acl",
        "cors",
        "delete",
        "lifecycle",
        "location",
        "logging",
        "notification",
        "partNumber",
        "policy",
        "requestPayment",
        "tagging",
        "torrent",
        "uploadId",
        "uploads",
        "versionId",
        "versioning",
        "versions",
        "website",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-content-type",
        "response-expires",
    }
)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _uri_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def _header(environ: Mapping[str, Any], name: str) -> str | None:
    lower = name.lower()
    if lower == "content-type":
        value = environ.get("CONTENT_TYPE")
    elif lower == "content-length":
        value = environ.get("CONTENT_LENGTH")
    else:
        value = environ.get("HTTP_" + lower.upper().replace("-", "_"))
    return None if value is None else str(value)


def _raw_target(environ: Mapping[str, Any]) -> tuple[str, str]:
    """(path, query) exactly as the client sent them (not percent-decoded)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not raw:
        return quote(environ.get("PATH_INFO", "")), environ.get("QUERY_STRING", "")
    path, _, query = str(raw).partition("?")
    return path, query


def _check_sigv4(
    environ: Mapping[str, Any],
    path: str,
    pairs: list[tuple[str, str]],
    secrets: Mapping[str, str],
    now: float,
) -> None:
    params = dict(pairs)
    if params.get("X-Amz-Algorithm") != SIGV4_ALGORITHM:
        raise Refusal(400, "AuthorizationQueryParametersError", "Unsupported algorithm")
    try:
        signed_at = timegm(time.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))
        expires = int(params["X-Amz-Expires"])
        access_key, scope = params["X-Amz-Credential"].split("/", 1)
        signed_headers = params["X-Amz-SignedHeaders"]
        signature = params["X-Amz-Signature"]
    except (KeyError, ValueError) as exc:
        raise Refusal(
            400,
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, "
            "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "
            "and X-Amz-Expires parameters.",
        ) from exc
    if expires < 0 or expires > MAX_SIGV4_EXPIRES:
        raise Refusal(
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds",
        )
    if now > signed_at + expires:
        raise Refusal(403, "AccessDenied", "Request has expired")
    secret = _secret_of(secrets, access_key)
    query = "&".join(
        f"{k}={v}"
        for k, v in sorted(
            (_uri_encode(k), _uri_encode(v)) for k, v in pairs if k != "X-Amz-Signature"
        )
    )
    names = signed_headers.split(";")
    headers = ""
    for name in names:
        value = _header(environ, name)
        headers += f"{name}:{' '.join((value or '').split())}\n"
    canonical = "\n".join(
        [
            environ["REQUEST_METHOD"],
            path,
            query,
            headers,
            signed_headers,
            _header(environ, "x-amz-content-sha256") or UNSIGNED_PAYLOAD,
        ]
    )
    string_to_sign = "\n".join(
        [
            SIGV4_ALGORITHM,
            params["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = ("AWS4" + secret).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise _signature_mismatch()


def _check_sigv2(
    environ: Mapping[str, Any],
    path: str,
    pairs: list[tuple[str, str]],
    secrets: Mapping[str, str],
    now: float,
) -> None:
    params = dict(pairs)
    try:
        expires = int(params["Expires"])
    except ValueError as exc:
        raise Refusal(403, "AccessDenied", "Invalid date (should be seconds since epoch)") from exc
    if now > expires:
        raise Refusal(403, "AccessDenied", "Request has expired")
    secret = _secret_of(secrets, params["AWSAccessKeyId"])
    amz_headers = sorted(
        (name[5:].lower().replace("_", "-"), " ".join(str(value).split()))
        for name, value in environ.items()
        if name.startswith("HTTP_X_AMZ_")
    )
    subresources = sorted((k, v) for k, v in pairs if k in SIGV2_SUBRESOURCES)
    resource = path
    if subresources:
        resource += "?" + "&".join(f"{k}={v}" if v else k for k, v in subresources)
    string_to_sign = "\n".join(
        [
            environ["REQUEST_METHOD"],
            _header(environ, "content-md5") or "",
            _header(environ, "content-type") or "",
            str(expires),
            *(f"{name}:{value}" for name, value in amz_headers),
            resource,
        ]
    )
    expected = base64.b64encode(
        hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha1).digest()
    ).decode()
    if not hmac.compare_digest(expected, params["Signature"]):
        raise _signature_mismatch()


def _secret_of(secrets: Mapping[str, str], access_key: str) -> str:
    """The secret of a key S3 knows; another is InvalidAccessKeyId, as S3 answers."""
    secret = secrets.get(access_key)
    if secret is None:
        raise Refusal(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    return secret


def _signature_mismatch() -> Refusal:
    return Refusal(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
    )


def refusal(environ: Mapping[str, Any], secrets: Mapping[str, str], now: float) -> Refusal | None:
    """S3's refusal of a presigned request, or None (valid, or not presigned for S3)."""
    path, raw_query = _raw_target(environ)
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    names = {k for k, _ in pairs}
    try:
        if "X-Amz-Signature" in names:
            credential = dict(pairs).get("X-Amz-Credential", "")
            if credential.split("/")[3:4] != ["s3"]:
                return None  # another service's presigned request
            _check_sigv4(environ, path, pairs, secrets, now)
        elif {"AWSAccessKeyId", "Signature", "Expires"} <= names:
            _check_sigv2(environ, path, pairs, secrets, now)
    except Refusal as refused:
        return refused
    return None


class PresignCheck:
    """WSGI middleware: S3's presigned-URL checks before moto's app."""

    def __init__(
        self,
        app: WsgiApp,
        secrets: Mapping[str, str],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._app = app
        self._secrets = dict(secrets)
        self._clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        refused = refusal(environ, self._secrets, self._clock())
        if refused is None:
            return self._app(environ, start_response)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{refused.code}</Code><Message>{refused.message}</Message>"
            "<RequestId>local</RequestId></Error>"
        ).encode()
        start_response(
            f"{refused.status} {'Forbidden' if refused.status == 403 else 'Bad Request'}",
            [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]
