"""Provisioning against moto in-process: tables and bucket from the topology, API Gateway
events into the real handlers (HTTP API payload 2.0 for the admin routes, REST API payload
1.0 for the ingest API's publisher routes), admin tokens signed by a test key the service
trusts."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto import mock_aws

from common.topology import USAGE_PLAN_ENV
from contracts.events import identity
from infra.shape.resources import create_usage_plan_request
from services.provisioning import dependencies
from services.provisioning.handlers import accounts, api, authorizer, ingest, uploads
from services.provisioning.topology import INGEST, TOPOLOGY
from tests.support.http_api import http_api_event, rest_api_event
from tests.support.tables import create_table

REGION = "eu-west-1"
STAGE = "test"
ADMINS = "scts-admins"
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ProvTest1"
CLIENT_ID = "spa-client-prov"
KID = "prov-test-key"


class Tokens:
    """Cognito-shaped access tokens signed by a key whose JWKS the service is given."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        self.jwks = {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def access(self, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "sub": "5d9e1a7c-2f46-4b83-a0c5-9e3f7b2d4c18",
            "iss": ISSUER,
            "iat": now,
            "exp": now + 3600,
            "token_use": "access",
            "client_id": CLIENT_ID,
            "username": "admin@scts.local",
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KID})


TOKENS = Tokens()


class FakeContext:
    function_name = "scts-test-provisioning"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:provisioning"
    aws_request_id = "test"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def table_name(logical: str) -> str:
    return TOPOLOGY.resource_name(STAGE, logical)


INGEST_ROUTES = {(r.method, r.path) for r in TOPOLOGY.routes if r.function == INGEST}
API_ID = "ingest-test"
METHOD_ARN = f"arn:aws:execute-api:{REGION}:123456789012:{API_ID}/v1/POST/v1/trades"


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def sqs_event(envelope_json: str) -> dict[str, Any]:
    detail = json.loads(envelope_json)
    body = json.dumps(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": detail["detail_type"],
            "source": detail["source"],
            "time": detail["occurred_at"],
            "region": REGION,
            "resources": [],
            "detail": detail,
        }
    )
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "r",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "0",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "0",
                },
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:q",
                "awsRegion": REGION,
            }
        ]
    }


