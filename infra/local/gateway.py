"""The local API Gateway: loopback listeners playing each service's APIs.

- `ServiceGateway`, the HTTP API (payload format 2.0): one listener per service for its
  USER and PUBLIC routes. USER routes need a Cognito JWT valid for the local pool (verified
  against its JWKS, never the token's `iss`); PUBLIC routes pass. With a `CorsPolicy`
  (`infra.browser`, the same one the CDK app configures), preflights are answered by the
  gateway itself, before any route or authorizer, and responses to the allowed origin carry
  the CORS headers, as an HTTP API with a CORS configuration does.
- `IngestGateway`, the REST "ingest API" (payload format 1.0): one more listener per
  service with PUBLISHER routes. Every request runs the service's REQUEST authorizer
  (identity source: `x-api-key`) and the IAM policy it returns is evaluated against the
  method ARN; refusals and failures are answered from `INGEST_GATEWAY_RESPONSES`, the table
  the CDK stack configures as gateway responses (a refused key is 401). With a usage plan
  (`UsagePlanGate`), every route requires an API key taken from the authorizer's
  `usageIdentifierKey`: missing or not in the plan is 403, over the publisher's own token
  bucket is 429, as the REST API with API key source AUTHORIZER answers.

One listener per API, not one listener with a prefix per service: in the cloud every API
has its own base URL and routes start at `/v1/...`, so handlers see the same paths locally
and clients change nothing but the base URL. Authorization happens here exactly as the
cloud gateway does it, before the function runs.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import logging
import re
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from common.jwt import JwtVerifier, TokenRejected, bearer_token
from common.topology import AuthKind, Route, ServiceTopology
from infra.browser import CorsPolicy
from infra.local.invoke import ACCOUNT_ID, REGION, Invoker
from infra.local.loopback import LoopbackServer
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES, REQUEST_ID_VARIABLE

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
INGEST_IDENTITY_HEADER = "x-api-key"
"""Identity source of the ingest API's REQUEST authorizer (`method.request.header.x-api-key`)."""
INGEST_STAGE = "local"

REQUEST_LOG = logging.getLogger("scts.local.requests")
"""One JSON line per request a local API answers, with its request id (the runtime writes
them to `.local/logs/requests.log`): the id an error body quotes leads to its line here and,
as the correlation id, to the function's own log lines."""

_TEXT_TYPES = re.compile(
    r"^(text/|application/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+(json|xml))",
    re.IGNORECASE,
)


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


def new_request_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes[:12]).decode()


def encode_body(body: bytes, content_type: str) -> tuple[str | None, bool]:
    """(event body, isBase64Encoded): text types as text, anything else base64."""
    if not body:
        return None, False
    if _TEXT_TYPES.match(content_type):
        return body.decode("utf-8", errors="replace"), False
    return base64.b64encode(body).decode(), True


def header(headers: Mapping[str, str] | None, name: str, default: str = "") -> str:
    """A header of a payload 1.0 event, whose names keep the client's casing."""
    return next((v for k, v in (headers or {}).items() if k.lower() == name), default)


def trace_id() -> str:
    return f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"


def function_answer(
    status: Any, header_pairs: Iterable[tuple[str, Any]], raw_body: Any, base64_encoded: Any
) -> HttpResponse:
    """An HTTP response from the parts of a Lambda proxy answer (both payload formats)."""
    raw = raw_body or ""
    body = base64.b64decode(raw) if base64_encoded else str(raw).encode()
    return HttpResponse(int(status), [(k.lower(), str(v)) for k, v in header_pairs], body)


@dataclass(frozen=True)
class Request:
    """An HTTP request as a gateway received it (path and query split)."""

    method: str
    path: str
    query: str
    header_pairs: list[tuple[str, str]]
    body: bytes
    source_ip: str
    request_id: str


