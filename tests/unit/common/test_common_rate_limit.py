"""Per-caller budgets on the user APIs (issue 11, "also"): the gate answers 429 with
Retry-After once a user's requests this minute are used up, each user on its own, and every
service with user routes declares the counters' table (so the CDK stacks and the local
runtime create it and pass its name)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from botocore.exceptions import ClientError
from moto import mock_aws

from common.api import create_resolver
from common.rate_limit import (
    DEFAULT_REQUESTS_PER_MINUTE,
    WINDOW_SECONDS,
    DynamoCallerBudget,
    rate_limit_table,
)
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from services.topologies import TOPOLOGIES
from tests.support.http_api import http_api_event
from tests.support.tables import create_table
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(Route(method="GET", path="/v1/meters", auth=AuthKind.USER, function="api"),),
)
NOW = 1_800_000_030.0  # 30 s into a window


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_table(client, "budgets", rate_limit_table())
        yield client


def test_each_caller_has_its_own_budget_per_window(dynamodb: Any) -> None:
    budget = DynamoCallerBudget("budgets", 3, dynamodb)
    assert [budget.take("ann", NOW) for _ in range(4)] == [None, None, None, 30]
    assert budget.take("bob", NOW) is None
    assert budget.take("ann", NOW + WINDOW_SECONDS) is None


def meters_app(tokens: Tokens, budget: DynamoCallerBudget) -> ApiGatewayResolver:
    """A service with one user route, `GET /v1/meters`, behind the gate and `budget`."""
    app = create_resolver(
        TOPOLOGY,
        lambda: ServiceSettings(service_name="example"),
        tokens.verifier,
        caller_budget=lambda: budget,
    )

    @app.get("/v1/meters")
    def meters() -> dict[str, str]:
        return {"ok": "yes"}

    return app


def test_the_gate_answers_429_with_retry_after_past_the_budget(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = Tokens()
    app = meters_app(tokens, DynamoCallerBudget("budgets", 2, dynamodb))

    def call(sub: str) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {tokens.access(sub=sub)}"}
        event = http_api_event("GET", "/v1/meters", "/v1/meters", headers=headers)
        return app.resolve(event, {})  # type: ignore[arg-type]

    assert [call("ann")["statusCode"] for _ in range(2)] == [200, 200]
    refused = call("ann")
    assert refused["statusCode"] == 429
    assert json.loads(refused["body"])["error"] == "rate_limited"
    assert 1 <= int(refused["headers"]["Retry-After"]) <= WINDOW_SECONDS
    assert call("bob")["statusCode"] == 200
    anonymous = http_api_event("GET", "/v1/meters", "/v1/meters")
    assert app.resolve(anonymous, {})["statusCode"] == 401  # type: ignore[arg-type]


def test_every_service_with_user_routes_declares_the_budget_table() -> None:
    for topology in TOPOLOGIES:
        has_users = any(r.auth is AuthKind.USER for r in topology.routes)
        declared = rate_limit_table() in topology.tables
        assert declared == has_users, topology.service


def test_the_default_budget_is_a_sane_figure() -> None:
    assert 60 <= DEFAULT_REQUESTS_PER_MINUTE <= 1200


class ThrottledTable:
    """The counters' table refusing for now (throttled, or DynamoDB having a bad minute)."""

    def update_item(self, **_: Any) -> Any:
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
            "UpdateItem",
        )


def test_a_budget_store_that_refuses_for_now_is_503_with_retry_after_not_500() -> None:
    tokens = Tokens()
    app = meters_app(tokens, DynamoCallerBudget("budgets", 2, ThrottledTable()))

    headers = {"authorization": f"Bearer {tokens.access()}"}
    event = http_api_event("GET", "/v1/meters", "/v1/meters", headers=headers)
    response = app.resolve(event, {})  # type: ignore[arg-type]
    assert response["statusCode"] == 503
    body = json.loads(response["body"])
    assert body["error"] == "unavailable"
    assert "budgets" not in body["message"]
    assert "Throughput" not in body["message"]
    assert int(response["headers"]["Retry-After"]) >= 1
