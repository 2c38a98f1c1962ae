"""The documents service against moto in-process: tables from its topology, its bucket and
provisioning's, its secrets (a fresh RSA key pair), events through the real consumer
handlers (SQS batches), requests through the API handler, answers checked against the
committed OpenAPI document."""

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
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto import mock_aws

import common.access_handler as access
from contracts.envelope import EventEnvelope
from contracts.events import identity as id_events
from infra.local.resources import new_rsa_key_pair
from services.documents import dependencies
from services.documents.handlers import api, bundler, facts, intake, statements, verdicts
from services.documents.topology import CURSOR_SIGNING_KEY, SIGNING_KEY, TOPOLOGY
from tests.support.http_api import http_api_event
from tests.support.openapi_check import assert_matches_openapi
from tests.support.tables import create_table
from tests.unit.common.jwt_tokens import CLIENT_ID, ISSUER, Tokens

REGION = "eu-west-1"
STAGE = "test"
TABLES = {t.name: f"scts-{STAGE}-documents-{t.name}" for t in TOPOLOGY.tables}
FILES_BUCKET = f"scts-{STAGE}-documents-files"
PROVISIONING_BUCKET = f"scts-{STAGE}-provisioning-files"
RUNS_QUEUE = f"scts-{STAGE}-documents-monthly-statements"
CDN_URL = "https://documents.cdn.test"
KEY_PAIR_ID = "KTESTKEYPAIR01"
CDN_PARAMETERS = f"/{STAGE}/scts/documents-cdn"


class FakeContext:
    function_name = "scts-test-documents"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:scts-test-documents"
    aws_request_id = "req-1"


CONTEXT = cast(LambdaContext, FakeContext())


def sqs_record(body: dict[str, Any]) -> dict[str, Any]:
    return {
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
        "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:scts-test-documents",
        "awsRegion": REGION,
    }


def eventbridge(envelope: EventEnvelope[Any]) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": envelope.detail_type,
        "source": envelope.source,
        "time": envelope.occurred_at.isoformat(),
        "region": REGION,
        "resources": [],
        "detail": json.loads(envelope.model_dump_json()),
    }


@dataclass
class Documents:
    tokens: Tokens
    public_key: rsa.RSAPublicKey
    sequence: dict[str, int] = field(default_factory=dict)

    @property
    def s3(self) -> Any:
        return boto3.client("s3", region_name=REGION)

    @property
    def dynamodb(self) -> Any:
        return boto3.client("dynamodb", region_name=REGION)

    def consume(self, handler: Any, *bodies: dict[str, Any]) -> None:
        result = handler({"Records": [sqs_record(b) for b in bodies]}, CONTEXT)
        assert result == {"batchItemFailures": []}, result

    def publish(self, *envelopes: EventEnvelope[Any]) -> None:
        facts_events = [e for e in envelopes if e.detail_type != "DocumentPublished"]
        published = [e for e in envelopes if e.detail_type == "DocumentPublished"]
        if facts_events:
            self.consume(facts.handler, *(eventbridge(e) for e in facts_events))
        if published:
            self.consume(intake.handler, *(eventbridge(e) for e in published))

    def verdict(self, detail: dict[str, Any]) -> None:
        self.consume(
            verdicts.handler,
            {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": "GuardDuty Malware Protection Object Scan Result",
                "source": "aws.guardduty",
                "region": REGION,
                "resources": [],
                "detail": detail,
            },
        )

    def run_statements(self) -> None:
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.get_queue_url(QueueName=RUNS_QUEUE)["QueueUrl"]
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.consume(statements.handler, *(json.loads(m["Body"]) for m in messages))

    def build_bundles(self) -> None:
        envelopes = [e for e in self.outbox() if e["detail_type"] == "BundleRequested"]
        self.consume(bundler.handler, *envelopes_as_eventbridge(envelopes))

    def outbox(self) -> list[dict[str, Any]]:
        items = self.dynamodb.scan(TableName=TABLES["documents"])["Items"]
        return [json.loads(i["envelope"]["S"]) for i in items if "outbox" in i]

    def _identity(self, event_type: Any, data_type: Any, account_id: str, **fields: Any) -> None:
        self.sequence[account_id] = self.sequence.get(account_id, 0) + 1
        data = data_type(account_id=account_id, sequence=self.sequence[account_id], **fields)
        envelope = event_type.new(data, account_id=account_id, correlation_id="test")
        self.consume(access.handler, eventbridge(envelope))

    def create_account(self, account_id: str) -> None:
        self._identity(
            id_events.ACCOUNT_CREATED, id_events.AccountCreatedData, account_id,
            name=account_id, created_by="cam",
        )  # fmt: skip

    def grant(self, account_id: str, subject: str, role: str, permissions: list[str]) -> None:
        self._identity(
            id_events.ACCESS_GRANTED, id_events.AccessGrantedData, account_id,
            subject=subject, email=f"{subject}@example.com", role=role, permissions=permissions,
        )  # fmt: skip

    def call(
        self,
        method: str,
        template: str,
        subject: str | None,
        query: dict[str, str] | None = None,
        /,
        *,
        body: Any = None,
        groups: tuple[str, ...] = (),
        **params: str,
    ) -> tuple[int, Any]:
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        headers = {"content-type": "application/json"}
        if subject:
            claims = self.tokens.claims("access", sub=subject, username=subject)
            if groups:
                claims["cognito:groups"] = list(groups)
            headers["authorization"] = f"Bearer {self.tokens.sign(claims)}"
        event = http_api_event(
            method, template, path, headers=headers, body=body, query=query,
            path_parameters=params or None,
        )  # fmt: skip
        response = api.handler(event, CONTEXT)
        raw = response.get("body") or ""
        parsed = json.loads(raw) if raw else None
        assert_matches_openapi("documents", method, template, response["statusCode"], parsed)
        return response["statusCode"], parsed


