"""HTTP for `scts-publish`: retries with backoff and jitter that honour Retry-After, and
errors that say what to do.

Retries are urllib3's (`Retry`, mounted on the requests session): on 429, 500, 502, 503,
504 and on connection or read errors, for every call, the file's PUT included (its body is
rewound). A `Retry-After` header (seconds or an HTTP date, at most `RETRY_AFTER_MAX`
seconds) sets the wait; without one the first retry is at once and each later wait doubles
from 2 x `BACKOFF_FACTOR` seconds up to `BACKOFF_MAX`, plus up to `BACKOFF_JITTER` seconds
of random jitter (urllib3's formula). Each wait is announced on stderr.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Mapping
from typing import Any, BinaryIO, TextIO

import requests
from requests.adapters import HTTPAdapter
from tqdm import tqdm
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_FACTOR = 0.5
BACKOFF_JITTER = 1.0
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 300
DEFAULT_ATTEMPTS = 8
INGEST_URL_HINT = (
    "--url must be the base URL of provisioning's ingest API (the REST API serving the "
    "publisher routes), stage included: https://<api-id>.execute-api.<region>.amazonaws.com/"
    "<stage>; locally `ingest_apis.provisioning` in .local/endpoints.json (not "
    "`services.provisioning`, the portal's HTTP API)"
)


class PublishError(Exception):
    """A failure `scts-publish` reports and exits on; `exit_code` says which kind."""

    exit_code = 1


class Unreachable(PublishError):
    """Nothing answers at --url, or what answers is not the ingest API."""

    exit_code = 3


class KeyRefused(PublishError):
    """No publisher key, or the portal refuses it (unknown, revoked, expired)."""

    exit_code = 4


class NotFound(PublishError):
    """A 404: the thing asked for does not exist, or --url is not the ingest API."""

    def __init__(self, message: str, response: requests.Response) -> None:
        super().__init__(message)
        self.response = response


class Conflict(PublishError):
    """A 409: the upload is not in a state for that (e.g. its file never arrived)."""


def pause(seconds: float) -> None:
    """Wait before a retry (one place, so tests can record the waits)."""
    time.sleep(seconds)


class PublishRetry(Retry):
    """urllib3's Retry, honouring Retry-After on every retried status, saying each wait."""

    RETRY_AFTER_STATUS_CODES = RETRYABLE_STATUSES

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        delay = self.get_retry_after(response) if response is not None else None
        if delay is None:
            delay = self.get_backoff_time()
        if response is not None:
            cause = f"HTTP {response.status}"
            if response.headers.get("Retry-After") is not None:
                cause += f", Retry-After {response.headers['Retry-After']}"
        else:
            cause = "no answer"
        print(f"scts-publish: {cause}; trying again in {delay:.1f} s", file=sys.stderr)
        pause(delay)


def retry_policy(attempts: int = DEFAULT_ATTEMPTS) -> PublishRetry:
    """Up to `attempts` tries of each call (connection failures: at most 3, so a wrong
    --url fails in seconds)."""
    retries = max(attempts - 1, 0)
    return PublishRetry(
        total=retries,
        connect=min(retries, 2),
        status=retries,
        other=0,
        allowed_methods=None,
        status_forcelist=RETRYABLE_STATUSES,
        backoff_factor=BACKOFF_FACTOR,
        backoff_jitter=BACKOFF_JITTER,
        backoff_max=BACKOFF_MAX,
        retry_after_max=RETRY_AFTER_MAX,
        raise_on_status=False,
        respect_retry_after_header=True,
    )


