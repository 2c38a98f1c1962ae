"""The local web server: the built SPA (web/dist) on 127.0.0.1, as the CDN serves it.

- `/config.json` is generated from the runtime's values (user pool, API base URLs), as the
  CDK deployment writes it from stack values; the build itself is the same everywhere.
- Deep links get index.html (SPA fallback); a missing file under `/assets/` stays a 404.
- Every answer carries the security headers the CDN's response headers policy sets: the
  Content-Security-Policy (`infra.browser`), no framing, no sniffing.
- Hashed assets are cached for a year; index.html and config.json never.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from infra.browser import content_security_policy
from infra.local.loopback import LoopbackServer

CONFIG_PATH = "/config.json"
ASSETS_PREFIX = "/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
NOT_BUILT = b"The web app is not built yet: `make run` (or `make web`) builds web/dist.\n"


def security_headers(connect_sources: list[str]) -> tuple[tuple[str, str], ...]:
    return (
        ("content-security-policy", content_security_policy(connect_sources)),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cross-origin-opener-policy", "same-origin"),
    )


@dataclass(frozen=True)
class WebResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class WebSite:
    """What the server answers, independent of sockets (tested directly)."""

    root: Path
    config: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def _file(self, path: str) -> Path | None:
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        root = self.root.resolve()
        if candidate != root and root not in candidate.parents:
            return None
        return candidate if candidate.is_file() else None

    def _answer(self, status: int, body: bytes, content_type: str, cache: str) -> WebResponse:
        headers = [
            ("content-type", content_type),
            ("cache-control", cache),
            *self.headers,
        ]
        return WebResponse(status, headers, body)

    def respond(self, method: str, target: str) -> WebResponse:
        if method not in ("GET", "HEAD"):
            return self._answer(
                HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain; charset=utf-8", "no-store"
            )
        path = urlsplit(target).path or "/"
        if path == CONFIG_PATH:
            body = json.dumps(self.config, indent=2).encode()
            return self._answer(HTTPStatus.OK, body, "application/json", "no-store")
        found = self._file(path) if path != "/" else None
        if found is not None:
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            cache = IMMUTABLE if path.startswith(ASSETS_PREFIX) else "no-cache"
            return self._answer(HTTPStatus.OK, found.read_bytes(), content_type, cache)
        if path.startswith(ASSETS_PREFIX):
            return self._answer(
                HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", "no-store"
            )
        index = self.root / "index.html"
        if not index.is_file():
            return self._answer(
                HTTPStatus.SERVICE_UNAVAILABLE, NOT_BUILT, "text/plain; charset=utf-8", "no-store"
            )
        html = "text/html; charset=utf-8"
        return self._answer(HTTPStatus.OK, index.read_bytes(), html, "no-cache")


class _WebRequestHandler(BaseHTTPRequestHandler):
    server: WebServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Static files are not worth a console line each."""

    def _dispatch(self) -> None:
        response = self.server.site.respond(self.command, self.path)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch


class WebServer(LoopbackServer):
    thread_name = "web"

    def __init__(self, port: int, site: WebSite) -> None:
        super().__init__(port, _WebRequestHandler)
        self.site = site