def envelopes_as_eventbridge(envelopes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": e["detail_type"],
            "source": e["source"],
            "region": REGION,
            "resources": [],
            "detail": e,
        }
        for e in envelopes
    ]


PROVIDERS = (
    dependencies.settings,
    dependencies.dynamodb,
    dependencies.s3,
    dependencies.fact_store,
    dependencies.document_store,
    dependencies.files,
    dependencies.shared_files,
    dependencies.access_source,
    dependencies.signer,
    dependencies.cursors,
    dependencies.runs,
)


def reset() -> None:
    for provider in PROVIDERS:
        provider.reset()
    access.settings.reset()
    access.projection.reset()


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


@pytest.fixture(scope="session")
def key_pair() -> tuple[str, str]:
    return new_rsa_key_pair()


@contextmanager
def running_documents(tokens: Tokens, key_pair: tuple[str, str]) -> Iterator[Documents]:
    """The service's environment, moto, its tables, buckets, secrets, queue and CDN
    parameters; providers reset before and after (also used by bench.documents_signing)."""
    env = {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "SCTS_SERVICE_NAME": "documents",
        "SCTS_STAGE": STAGE,
        **{t.env_var: TABLES[t.name] for t in TOPOLOGY.tables},
        "SCTS_FILES_BUCKET": FILES_BUCKET,
        "SCTS_PUBLISHED_FILES_BUCKET": PROVISIONING_BUCKET,
        "SCTS_MONTHLY_STATEMENTS_QUEUE": RUNS_QUEUE,
        "SCTS_DOCUMENTS_SIGNING_KEY_SECRET_ID": SIGNING_KEY.secret_id(STAGE),
        "SCTS_DOCUMENTS_CURSOR_SIGNING_KEY_SECRET_ID": CURSOR_SIGNING_KEY.secret_id(STAGE),
        "SCTS_CDN_PARAMETERS": CDN_PARAMETERS,
        "SCTS_CDN_PARAMETERS_REGION": "us-east-1",
        "SCTS_JWT_ISSUER": ISSUER,
        "SCTS_JWT_AUDIENCE": CLIENT_ID,
        "SCTS_JWKS_URL": "http://127.0.0.1:9/jwks.json",
        "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    jwks = tokens.jwks
    public = serialization.load_pem_public_key(key_pair[1].encode())
    assert isinstance(public, rsa.RSAPublicKey)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        patch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
        reset()
        try:
            with mock_aws():
                client = boto3.client("dynamodb", region_name=REGION)
                for table in TOPOLOGY.tables:
                    create_table(client, TABLES[table.name], table)
                s3 = boto3.client("s3", region_name=REGION)
                for bucket in (FILES_BUCKET, PROVISIONING_BUCKET):
                    s3.create_bucket(
                        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
                    )
                secrets = boto3.client("secretsmanager", region_name=REGION)
                secrets.create_secret(
                    Name=CURSOR_SIGNING_KEY.secret_id(STAGE), SecretString="k" * 48
                )
                secrets.create_secret(Name=SIGNING_KEY.secret_id(STAGE), SecretString=key_pair[0])
                boto3.client("sqs", region_name=REGION).create_queue(QueueName=RUNS_QUEUE)
                ssm = boto3.client("ssm", region_name="us-east-1")
                for name, value in (("url", CDN_URL), ("key-pair-id", KEY_PAIR_ID)):
                    ssm.put_parameter(Name=f"{CDN_PARAMETERS}/{name}", Value=value, Type="String")
                yield Documents(tokens=tokens, public_key=public)
        finally:
            reset()


@pytest.fixture
def documents(tokens: Tokens, key_pair: tuple[str, str]) -> Iterator[Documents]:
    with running_documents(tokens, key_pair) as running:
        yield running
