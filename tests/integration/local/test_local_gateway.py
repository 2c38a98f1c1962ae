"""The local HTTP API gateway with a test-only topology: payload v2 events, the JWT
authorizer, response mapping (handlers run in-process). The ingest (REST) API's gateway is
tested in test_local_ingest_gateway.py."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from common.jwt import JwtVerifier
from common.topology import AuthKind, Route
from infra.local.aws import client
from infra.local.cognito import (
    ADMINS_GROUP,
    create_user,
    create_user_pool,
    login,
    strong_password,
)
from infra.local.gateway import REQUEST_LOG, ServiceGateway
from infra.local.invoke import InProcessInvoker
from tests.support.gadgets import function_names, gadgets_topology, register, serving

pytestmark = pytest.mark.integration

GOOD_KEY = "scts_pub_" + "k" * 24
TOPOLOGY = gadgets_topology(
    Route(method="GET", path="/v1/open/{item_id}", auth=AuthKind.PUBLIC, function="echo"),
    Route(method="POST", path="/v1/open/{item_id}", auth=AuthKind.PUBLIC, function="echo"),
    Route(method="GET", path="/v1/mine", auth=AuthKind.USER, function="echo"),
    Route(method="POST", path="/v1/ingest", auth=AuthKind.PUBLISHER, function="ingest"),
)


class Recorder:
    def __init__(self) -> None:
        self.echo_events: list[dict[str, Any]] = []
        self.authorizer_events: list[dict[str, Any]] = []

    def echo(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.echo_events.append(event)
        return {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-Echo": "yes"},
            "cookies": ["seen=1; HttpOnly"],
            "body": base64.b64encode(json.dumps({"ok": True}).encode()).decode(),
            "isBase64Encoded": True,
        }

    def authorize(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """The publisher authorizer: the HTTP API must never call it."""
        self.authorizer_events.append(event)
        return {}


@pytest.fixture(scope="module")
def pool_and_user(moto_url: str) -> dict[str, Any]:
    cognito = client("cognito-idp", moto_url)
    pool = create_user_pool(cognito, moto_url)
    password = strong_password()
    username = "someone@scts.local"
    create_user(cognito, pool, username, password, groups=(ADMINS_GROUP,))
    tokens = login(cognito, pool, username, password)
    return {"pool": pool, "tokens": tokens}


@pytest.fixture
def gateway(pool_and_user: dict[str, Any]) -> Iterator[tuple[str, Recorder]]:
    pool = pool_and_user["pool"]
    recorder = Recorder()
    invoker = InProcessInvoker()
    register(invoker, "echo", recorder.echo)
    register(invoker, "authorize", recorder.authorize)
    gateway = ServiceGateway(
        TOPOLOGY,
        invoker,
        function_names=function_names(TOPOLOGY),
        verifier=JwtVerifier(pool.issuer, frozenset({pool.client_id}), pool.jwks_url),
        api_id="gadgets-test",
    )
    with serving(gateway) as base_url:
        yield base_url, recorder


def test_public_route_gets_a_payload_v2_event(gateway: tuple[str, Recorder]) -> None:
    base_url, recorder = gateway
    answer = requests.post(
        base_url + "/v1/open/abc?x=1&x=2&y=",
        data=b"\x00\x01binary",
        headers={"Content-Type": "application/octet-stream", "X-Custom": "v", "Cookie": "a=1; b=2"},
        timeout=10,
    )
    assert answer.status_code == 201
    assert answer.json() == {"ok": True}
    assert answer.headers["x-echo"] == "yes"
    assert answer.headers["set-cookie"] == "seen=1; HttpOnly"
    (event,) = recorder.echo_events
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /v1/open/{item_id}"
    assert event["rawPath"] == "/v1/open/abc"
    assert event["rawQueryString"] == "x=1&x=2&y="
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["pathParameters"] == {"item_id": "abc"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["headers"]["x-custom"] == "v"
    assert "cookie" not in event["headers"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01binary"
    context = event["requestContext"]
    assert context["http"]["method"] == "POST"
    assert context["http"]["sourceIp"] == "127.0.0.1"
    assert context["routeKey"] == event["routeKey"]
    assert context["requestId"] == answer.headers["apigw-requestid"]
    assert isinstance(context["timeEpoch"], int)


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(json.loads(record.getMessage()))


def test_every_request_is_logged_with_its_request_id(gateway: tuple[str, Recorder]) -> None:
    base_url, _ = gateway
    lines = Lines()
    REQUEST_LOG.addHandler(lines)
    REQUEST_LOG.setLevel(logging.INFO)
    try:
        found = requests.get(base_url + "/v1/open/abc?secret=1", timeout=10)
        missing = requests.delete(base_url + "/v1/nothing", timeout=10)
        refused = requests.get(base_url + "/v1/mine", timeout=10)
    finally:
        REQUEST_LOG.removeHandler(lines)

    for record in lines.records:
        assert set(record) == {"api", "request_id", "method", "path", "status", "duration_ms"}
        assert record["api"] == TOPOLOGY.service
    assert [(r["request_id"], r["method"], r["path"], r["status"]) for r in lines.records] == [
        (found.headers["apigw-requestid"], "GET", "/v1/open/abc", 201),
        (missing.headers["apigw-requestid"], "DELETE", "/v1/nothing", 404),
        (refused.headers["apigw-requestid"], "GET", "/v1/mine", 401),
    ]
    assert len({r["request_id"] for r in lines.records}) == 3


def test_unknown_routes_and_methods_are_404(gateway: tuple[str, Recorder]) -> None:
    base_url, recorder = gateway
    for method, path in (("GET", "/v1/nothing"), ("DELETE", "/v1/open/abc"), ("GET", "/v1/open")):
        answer = requests.request(method, base_url + path, timeout=10)
        assert answer.status_code == 404
        assert answer.json() == {"message": "Not Found"}
    assert recorder.echo_events == []


def test_oversized_payload_is_413(gateway: tuple[str, Recorder]) -> None:
    base_url, recorder = gateway
    answer = requests.post(
        base_url + "/v1/open/abc", data=b"x" * (10 * 1024 * 1024 + 1), timeout=30
    )
    assert answer.status_code == 413
    assert recorder.echo_events == []


def test_user_route_checks_the_jwt_before_the_function(
    gateway: tuple[str, Recorder], pool_and_user: dict[str, Any]
) -> None:
    base_url, recorder = gateway
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        answer = requests.get(base_url + "/v1/mine", headers=headers, timeout=10)
        assert answer.status_code == 401
        assert answer.json() == {"message": "Unauthorized"}
    assert recorder.echo_events == []
    token = pool_and_user["tokens"]["AccessToken"]
    answer = requests.get(
        base_url + "/v1/mine", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert answer.status_code == 201
    claims = recorder.echo_events[0]["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["token_use"] == "access"
    assert claims["client_id"] == pool_and_user["pool"].client_id
    assert claims["cognito:groups"] == f"[{ADMINS_GROUP}]"


def test_publisher_routes_are_not_on_the_http_api(gateway: tuple[str, Recorder]) -> None:
    """They belong to the ingest (REST) API: its own listener, its own base URL."""
    base_url, recorder = gateway
    answer = requests.post(
        base_url + "/v1/ingest", json={}, headers={"X-Api-Key": GOOD_KEY}, timeout=10
    )
    assert answer.status_code == 404
    assert recorder.authorizer_events == []
    assert recorder.echo_events == []
