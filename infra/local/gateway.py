"""The local API Gateway (HTTP API, payload format 2.0): one loopback listener per service.

One listener per service, not one listener with a prefix per service: in the cloud every
service has its own HTTP API (its own base URL) and routes start at `/v1/...`, so handlers
see the same rawPath locally and clients change nothing but the base URL.

Authorization is done here exactly as the cloud gateway does it, before the function runs:
USER routes need a Cognito JWT valid for the local pool (verified against its JWKS, never
the token's `iss`); PUBLISHER routes run the service's request authorizer (simple
responses); PUBLIC routes pass.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from common.jwt import JwtVerifier, TokenRejected, bearer_token
from common.topology import AuthKind, Route, ServiceTopology
from infra.local.invoke import ACCOUNT_ID, REGION, Invoker

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
PUBLISHER_IDENTITY_HEADERS = ("x-api-key", "authorization")
"""Identity sources of the publisher authorizer: the first header present is the key."""

_TEXT_TYPES = re.compile(
    r"^(text/|application/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+(json|xml))",
    re.IGNORECASE,
)
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class GatewayRoute:
    route: Route
    function_name: str
    pattern: re.Pattern[str]

    @property
    def route_key(self) -> str:
        return f"{self.route.method} {self.route.path}"


def compile_path(template: str) -> re.Pattern[str]:
    """`/v1/accounts/{account_id}` -> a regex with one named group per path parameter."""
    parts = re.split(r"(\{[A-Za-z0-9_]+\})", template)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}$")


def api_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as API Gateway passes them: every value a string, lists as `[a b]`."""
    out: dict[str, str] = {}
    for key, value in claims.items():
        if isinstance(value, list):
            out[key] = "[" + " ".join(str(v) for v in value) + "]"
        else:
            out[key] = value if isinstance(value, str) else json.dumps(value)
    return out


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _json_response(status: int, body: Any, **headers: str) -> HttpResponse:
    return HttpResponse(
        status,
        [("content-type", "application/json"), *headers.items()],
        json.dumps(body).encode(),
    )


UNAUTHORIZED = {"message": "Unauthorized"}