class Gateway(ABC):
    """One API of one service: the routes it serves, and how a request becomes a response."""

    request_id_header = "apigw-requestid"

    def __init__(
        self,
        topology: ServiceTopology,
        invoker: Invoker,
        routes: Iterable[Route],
        *,
        function_names: Mapping[str, str],
        api_id: str,
    ) -> None:
        self.topology = topology
        self._invoker = invoker
        self._api_id = api_id
        self.routes = [
            GatewayRoute(r, function_names[r.function], compile_path(r.path)) for r in routes
        ]

    @property
    def name(self) -> str:
        return self.topology.service

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
        split = urlsplit(target)
        request_id = new_request_id()
        request = Request(
            method, split.path, split.query, header_pairs, body, source_ip, request_id
        )
        return self.finish(self._respond(request), request_id)

    def refuse_oversized(self) -> HttpResponse:
        """A body over the payload limit, refused before it is read."""
        return self.finish(self.too_large(), new_request_id())

    def finish(self, response: HttpResponse, request_id: str) -> HttpResponse:
        """Name the request in the response, as API Gateway does (header, and the
        `$context.requestId` of a gateway response's template)."""
        if any(name == GATEWAY_ERROR_TYPE for name, _ in response.headers):
            body = response.body.replace(REQUEST_ID_VARIABLE.encode(), request_id.encode())
            response = HttpResponse(response.status, response.headers, body)
        response.headers.append((self.request_id_header, request_id))
        return response

    def _respond(self, request: Request) -> HttpResponse:
        if len(request.body) > MAX_PAYLOAD_BYTES:
            return self.too_large()
        matched = self.match(request.method, request.path)
        if matched is None:
            return self.not_found()
        route, path_parameters = matched
        event = self.build_event(request, route, path_parameters)
        refused = self.authorize(route, event)
        if refused is not None:
            return refused
        result = self._invoker.invoke(route.function_name, event)
        if result.failed:
            return self.function_failed()
        return self.to_http(result.payload)

    @abstractmethod
    def build_event(
        self,
        request: Request,
        route: GatewayRoute,
        path_parameters: dict[str, str],
    ) -> dict[str, Any]:
        """The event the API sends the route's function."""

    @abstractmethod
    def authorize(self, route: GatewayRoute, event: dict[str, Any]) -> HttpResponse | None:
        """The refusal, or None once the event carries what the authorizer found."""

    @abstractmethod
    def to_http(self, payload: Any) -> HttpResponse:
        """The function's answer as the API maps it."""

    def too_large(self) -> HttpResponse:
        return _json_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"message": "Request Entity Too Large"}
        )

    def not_found(self) -> HttpResponse:
        return _json_response(HTTPStatus.NOT_FOUND, {"message": "Not Found"})

    def function_failed(self) -> HttpResponse:
        return _json_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, {"message": "Internal Server Error"}
        )


class ServiceGateway(Gateway):
    """The service's HTTP API: matches, authorizes and turns requests into payload v2 events."""

    def __init__(
        self,
        topology: ServiceTopology,
        invoker: Invoker,
        *,
        function_names: Mapping[str, str],
        verifier: JwtVerifier | None,
        api_id: str,
        cors: CorsPolicy | None = None,
    ) -> None:
        super().__init__(
            topology, invoker, topology.http_routes, function_names=function_names, api_id=api_id
        )
        self._verifier = verifier
        self._cors = cors

    def handle(
        self,
        method: str,
        target: str,
        header_pairs: list[tuple[str, str]],
        body: bytes,
        source_ip: str,
    ) -> HttpResponse:
        """CORS around the API: a preflight (OPTIONS with Origin and
        Access-Control-Request-Method) is answered here with 204, with the CORS headers only
        when the policy allows the origin and method; other answers to an allowed origin get
        the CORS headers added."""
        if self._cors is None:
            return super().handle(method, target, header_pairs, body, source_ip)
        origin = header(dict(header_pairs), "origin") or None
        requested = header(dict(header_pairs), "access-control-request-method")
        if method == "OPTIONS" and origin and requested:
            allowed = self._cors.preflight(origin, requested) or []
            return self.finish(HttpResponse(HTTPStatus.NO_CONTENT, allowed, b""), new_request_id())
        response = super().handle(method, target, header_pairs, body, source_ip)
        response.headers.extend(self._cors.response_headers(origin))
        return response

    def authorize(self, route: GatewayRoute, event: dict[str, Any]) -> HttpResponse | None:
        """USER routes: a Cognito access token of the local pool (the JWT authorizer)."""
        if route.route.auth is not AuthKind.USER:
            return None
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
        return None

    def build_event(
        self,
        request: Request,
        route: GatewayRoute,
        path_parameters: dict[str, str],
    ) -> dict[str, Any]:
        """The API Gateway HTTP API payload v2 event."""
        route_key = route.route_key
        method, path, query, source_ip = (
            request.method,
            request.path,
            request.query,
            request.source_ip,
        )
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in request.header_pairs:
            lower = name.lower()
            if lower == "cookie":
                cookies.extend(c.strip() for c in value.split(";") if c.strip())
                continue
            headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
        headers.setdefault("x-forwarded-for", source_ip)
        headers.setdefault("x-forwarded-proto", "http")
        headers["x-amzn-trace-id"] = trace_id()
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
                "requestId": request.request_id,
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
        event["body"], event["isBase64Encoded"] = encode_body(
            request.body, headers.get("content-type", "")
        )
        if event["body"] is None:
            del event["body"]
        return event

    def to_http(self, payload: Any) -> HttpResponse:
        """Map the function's answer the way API Gateway does for payload format 2.0."""
        if not isinstance(payload, dict) or "statusCode" not in payload:
            return _json_response(HTTPStatus.OK, payload)
        headers = list((payload.get("headers") or {}).items())
        for name, values in (payload.get("multiValueHeaders") or {}).items():
            headers.extend((name, v) for v in values)
        headers.extend(("set-cookie", c) for c in payload.get("cookies") or [])
        return function_answer(
            payload["statusCode"], headers, payload.get("body"), payload.get("isBase64Encoded")
        )