class Cloud:
    def __init__(self) -> None:
        self.dynamodb = boto3.client("dynamodb", region_name=REGION)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.records_table = table_name("records")
        self.bucket = table_name("files")

    def admin_token(self, *, groups: list[str] | None = None) -> str:
        return TOKENS.access(**{"cognito:groups": [ADMINS] if groups is None else groups})

    def call(
        self,
        method: str,
        template: str,
        *,
        key: str | None = None,
        token: str | None = None,
        body: Any = None,
        raw_body: bytes | str | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        authorizer: dict[str, str] | None = None,
        **params: str,
    ) -> Reply:
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        sent = {"content-type": content_type, **(headers or {})}
        if key:
            sent["x-api-key"] = key
        if token:
            sent["authorization"] = f"Bearer {token}"
        payload = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
        if (method, template) in INGEST_ROUTES:
            event = rest_api_event(
                method,
                template,
                path,
                headers=sent,
                body=payload,
                query=query,
                path_parameters=params or None,
                authorizer=authorizer,
            )
            result = ingest.handler(event, FakeContext())  # type: ignore[arg-type]
        else:
            event = http_api_event(method, template, path, headers=sent, body=payload, query=query)
            if authorizer is not None:
                event["requestContext"]["authorizer"] = {"lambda": authorizer}
            result = api.handler(event, FakeContext())  # type: ignore[arg-type]
        raw = result.get("body") or ""
        parsed = json.loads(raw) if raw and raw[0] in "[{" else raw
        headers = dict(result.get("headers") or {})
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ",".join(values)  # REST API (payload 1.0) answers
        return Reply(result["statusCode"], parsed, headers)

    def register(self, name: str = "STX trading", **scope: Any) -> tuple[str, str]:
        """(publisher id, API key) of a new publisher feeding all accounts unless told."""
        body = {"name": name, **(scope or {"all_accounts": True})}
        reply = self.call("POST", "/v1/publishers", token=self.admin_token(), body=body)
        assert reply.status == 201, reply.body
        return reply.body["publisher"]["publisher_id"], reply.body["api_key"]

    def account_created(self, account_id: str, name: str = "Nordic Green Energy AB") -> None:
        """identity's AccountCreated, delivered to this service's subscription."""
        envelope = identity.ACCOUNT_CREATED.new(
            identity.AccountCreatedData(
                account_id=account_id, sequence=1, name=name, created_by="admin-sub"
            ),
            account_id=account_id,
            correlation_id="req-test",
        )
        result = accounts.handler(sqs_event(envelope.model_dump_json()), FakeContext())  # type: ignore[arg-type]
        assert result == {"batchItemFailures": []}

    def link(self, key: str, reference: str, account_id: str) -> None:
        self.account_created(account_id)
        reply = self.call(
            "POST",
            "/v1/counterparties",
            key=key,
            body={
                "records": [
                    {
                        "reference": reference,
                        "version": 1,
                        "account_id": account_id,
                        "legal_name": "Nordic Green Energy AB",
                    }
                ]
            },
        )
        assert reply.body["counts"]["accepted"] == 1, reply.body

    def authorize(self, headers: dict[str, str]) -> dict[str, Any]:
        """The REST API REQUEST authorizer's answer (an IAM policy) for POST /v1/trades."""
        event = {
            "type": "REQUEST",
            "methodArn": METHOD_ARN,
            "resource": "/v1/trades",
            "path": "/v1/trades",
            "httpMethod": "POST",
            "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": {},
            "pathParameters": {},
            "stageVariables": {},
            "requestContext": {"resourcePath": "/v1/trades", "httpMethod": "POST", "stage": "v1"},
        }
        return authorizer.handler(event, FakeContext())  # type: ignore[arg-type]

    def allowed(self, headers: dict[str, str]) -> bool:
        """Whether the authorizer's policy allows the call (one statement, as it answers)."""
        (statement,) = self.authorize(headers)["policyDocument"]["Statement"]
        return bool(statement["Effect"] == "Allow" and statement["Resource"] == [METHOD_ARN])

    def denied(self, headers: dict[str, str]) -> bool:
        """Whether the authorizer answered an explicit Deny of every method, and nothing else."""
        answer = self.authorize(headers)
        (statement,) = answer["policyDocument"]["Statement"]
        everything = METHOD_ARN.rsplit("/", 3)[0] + "/*/*"
        return bool(
            statement["Effect"] == "Deny"
            and statement["Resource"] == [everything]
            and "context" not in answer
        )

    def outbox(self) -> list[dict[str, Any]]:
        items = self.dynamodb.scan(TableName=self.records_table)["Items"]
        envelopes = [json.loads(i["envelope"]["S"]) for i in items if "outbox" in i]
        return sorted(
            envelopes, key=lambda e: (e["data"].get("reference", ""), e["data"].get("version", 0))
        )

    def deliver_uploads(self) -> None:
        """The uploads subscription: every queued UploadReceived from the outbox."""
        for envelope in self.outbox():
            if envelope["detail_type"] == "UploadReceived":
                result = uploads.handler(sqs_event(json.dumps(envelope)), FakeContext())  # type: ignore[arg-type]
                assert result == {"batchItemFailures": []}


def _rebuild_dependencies() -> None:
    """Each test's environment (moto, its tables) gets freshly built adapters."""
    for made in dependencies.ALL:
        made.reset()


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "SCTS_SERVICE_NAME": "provisioning",
        "SCTS_STAGE": STAGE,
        "SCTS_JWT_ISSUER": ISSUER,
        "SCTS_JWT_AUDIENCE": CLIENT_ID,
        "SCTS_JWKS_URL": "http://127.0.0.1:9/jwks.json",
        "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
        **{t.env_var: table_name(t.name) for t in TOPOLOGY.tables},
        **{b.env_var: table_name(b.name) for b in TOPOLOGY.buckets},
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: TOKENS.jwks)
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        for table in TOPOLOGY.tables:
            create_table(dynamodb, table_name(table.name), table)
        s3 = boto3.client("s3", region_name=REGION)
        for bucket in TOPOLOGY.buckets:
            s3.create_bucket(
                Bucket=table_name(bucket.name),
                CreateBucketConfiguration={"LocationConstraint": REGION},
            )
        plan = boto3.client("apigateway", region_name=REGION).create_usage_plan(
            **create_usage_plan_request(TOPOLOGY, STAGE)
        )
        monkeypatch.setenv(USAGE_PLAN_ENV, plan["id"])
        _rebuild_dependencies()
        yield Cloud()
        _rebuild_dependencies()


CP = "STX-CP-0001"
ACCOUNT = "acc-7f3c2a91"


@pytest.fixture
def key(cloud: Cloud) -> str:
    """A registered publisher's API key, with counterparty CP linked to ACCOUNT."""
    _, api_key = cloud.register()
    cloud.link(api_key, CP, ACCOUNT)
    return api_key
