"""Portfolio against moto in-process: tables from the topology, events through the real
consumer handlers (SQS batches of EventBridge events), requests through the API handler."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import boto3
import jwt
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws

import common.access_handler as access
from contracts.envelope import EventEnvelope
from contracts.events import identity as id_events
from services.portfolio import dependencies
from services.portfolio.handlers import api, projector
from services.portfolio.topology import CURSOR_SIGNING_KEY, TOPOLOGY
from tests.support.http_api import http_api_event
from tests.support.tables import create_table
from tests.unit.common.jwt_tokens import CLIENT_ID, ISSUER, Tokens

REGION = "eu-west-1"
TABLES = {
    "read-model": "scts-test-portfolio-read-model",
    "usage": "scts-test-portfolio-usage",
    "access": "scts-test-portfolio-access",
    "rate-limits": "scts-test-portfolio-rate-limits",
}

ADMIN = sorted(
    f"{a}:{x}"
    for a in (
        "portfolio",
        "trades",
        "documents",
        "billing",
        "usage_targets",
        "users",
        "notifications",
    )
    for x in ("read", "manage")
)
VIEWER = sorted(
    f"{a}:read"
    for a in ("portfolio", "trades", "documents", "billing", "usage_targets", "notifications")
)
FINANCE = ["billing:manage", "billing:read"]


class FakeContext:
    function_name = "scts-test-portfolio"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:scts-test-portfolio"
    aws_request_id = "req-1"


CONTEXT = cast(LambdaContext, FakeContext())


def sqs_event(envelopes: list[EventEnvelope[Any]]) -> dict[str, Any]:
    records = []
    for envelope in envelopes:
        body = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": envelope.detail_type,
            "source": envelope.source,
            "time": envelope.occurred_at.isoformat(),
            "region": REGION,
            "resources": [],
            "detail": json.loads(envelope.model_dump_json()),
        }
        records.append(
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "rh",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "0",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "0",
                },
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:scts-test-portfolio-events",
                "awsRegion": REGION,
            }
        )
    return {"Records": records}


@dataclass
class Portfolio:
    tokens: Tokens
    client: Any
    sequence: dict[str, int] = field(default_factory=dict)

    def publish(self, *envelopes: EventEnvelope[Any]) -> dict[str, Any]:
        result: dict[str, Any] = projector.handler(sqs_event(list(envelopes)), CONTEXT)
        assert result == {"batchItemFailures": []}, result
        return result

    def _identity(self, event_type: Any, data_type: Any, account_id: str, **fields: Any) -> None:
        self.sequence[account_id] = self.sequence.get(account_id, 0) + 1
        data = data_type(account_id=account_id, sequence=self.sequence[account_id], **fields)
        envelope = event_type.new(data, account_id=account_id, correlation_id="test")
        result = access.handler(sqs_event([envelope]), CONTEXT)
        assert result == {"batchItemFailures": []}, result

    def create_account(self, account_id: str) -> None:
        self._identity(
            id_events.ACCOUNT_CREATED,
            id_events.AccountCreatedData,
            account_id,
            name=account_id,
            created_by="cam",
        )

    def grant(self, account_id: str, subject: str, role: str, permissions: list[str]) -> None:
        self._identity(
            id_events.ACCESS_GRANTED, id_events.AccessGrantedData, account_id,
            subject=subject, email=f"{subject}@example.com", role=role, permissions=permissions,
        )  # fmt: skip

    def revoke(self, account_id: str, subject: str) -> None:
        self._identity(
            id_events.ACCESS_REVOKED, id_events.AccessRevokedData, account_id, subject=subject
        )

    def assign_cam(self, account_id: str, subject: str) -> None:
        self._identity(
            id_events.CAM_ASSIGNED, id_events.CamAssignedData, account_id, subject=subject
        )

    def unassign_cam(self, account_id: str, subject: str) -> None:
        self._identity(
            id_events.CAM_UNASSIGNED, id_events.CamUnassignedData, account_id, subject=subject
        )

    def call(
        self,
        method: str,
        template: str,
        subject: str | None,
        query: dict[str, str] | None = None,
        /,
        *,
        body: Any = None,
        content_type: str = "application/json",
        **params: str,
    ) -> tuple[int, Any, dict[str, str]]:
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, path
        headers = {"content-type": content_type}
        if subject:
            token = self.tokens.sign(self.tokens.claims("access", sub=subject, username=subject))
            headers["authorization"] = f"Bearer {token}"
        event = http_api_event(
            method,
            template,
            path,
            headers=headers,
            body=body,
            query=query,
            path_parameters=params or None,
        )
        response = api.handler(event, CONTEXT)
        answered_type = response.get("headers", {}).get("Content-Type", "")
        raw = response.get("body") or ""
        parsed = json.loads(raw) if raw and "json" in answered_type else raw
        return response["statusCode"], parsed, response.get("headers", {})


def clear_caches() -> None:
    """Forget what the providers built (clients and settings of the previous environment)."""
    for built in (
        dependencies.settings,
        dependencies.dynamodb,
        dependencies.read_model,
        dependencies.usage_store,
        dependencies.projection_store,
        dependencies.access_source,
        dependencies.guard,
        dependencies.signer,
        access.settings,
        access.projection,
    ):
        built.reset()


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


@contextmanager
def running_portfolio(tokens: Tokens) -> Iterator[Portfolio]:
    """Environment, moto and empty tables; caches cleared before and after."""
    env = {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "SCTS_STAGE": "test",
        "SCTS_READ_MODEL_TABLE": TABLES["read-model"],
        "SCTS_USAGE_TABLE": TABLES["usage"],
        "SCTS_ACCESS_TABLE": TABLES["access"],
        "SCTS_RATE_LIMITS_TABLE": TABLES["rate-limits"],
        "SCTS_CURSOR_SIGNING_KEY_SECRET_ID": CURSOR_SIGNING_KEY.secret_id("test"),
        "SCTS_JWT_ISSUER": ISSUER,
        "SCTS_JWT_AUDIENCE": CLIENT_ID,
        "SCTS_JWKS_URL": "http://127.0.0.1:9/jwks.json",
        "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    jwks = tokens.jwks
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        patch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
        clear_caches()
        try:
            with mock_aws():
                client = boto3.client("dynamodb", region_name=REGION)
                for table in TOPOLOGY.tables:
                    create_table(client, TABLES[table.name], table)
                boto3.client("secretsmanager", region_name=REGION).create_secret(
                    Name=CURSOR_SIGNING_KEY.secret_id("test"), SecretString="k" * 48
                )
                yield Portfolio(tokens=tokens, client=client)
        finally:
            clear_caches()


@pytest.fixture
def portfolio(tokens: Tokens) -> Iterator[Portfolio]:
    with running_portfolio(tokens) as running:
        yield running