def retrying_session(attempts: int = DEFAULT_ATTEMPTS) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry_policy(attempts))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def problem_of(response: requests.Response) -> str:
    """The portal's error message and request id (or the start of whatever came back)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if isinstance(body, dict) and "message" in body:
        request_id = body.get("request_id") or response.headers.get("x-amzn-requestid")
        fields = "; ".join(
            f"{f.get('path')}: {f.get('reason')}"
            for f in body.get("fields") or []
            if isinstance(f, dict)
        )
        text = str(body["message"]) + (f" ({fields})" if fields else "")
        return text + (f" [request id {request_id}]" if request_id else "")
    return response.text[:300]


class Client:
    """The ingest API with a publisher key: every call retried (see the module docstring),
    every refusal turned into a `PublishError` that says what to do."""

    def __init__(
        self,
        base_url: str,
        key: str,
        timeout: float = 30,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = retrying_session(attempts)
        self.session.headers["x-api-key"] = key
        self.files = retrying_session(attempts)
        """For presigned S3 URLs: never sends the publisher key."""
        self.timeout = timeout

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, self.base_url + path, **kwargs)
        except requests.ConnectionError as exc:
            raise Unreachable(
                f"nothing answers at {self.base_url} ({exc}). {INGEST_URL_HINT}."
            ) from exc
        except requests.RequestException as exc:
            raise PublishError(f"{method} {path}: {exc}") from exc
        if response.status_code < 400:
            return response
        if response.status_code in (401, 403):
            raise KeyRefused(
                f"the ingest API refused the publisher key ({response.status_code}: "
                f"{problem_of(response)}): is it the current key of a registered publisher?"
            )
        if response.status_code == 404:
            raise NotFound(f"{method} {path}: 404 {problem_of(response)}", response)
        if response.status_code == 409:
            raise Conflict(f"{method} {path}: 409 {problem_of(response)}")
        raise PublishError(f"{method} {path}: {response.status_code} {problem_of(response)}")

    def not_the_ingest_api(self, missing: NotFound) -> Unreachable:
        """What a 404 of a route every ingest API has means: --url points elsewhere."""
        if "apigw-requestid" in missing.response.headers:
            what = "the portal's HTTP API, which has no publisher routes"
        else:
            what = f"not the ingest API ({missing})"
        return Unreachable(f"{self.base_url} is {what}. {INGEST_URL_HINT}.")

    def json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.call(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Unreachable(
                f"{self.base_url} answered {method} {path} with something other than the "
                f"ingest API's JSON ({response.text[:100]!r}). {INGEST_URL_HINT}."
            )
        return body

    def put_file(
        self, url: str, headers: Mapping[str, str], source: BinaryIO, size: int, label: str
    ) -> None:
        """PUT the file to its presigned URL with a progress bar (sent again whole, from its
        first byte, when a try fails)."""
        with tqdm(total=size, unit="B", unit_scale=True, desc=f"upload {label}") as bar:
            try:
                put = self.files.put(
                    url, data=ProgressReader(source, bar), headers=dict(headers), timeout=600
                )
            except requests.RequestException as exc:
                raise PublishError(f"the upload of {label} failed: {exc}") from exc
        if put.status_code >= 300:
            raise PublishError(
                f"the upload of {label} was refused: {put.status_code} {put.text[:300]}"
            )

    def download(self, url: str, sink: TextIO) -> None:
        """Stream a presigned URL (no key sent) into a text sink."""
        try:
            with self.files.get(url, timeout=120, stream=True) as response:
                if response.status_code >= 300:
                    raise PublishError(f"could not fetch the rejected rows: {response.status_code}")
                response.encoding = "utf-8"
                for text in response.iter_content(1 << 16, decode_unicode=True):
                    sink.write(text)
        except requests.RequestException as exc:
            raise PublishError(f"could not fetch the rejected rows: {exc}") from exc


class ProgressReader(io.RawIOBase):
    """A file whose reads advance a progress bar (requests streams it as the PUT body);
    seekable, so a retried PUT rewinds it."""

    def __init__(self, source: BinaryIO, bar: tqdm[Any]) -> None:
        self._source = source
        self._bar = bar
        self._start = source.tell()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self._bar.update(len(chunk))
        return chunk

    def tell(self) -> int:
        """requests sizes the body as len - tell: a known length, never a chunked PUT."""
        return self._source.tell() - self._start

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET:
            raise io.UnsupportedOperation("only absolute seeks")
        self._source.seek(self._start + offset)
        self._bar.reset(total=self._bar.total)
        self._bar.update(offset)
        return offset

    def __len__(self) -> int:
        return int(self._bar.total or 0)
