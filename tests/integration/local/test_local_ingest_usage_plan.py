"""The local ingest API's usage plan (API key source AUTHORIZER): the authorizer's
`usageIdentifierKey` must be an enabled API key of the plan (else 403), and each key has
its own token bucket (plan rate/burst; 429 when empty). Keys and plan live in moto."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from common.topology import AuthKind, Route, UsagePlan
from infra.local.gateway import IngestGateway, UsagePlanGate
from infra.local.invoke import InProcessInvoker
from infra.local.resources import (
    INGEST_GATEWAY_RESPONSES,
    create_usage_plan_request,
    provision,
    usage_plan_environment,
)
from tests.support.gadgets import function_names, gadgets_topology, register

pytestmark = pytest.mark.integration

REGION = "eu-west-1"
API_ID = "gadgets-ingest-test"
RATE, BURST = 2, 4
TOPOLOGY = gadgets_topology(
    Route(method="GET", path="/v1/open", auth=AuthKind.PUBLIC, function="admin"),
    Route(method="POST", path="/v1/things", auth=AuthKind.PUBLISHER, function="ingest"),
    usage_plan=UsagePlan(rate_limit=RATE, burst_limit=BURST, key_managers=("admin",)),
)
NAMES = function_names(TOPOLOGY)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Plan:
    """The moto usage plan, the keys made for it, and a gateway in front of a fake function."""

    def __init__(self) -> None:
        self.apigateway = boto3.client("apigateway", region_name=REGION)
        self.plan_id = self.apigateway.create_usage_plan(
            **create_usage_plan_request(TOPOLOGY, "test")
        )["id"]
        self.clock = Clock()
        self.calls = 0
        invoker = InProcessInvoker()
        register(invoker, "ingest", self._ingest)
        register(invoker, "authorize", self._authorize)
        self.gateway = IngestGateway(
            TOPOLOGY,
            invoker,
            function_names=NAMES,
            api_id=API_ID,
            usage_plan=UsagePlanGate(
                self.apigateway,
                self.plan_id,
                rate_limit=RATE,
                burst_limit=BURST,
                clock=self.clock,
            ),
        )

    def key(self, name: str, *, in_plan: bool = True, enabled: bool = True) -> str:
        created = self.apigateway.create_api_key(
            name=name, enabled=enabled, generateDistinctId=True
        )
        if in_plan:
            self.apigateway.create_usage_plan_key(
                usagePlanId=self.plan_id, keyId=created["id"], keyType="API_KEY"
            )
        return str(created["value"])

    def _ingest(self, event: dict[str, Any], context: Any) -> Any:
        self.calls += 1
        return {"statusCode": 200, "body": "{}"}

    def _authorize(self, event: dict[str, Any], context: Any) -> Any:
        """Allows the called method; the x-api-key header doubles as the usage key here."""
        usage_key = event["headers"]["x-api-key"]
        answer: dict[str, Any] = {
            "principalId": "pub",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Action": "execute-api:Invoke",
                        "Effect": "Allow",
                        "Resource": [event["methodArn"]],
                    }
                ],
            },
        }
        if usage_key != "none":
            answer["usageIdentifierKey"] = usage_key
        return answer

    def post(self, usage_key: str) -> int:
        response = self.gateway.handle(
            "POST", "/v1/things", [("x-api-key", usage_key)], b"{}", "192.0.2.1"
        )
        return response.status


@pytest.fixture
def plan(monkeypatch: pytest.MonkeyPatch) -> Iterator[Plan]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield Plan()


THROTTLED = INGEST_GATEWAY_RESPONSES["THROTTLED"].status
FORBIDDEN = INGEST_GATEWAY_RESPONSES["INVALID_API_KEY"].status


def test_one_publisher_is_throttled_after_its_burst_while_another_is_not(plan: Plan) -> None:
    busy, quiet = plan.key("pub-busy"), plan.key("pub-quiet")
    assert [plan.post(busy) for _ in range(BURST + 1)] == [200] * BURST + [THROTTLED]
    assert plan.post(quiet) == 200
    assert plan.calls == BURST + 1
    plan.clock.now += 1.0  # one second refills `RATE` tokens
    assert [plan.post(busy) for _ in range(RATE + 1)] == [200] * RATE + [THROTTLED]


def test_a_key_created_after_the_first_request_works_at_once(plan: Plan) -> None:
    assert plan.post(plan.key("pub-first")) == 200
    assert plan.post(plan.key("pub-second")) == 200


@pytest.mark.parametrize("case", ["unknown", "missing", "not_in_plan", "disabled"])
def test_a_usage_key_the_plan_does_not_hold_is_forbidden(plan: Plan, case: str) -> None:
    plan.key("pub-real")
    usage_key = {
        "unknown": "no-such-usage-key-0123456789",
        "missing": "none",
        "not_in_plan": plan.key("pub-stray", in_plan=False),
        "disabled": plan.key("pub-disabled", enabled=False),
    }[case]
    assert plan.post(usage_key) == FORBIDDEN
    assert plan.calls == 0


def test_the_gateway_needs_a_usage_plan_gate_exactly_when_the_topology_declares_one() -> None:
    with pytest.raises(ValueError, match="UsagePlanGate"):
        IngestGateway(TOPOLOGY, InProcessInvoker(), function_names=NAMES, api_id=API_ID)


def test_provision_creates_the_plan_with_the_declared_throttle(plan: Plan) -> None:
    clients = {
        name: boto3.client(name, region_name=REGION)
        for name in ("dynamodb", "s3", "sqs", "events", "secretsmanager", "apigateway")
    }
    provisioned = provision([TOPOLOGY], "prov", clients)
    plan_id = provisioned.usage_plan_ids["gadgets"]
    created = clients["apigateway"].get_usage_plan(usagePlanId=plan_id)
    assert created["throttle"] == {"rateLimit": RATE, "burstLimit": BURST}
    assert usage_plan_environment(TOPOLOGY, "admin", plan_id) == {
        "SCTS_INGEST_USAGE_PLAN_ID": plan_id
    }
    assert usage_plan_environment(TOPOLOGY, "ingest", plan_id) == {}
