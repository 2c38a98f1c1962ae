"""CORS on the local HTTP API gateway: the portal's origin only, preflights answered by the
gateway (no function, no authorizer), as an HTTP API with a CORS configuration does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from common.topology import AuthKind, Route
from infra.browser import cors_policy
from infra.local.gateway import ServiceGateway
from infra.local.invoke import InProcessInvoker
from tests.support.gadgets import function_names, gadgets_topology, register, serving

pytestmark = pytest.mark.integration

PORTAL = "http://127.0.0.1:8703"
OTHER = "http://127.0.0.1:9999"
TOPOLOGY = gadgets_topology(
    Route(method="GET", path="/v1/open", auth=AuthKind.PUBLIC, function="echo"),
    Route(method="PUT", path="/v1/mine", auth=AuthKind.USER, function="echo"),
)


@pytest.fixture
def gateway() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    calls: list[dict[str, Any]] = []

    def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(event)
        return {"statusCode": 200, "body": "{}", "headers": {"content-type": "application/json"}}

    invoker = InProcessInvoker()
    register(invoker, "echo", echo)
    register(invoker, "authorize", echo)
    gateway = ServiceGateway(
        TOPOLOGY,
        invoker,
        function_names=function_names(TOPOLOGY),
        verifier=None,
        api_id="gadgets-cors",
        cors=cors_policy(TOPOLOGY, [PORTAL]),
    )
    with serving(gateway) as base_url:
        yield base_url, calls


def preflight(base_url: str, path: str, origin: str, method: str) -> requests.Response:
    return requests.options(
        base_url + path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
        timeout=10,
    )


def test_the_portal_origin_gets_its_preflight_answered_without_a_call_or_token(
    gateway: tuple[str, list[dict[str, Any]]],
) -> None:
    base_url, calls = gateway
    answer = preflight(base_url, "/v1/mine", PORTAL, "PUT")
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == PORTAL
    assert set(answer.headers["access-control-allow-methods"].split(",")) == {"GET", "PUT"}
    allowed = "authorization,content-type,idempotency-key"
    assert answer.headers["access-control-allow-headers"] == allowed
    assert answer.headers["access-control-max-age"] == "7200"
    assert calls == []


def test_other_origins_and_unrouted_methods_get_no_cors_headers(
    gateway: tuple[str, list[dict[str, Any]]],
) -> None:
    base_url, _ = gateway
    for origin, method in [(OTHER, "PUT"), (PORTAL, "DELETE")]:
        answer = preflight(base_url, "/v1/mine", origin, method)
        assert answer.status_code == 204
        assert "access-control-allow-origin" not in answer.headers
    assert (
        "access-control-allow-origin"
        not in requests.get(base_url + "/v1/open", headers={"Origin": OTHER}, timeout=10).headers
    )


def test_answers_to_the_portal_carry_cors_headers_refusals_included(
    gateway: tuple[str, list[dict[str, Any]]],
) -> None:
    base_url, calls = gateway
    ok = requests.get(base_url + "/v1/open", headers={"Origin": PORTAL}, timeout=10)
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == PORTAL
    exposed = ok.headers["access-control-expose-headers"].split(",")
    assert {"apigw-requestid", "retry-after"} <= {name.strip() for name in exposed}
    refused = requests.put(base_url + "/v1/mine", headers={"Origin": PORTAL}, timeout=10)
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == PORTAL
    assert len(calls) == 1