GATEWAY_ERROR_TYPE = "x-amzn-errortype"


def gateway_response(response_type: str) -> HttpResponse:
    """What the ingest API answers itself for an API Gateway response type (its body is the
    template; `handle` fills in the request id as API Gateway does)."""
    configured = INGEST_GATEWAY_RESPONSES[response_type]
    return HttpResponse(
        configured.status,
        [
            ("content-type", "application/json"),
            (GATEWAY_ERROR_TYPE, response_type),
            *configured.headers.items(),
        ],
        configured.template().encode(),
    )


def _matches(patterns: Any, value: str) -> bool:
    """IAM matching of one action/resource: `*` any run of characters, `?` one character."""
    candidates = [patterns] if isinstance(patterns, str) else list(patterns or [])
    return any(
        isinstance(p, str) and fnmatch.fnmatchcase(value, p.replace("[", "[[]")) for p in candidates
    )


def policy_allows(policy: Any, method_arn: str) -> bool:
    """Whether an authorizer's IAM policy lets the call through: an Allow statement must
    cover `execute-api:Invoke` on the method ARN, and any matching explicit Deny wins."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        raise ValueError("policyDocument has no Statement")
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            raise ValueError(f"malformed statement {statement!r}")
        if not _matches(statement.get("Action"), "execute-api:Invoke"):
            continue
        if not _matches(statement.get("Resource"), method_arn):
            continue
        if statement["Effect"] == "Deny":
            return False
        allowed = True
    return allowed


def _context_value(value: Any) -> Any:
    """Authorizer context values reach the function as API Gateway passes them (strings;
    booleans lower-case); anything but a string, number or boolean fails the authorizer."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"authorizer context values must be scalars, not {type(value).__name__}")


@dataclass
class _Bucket:
    tokens: float
    refilled_at: float


