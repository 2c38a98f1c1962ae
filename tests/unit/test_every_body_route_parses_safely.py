"""Every route that takes a body, on every service (walked from the topologies, so a new
route cannot skip it), answers hostile bodies the same way through the shared mechanism
(`common.gate` + `common.json_safety` + `common.api_errors`), before any logic runs:

- a body nested 1,000 levels deep, or carrying a 5,000-digit integer: 400 `invalid_json`
  (issue 11 #4: they were 500s);
- text/plain, form-encoded or no content type: 415 (issue 11 #8: one rule everywhere);
- a 1.5 MB invalid value, or a 1.5 MB unknown field name: 422 whose body reflects at most
  a bounded excerpt (issue 11 #10).

Publisher routes (ingest, API-key authenticated) are walked by
`tests/integration/provisioning/test_provisioning_openapi_responses.py`.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from common.gate import BODY_METHODS, RequestGate
from common.topology import JSON_MEDIA_TYPE, AuthKind, Route, ServiceTopology
from services.topologies import TOPOLOGIES
from tests.support.http_api import http_api_event
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.unit

HUGE = 1_500_000
MAX_ERROR_BYTES = 20_000


class FakeContext:
    function_name = "scts-test-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:scts-test-api"
    aws_request_id = "req-1"


def _body_routes() -> Iterator[Any]:
    for topology in TOPOLOGIES:
        for route in topology.routes:
            if route.method in BODY_METHODS and route.auth is not AuthKind.PUBLISHER:
                yield pytest.param(
                    topology, route, id=f"{topology.service}:{route.method} {route.path}"
                )


BODY_ROUTES = list(_body_routes())
JSON_BODY_ROUTES = [p for p in BODY_ROUTES if JSON_MEDIA_TYPE in p.values[1].media_types]
"""Routes that take JSON (RFC 8058's one-click unsubscribe takes a form only)."""
NOT_TAKEN = [
    pytest.param(*p.values, content_type, id=f"{p.id}-{content_type}")
    for p in BODY_ROUTES
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None)
    if content_type not in p.values[1].media_types
]


def _handler_module(topology: ServiceTopology, route: Route) -> Any:
    function = next(f for f in topology.functions if f.name == route.function)
    return importlib.import_module(function.handler.rsplit(".", 1)[0])


@pytest.fixture(scope="module")
def tokens() -> Tokens:
    return Tokens()


def call(
    topology: ServiceTopology,
    route: Route,
    tokens: Tokens,
    monkeypatch: pytest.MonkeyPatch,
    body: str,
    content_type: str | None = "application/json",
) -> tuple[int, dict[str, Any], int]:
    """Through the service's real Lambda handler, the caller authenticated (user routes)."""
    module = _handler_module(topology, route)
    app = cast(ApiGatewayResolver, module.app)
    gate = app._request_validation_middleware
    assert isinstance(gate, RequestGate)
    monkeypatch.setattr(gate, "_verifier", tokens.verifier)
    monkeypatch.setattr(gate, "_caller_budget", None)  # budgets: test_common_rate_limit.py
    path = re.sub(r"\{[^}]+\}", "x", route.path)
    headers = {"authorization": f"Bearer {tokens.access()}"}
    if content_type is not None:
        headers["content-type"] = content_type
    event = http_api_event(route.method, route.path, path, headers=headers, body=body)
    params = re.findall(r"\{([^}]+)\}", route.path)
    event["pathParameters"] = dict.fromkeys(params, "x") or None
    answer = module.handler(event, cast(LambdaContext, FakeContext()))
    raw = answer.get("body") or "{}"
    return answer["statusCode"], json.loads(raw), len(raw)


def _body_fields(topology: ServiceTopology, route: Route) -> list[str]:
    app = cast(ApiGatewayResolver, _handler_module(topology, route).app)
    for found in app._static_routes + app._dynamic_routes:
        if found.method == route.method and found.openapi_path == route.path:
            for param in found.dependant.body_params:
                model = getattr(param.field_info, "annotation", None)
                if isinstance(model, type) and issubclass(model, BaseModel):
                    return list(model.model_fields)
    return []


def test_the_walk_finds_the_body_routes_of_every_service_with_them() -> None:
    services = {p.values[0].service for p in BODY_ROUTES}
    assert {"identity", "portfolio", "provisioning"} <= services


@pytest.mark.parametrize(("topology", "route"), JSON_BODY_ROUTES)
@pytest.mark.parametrize(
    "raw",
    [
        "[" * 1000 + "]" * 1000,
        '{"value": ' + "9" * 5000 + "}",
        '{"value": 1e99999999}',
        '{"a": 1',
        '{"a": NaN}',
    ],
    ids=["deep", "huge-int", "huge-exponent", "truncated", "nan"],
)
def test_malformed_json_is_400(
    topology: ServiceTopology,
    route: Route,
    raw: str,
    tokens: Tokens,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status, body, _ = call(topology, route, tokens, monkeypatch, raw)
    assert (status, body.get("error")) == (400, "invalid_json"), body


@pytest.mark.parametrize(("topology", "route", "content_type"), NOT_TAKEN)
def test_a_body_of_a_type_the_route_does_not_take_is_415(
    topology: ServiceTopology,
    route: Route,
    content_type: str | None,
    tokens: Tokens,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status, body, _ = call(topology, route, tokens, monkeypatch, '{"a": 1}', content_type)
    assert (status, body.get("error")) == (415, "unsupported_media_type"), body


MODEL_ROUTES = [p for p in BODY_ROUTES if _body_fields(*p.values)]


@pytest.mark.parametrize(("topology", "route"), MODEL_ROUTES)
def test_a_huge_invalid_value_is_not_echoed(
    topology: ServiceTopology, route: Route, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = "=" * HUGE
    values: dict[str, Any] = dict.fromkeys(_body_fields(topology, route), huge)
    for body in ({**values, huge: 1}, [huge]):
        status, answer, size = call(topology, route, tokens, monkeypatch, json.dumps(body))
        assert 400 <= status < 500, answer
        assert size < MAX_ERROR_BYTES, (status, answer.get("error"), size)