class ServiceGateway:
    """Matches, authorizes and turns requests into payload v2 events for one service."""

    def __init__(
        self,
        topology: ServiceTopology,
        invoker: Invoker,
        *,
        function_names: Mapping[str, str],
        verifier: JwtVerifier | None,
        api_id: str,
    ) -> None:
        self.topology = topology
        self._invoker = invoker
        self._verifier = verifier
        self._api_id = api_id
        self._authorizer = (
            function_names[topology.publisher_authorizer] if topology.publisher_authorizer else None
        )
        self.routes = [
            GatewayRoute(r, function_names[r.function], compile_path(r.path))
            for r in topology.routes
        ]

    def match(self, method: str, path: str) -> tuple[GatewayRoute, dict[str, str]] | None:
        for candidate in self.routes:
            if candidate.route.method != method:
                continue
            found = candidate.pattern.match(path)
            if found:
                return candidate, found.groupdict()
        return None

    def handle(
        self,
        method: str,
        target: str,
        header_pairs: list[tuple[str, str]],
        body: bytes,
        source_ip: str,
    ) -> HttpResponse:
        request_id = base64.urlsafe_b64encode(uuid.uuid4().bytes[:12]).decode()
        response = self._handle(method, target, header_pairs, body, source_ip, request_id)
        response.headers.append(("apigw-requestid", request_id))
        return response

    def _handle(
        self,
        method: str,
        target: str,
        header_pairs: list[tuple[str, str]],
        body: bytes,
        source_ip: str,
        request_id: str,
    ) -> HttpResponse:
        if len(body) > MAX_PAYLOAD_BYTES:
            return _json_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"message": "Request Entity Too Large"}
            )
        split = urlsplit(target)
        matched = self.match(method, split.path)
        if matched is None:
            return _json_response(HTTPStatus.NOT_FOUND, {"message": "Not Found"})
        route, path_parameters = matched
        event = self.build_event(
            method,
            split.path,
            split.query,
            header_pairs,
            body,
            source_ip,
            request_id,
            route.route_key,
            path_parameters,
        )
        auth = route.route.auth
        if auth is AuthKind.USER:
            if self._verifier is None:
                return _json_response(HTTPStatus.UNAUTHORIZED, UNAUTHORIZED)
            try:
                claims = self._verifier.verify(bearer_token(event["headers"]))
            except TokenRejected:
                return _json_response(
                    HTTPStatus.UNAUTHORIZED, UNAUTHORIZED, **{"www-authenticate": "Bearer"}
                )
            event["requestContext"]["authorizer"] = {
                "jwt": {"claims": api_claims(claims), "scopes": None}
            }
        elif auth is AuthKind.PUBLISHER:
            denied = self._authorize_publisher(event)
            if denied is not None:
                return denied
        result = self._invoker.invoke(route.function_name, event)
        if result.failed:
            return _json_response(
                HTTPStatus.INTERNAL_SERVER_ERROR, {"message": "Internal Server Error"}
            )
        return self.to_http(result.payload)

    def _authorize_publisher(self, event: dict[str, Any]) -> HttpResponse | None:
        headers: dict[str, str] = event["headers"]
        identity = [headers[h] for h in PUBLISHER_IDENTITY_HEADERS if h in headers]
        if self._authorizer is None or not identity:
            return _json_response(HTTPStatus.UNAUTHORIZED, UNAUTHORIZED)
        scheme, _, credential = identity[0].partition(" ")
        if _JWT_SHAPE.match(credential.strip() or scheme):
            return _json_response(HTTPStatus.UNAUTHORIZED, UNAUTHORIZED)  # user tokens: never here
        context = event["requestContext"]
        authorizer_event = {
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": (
                f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{self._api_id}/$default/"
                f"{context['http']['method']}{context['http']['path']}"
            ),
            "identitySource": identity[:1],
            **{k: v for k, v in event.items() if k not in ("version", "body", "isBase64Encoded")},
        }
        result = self._invoker.invoke(self._authorizer, authorizer_event)
        if result.failed or not isinstance(result.payload, dict):
            return _json_response(
                HTTPStatus.INTERNAL_SERVER_ERROR, {"message": "Internal Server Error"}
            )
        if result.payload.get("isAuthorized") is not True:
            return _json_response(HTTPStatus.FORBIDDEN, {"message": "Forbidden"})
        context["authorizer"] = {"lambda": dict(result.payload.get("context") or {})}
        return None

    def build_event(
        self,
        method: str,
        path: str,
        query: str,
        header_pairs: list[tuple[str, str]],
        body: bytes,
        source_ip: str,
        request_id: str,
        route_key: str,
        path_parameters: dict[str, str],
    ) -> dict[str, Any]:
        """The API Gateway HTTP API payload v2 event."""
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in header_pairs:
            lower = name.lower()
            if lower == "cookie":
                cookies.extend(c.strip() for c in value.split(";") if c.strip())
                continue
            headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
        headers.setdefault("x-forwarded-for", source_ip)
        headers.setdefault("x-forwarded-proto", "http")
        headers["x-amzn-trace-id"] = f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"
        query_parameters: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            query_parameters[key] = (
                f"{query_parameters[key]},{value}" if key in query_parameters else value
            )
        now = time.time()
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": path,
            "rawQueryString": query,
            "headers": headers,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": self._api_id,
                "domainName": headers.get("host", "127.0.0.1"),
                "domainPrefix": headers.get("host", "127.0.0.1").split(".")[0],
                "http": {
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": source_ip,
                    "userAgent": headers.get("user-agent", ""),
                },
                "requestId": request_id,
                "routeKey": route_key,
                "stage": "$default",
                "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "timeEpoch": int(now * 1000),
            },
            "isBase64Encoded": False,
        }
        if cookies:
            event["cookies"] = cookies
        if query_parameters:
            event["queryStringParameters"] = query_parameters
        if path_parameters:
            event["pathParameters"] = path_parameters
        if body:
            if _TEXT_TYPES.match(headers.get("content-type", "")):
                event["body"] = body.decode("utf-8", errors="replace")
            else:
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
        return event

    @staticmethod
    def to_http(payload: Any) -> HttpResponse:
        """Map the function's answer the way API Gateway does for payload format 2.0."""
        if not isinstance(payload, dict) or "statusCode" not in payload:
            return _json_response(HTTPStatus.OK, payload)
        headers = [(k.lower(), str(v)) for k, v in (payload.get("headers") or {}).items()]
        for name, values in (payload.get("multiValueHeaders") or {}).items():
            headers.extend((name.lower(), str(v)) for v in values)
        headers.extend(("set-cookie", c) for c in payload.get("cookies") or [])
        raw = payload.get("body") or ""
        body = base64.b64decode(raw) if payload.get("isBase64Encoded") else str(raw).encode()
        return HttpResponse(int(payload["statusCode"]), headers, body)


class _GatewayRequestHandler(BaseHTTPRequestHandler):
    server: GatewayServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Request lines are not worth a console line each; the functions log requests."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD_BYTES:
            response = _json_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"message": "Request Entity Too Large"}
            )
            self.close_connection = True
        else:
            body = self.rfile.read(length) if length else b""
            response = self.server.gateway.handle(
                self.command, self.path, list(self.headers.items()), body, self.client_address[0]
            )
        self.send_response(response.status)
        for name, value in response.headers:
            if name not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, gateway: ServiceGateway) -> None:
        super().__init__(("127.0.0.1", port), _GatewayRequestHandler)
        self.gateway = gateway

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve_forever, name=f"gateway-{self.gateway.topology.service}", daemon=True
        )
        thread.start()
        return thread