class UsagePlanGate:
    """A usage plan's check of one request, as API Gateway makes it after the authorizer:
    the key must exist (moto's API keys), be enabled and be in the plan; then the key's own
    token bucket (plan rate per second, plan burst deep) must hold a token.

    The plan's keys are cached for `cache_seconds` (API Gateway caches them too); a key not
    in the cache triggers a refresh at once, so a just-registered publisher works at once.
    """

    def __init__(
        self,
        apigateway: Any,
        usage_plan_id: str,
        *,
        rate_limit: float,
        burst_limit: int,
        cache_seconds: float = 5.0,
        clock: Any = time.monotonic,
    ) -> None:
        self._apigateway = apigateway
        self._plan = usage_plan_id
        self._rate = rate_limit
        self._burst = burst_limit
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._valid: frozenset[str] = frozenset()
        self._loaded_at: float | None = None
        self._buckets: dict[str, _Bucket] = {}

    def _load(self) -> frozenset[str]:
        """Values of the enabled API keys in the plan."""
        in_plan: set[str] = set()
        for page in self._apigateway.get_paginator("get_usage_plan_keys").paginate(
            usagePlanId=self._plan
        ):
            in_plan.update(item["id"] for item in page.get("items", []))
        valid: set[str] = set()
        for page in self._apigateway.get_paginator("get_api_keys").paginate(includeValues=True):
            for key in page.get("items", []):
                if key["id"] in in_plan and key.get("enabled") and key.get("value"):
                    valid.add(key["value"])
        return frozenset(valid)

    def _known(self, usage_key: str, now: float) -> bool:
        fresh = self._loaded_at is not None and now - self._loaded_at < self._cache_seconds
        if fresh and usage_key in self._valid:
            return True
        self._valid, self._loaded_at = self._load(), now
        return usage_key in self._valid

    def admit(self, usage_key: Any) -> str | None:
        """None when the request may pass, else the gateway response type refusing it."""
        if not isinstance(usage_key, str) or not usage_key:
            return "INVALID_API_KEY"
        with self._lock:
            now = self._clock()
            if not self._known(usage_key, now):
                return "INVALID_API_KEY"
            bucket = self._buckets.setdefault(usage_key, _Bucket(float(self._burst), now))
            bucket.tokens = min(
                float(self._burst), bucket.tokens + (now - bucket.refilled_at) * self._rate
            )
            bucket.refilled_at = now
            if bucket.tokens < 1:
                return "THROTTLED"
            bucket.tokens -= 1
            return None


class IngestGateway(Gateway):
    """The service's REST ingest API: REQUEST authorizer + IAM policy, payload v1 events."""

    request_id_header = "x-amzn-requestid"

    def __init__(
        self,
        topology: ServiceTopology,
        invoker: Invoker,
        *,
        function_names: Mapping[str, str],
        api_id: str,
        stage: str = INGEST_STAGE,
        usage_plan: UsagePlanGate | None = None,
    ) -> None:
        if topology.publisher_authorizer is None:
            raise ValueError(f"{topology.service}: an ingest API needs a publisher_authorizer")
        super().__init__(
            topology,
            invoker,
            topology.ingest_routes,
            function_names=function_names,
            api_id=api_id,
        )
        if (topology.publisher_usage_plan is None) != (usage_plan is None):
            raise ValueError(
                f"{topology.service}: pass a UsagePlanGate exactly when the topology declares "
                "a publisher usage plan"
            )
        self._authorizer = function_names[topology.publisher_authorizer]
        self._stage = stage
        self._usage_plan = usage_plan

    @property
    def name(self) -> str:
        return f"{self.topology.service}-ingest"

    def too_large(self) -> HttpResponse:
        return gateway_response("REQUEST_TOO_LARGE")

    def method_arn(self, method: str, path: str) -> str:
        return (
            f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{self._api_id}/{self._stage}/{method}{path}"
        )

    def not_found(self) -> HttpResponse:
        return gateway_response("MISSING_AUTHENTICATION_TOKEN")

    def function_failed(self) -> HttpResponse:
        return _json_response(HTTPStatus.BAD_GATEWAY, {"message": "Internal server error"})

    def authorize(self, route: GatewayRoute, event: dict[str, Any]) -> HttpResponse | None:
        """Run the REQUEST authorizer; the refusal, or None with the authorizer's principal
        and context put into `requestContext.authorizer` (as API Gateway passes them)."""
        if not header(event["headers"], INGEST_IDENTITY_HEADER):
            return gateway_response("UNAUTHORIZED")  # identity source missing: no call
        context = event["requestContext"]
        method_arn = self.method_arn(event["httpMethod"], event["path"])
        authorizer_event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            **{
                k: event[k]
                for k in (
                    "resource",
                    "path",
                    "httpMethod",
                    "headers",
                    "multiValueHeaders",
                    "queryStringParameters",
                    "multiValueQueryStringParameters",
                    "pathParameters",
                    "stageVariables",
                )
            },
            "requestContext": {k: v for k, v in context.items() if k != "authorizer"},
        }
        result = self._invoker.invoke(self._authorizer, authorizer_event)
        answer = result.payload
        try:
            if result.failed or not isinstance(answer, dict):
                raise ValueError("the authorizer failed")
            principal = answer["principalId"]
            if not isinstance(principal, str):
                raise ValueError("principalId must be a string")
            allowed = policy_allows(answer["policyDocument"], method_arn)
            passed = {k: _context_value(v) for k, v in (answer.get("context") or {}).items()}
        except (KeyError, ValueError):
            return gateway_response("AUTHORIZER_FAILURE")
        if not allowed:
            return gateway_response("ACCESS_DENIED")
        if self._usage_plan is not None:
            refused = self._usage_plan.admit(answer.get("usageIdentifierKey"))
            if refused is not None:
                return gateway_response(refused)
        context["authorizer"] = {"principalId": principal, **passed}
        return None

    def build_event(
        self,
        request: Request,
        route: GatewayRoute,
        path_parameters: dict[str, str],
    ) -> dict[str, Any]:
        """The API Gateway REST API proxy event (payload format 1.0): header names as sent,
        the last value in `headers`, all of them in `multiValueHeaders` (queries alike)."""
        method, path, request_id = request.method, request.path, request.request_id
        sent = [
            *request.header_pairs,
            ("X-Forwarded-For", request.source_ip),
            ("X-Forwarded-Proto", "http"),
            ("X-Amzn-Trace-Id", trace_id()),
        ]
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for name, value in sent:
            name = names.setdefault(name.lower(), name)
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query_parameters: dict[str, str] = {}
        multi_query: dict[str, list[str]] = {}
        for key, value in parse_qsl(request.query, keep_blank_values=True):
            query_parameters[key] = value
            multi_query.setdefault(key, []).append(value)
        encoded, base64_encoded = encode_body(request.body, header(headers, "content-type"))
        now = time.time()
        host = header(headers, "host", "127.0.0.1")
        resource = route.route.path
        return {
            "resource": resource,
            "path": path,
            "httpMethod": method,
            "headers": headers,
            "multiValueHeaders": multi_headers,
            "queryStringParameters": query_parameters or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": self._api_id,
                "domainName": host,
                "domainPrefix": host.split(".")[0],
                "extendedRequestId": request_id,
                "httpMethod": method,
                "identity": {
                    "sourceIp": request.source_ip,
                    "userAgent": header(headers, "user-agent"),
                },
                "path": path,
                "protocol": "HTTP/1.1",
                "requestId": request_id,
                "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "requestTimeEpoch": int(now * 1000),
                "resourceId": resource,
                "resourcePath": resource,
                "stage": self._stage,
            },
            "body": encoded,
            "isBase64Encoded": base64_encoded,
        }

    def to_http(self, payload: Any) -> HttpResponse:
        """Map the function's answer the way a REST API's proxy integration does: anything
        but a proxy answer is a 502; `multiValueHeaders` win over `headers` of the same name."""
        if not isinstance(payload, dict) or "statusCode" not in payload:
            return _json_response(HTTPStatus.BAD_GATEWAY, {"message": "Internal server error"})
        multi = payload.get("multiValueHeaders") or {}
        repeated = {name.lower() for name in multi}
        headers = [(n, v) for n, values in multi.items() for v in values]
        headers += [
            (n, v) for n, v in (payload.get("headers") or {}).items() if n.lower() not in repeated
        ]
        return function_answer(
            payload["statusCode"], headers, payload.get("body"), payload.get("isBase64Encoded")
        )


class _GatewayRequestHandler(BaseHTTPRequestHandler):
    server: GatewayServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """http.server's own lines carry no request id: `REQUEST_LOG` has one line per request."""

    def _dispatch(self) -> None:
        started = time.monotonic()
        response = self._answer()
        gateway = self.server.gateway
        record = {
            "api": gateway.name,
            "request_id": header(dict(response.headers), gateway.request_id_header),
            "method": self.command,
            "path": urlsplit(self.path).path,
            "status": response.status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        # Logged before the answer leaves, so whoever got the answer finds its line.
        REQUEST_LOG.info(json.dumps(record))
        self.send_response(response.status)
        for name, value in response.headers:
            if name not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _answer(self) -> HttpResponse:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD_BYTES:
            response = self.server.gateway.refuse_oversized()
            self.close_connection = True
        else:
            body = self.rfile.read(length) if length else b""
            response = self.server.gateway.handle(
                self.command, self.path, list(self.headers.items()), body, self.client_address[0]
            )
        return response

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch


class GatewayServer(LoopbackServer):
    def __init__(self, port: int, gateway: Gateway) -> None:
        super().__init__(port, _GatewayRequestHandler)
        self.gateway = gateway
        self.thread_name = f"gateway-{gateway.name}"
