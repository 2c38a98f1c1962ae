"""Notifications against moto in-process: its tables built from the topology, the stage
queues, SES, secrets, a Cognito pool for real tokens, and the local push service on a free
loopback port; the access projection fed with identity's events; API Gateway HTTP events
into the handler, and the stage handlers fed what their queues hold (as the poller does)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.utilities.utils import load_resource

from common.access.dynamo import AccessProjection
from contracts.envelope import EventEnvelope
from contracts.events import identity as idn
from infra.local.push_service import PushServer
from infra.local.sqs_poller import sqs_event
from infra.shape.resources import PlatformValues, function_environment
from services.notifications import dependencies
from services.notifications.handlers import api, events, stages
from services.notifications.topology import TOPOLOGY
from tests.integration.local.conftest import free_port
from tests.support.http_api import http_api_event
from tests.support.tables import create_table

REGION = "eu-west-1"
SENDER = "no-reply@scts.local"
PASSWORD = "Correct-Horse-9-battery"
STAGE = "test"


class FakeContext:
    function_name = "scts-test-notifications"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:notifications"
    aws_request_id = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class User:
    email: str
    token: str
    sub: str


@dataclass
class Cloud:
    pool_id: str
    client_id: str
    cognito: Any
    sqs: Any
    projection: AccessProjection
    push: PushServer
    sequence: dict[str, int] = field(default_factory=dict)

    def call(
        self,
        method: str,
        template: str,
        user: User | None = None,
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        **params: str,
    ) -> Reply:
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        sent = dict(headers or {})
        if user:
            sent["authorization"] = f"Bearer {user.token}"
        event = http_api_event(method, template, path, headers=sent, body=body, query=query)
        result = api.handler(event, FakeContext())  # type: ignore[arg-type]
        raw = result.get("body") or ""
        return Reply(
            result["statusCode"], json.loads(raw) if raw else None, result.get("headers", {})
        )

    def user(self, email: str) -> User:
        found = self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
        )
        tokens = self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )
        sub = next(a["Value"] for a in found["User"]["Attributes"] if a["Name"] == "sub")
        return User(email, str(tokens["AuthenticationResult"]["AccessToken"]), sub)

    def _next(self, account: str) -> int:
        self.sequence[account] = self.sequence.get(account, 0) + 1
        return self.sequence[account]

    def identity_event(self, envelope: EventEnvelope[Any]) -> None:
        """What identity tells: into the access projection and to the events consumer."""
        self.projection.apply(envelope)
        self.deliver(envelope)

    def account(self, account: str, name: str) -> None:
        data = idn.AccountCreatedData(
            account_id=account, sequence=self._next(account), name=name, created_by="root"
        )
        self.identity_event(idn.ACCOUNT_CREATED.new(data, account_id=account, correlation_id="c"))

    def grant(self, account: str, user: User, role: str, *permissions: str) -> None:
        data = idn.AccessGrantedData(
            account_id=account,
            sequence=self._next(account),
            subject=user.sub,
            email=user.email,
            role=role,
            permissions=list(permissions),
        )
        self.identity_event(idn.ACCESS_GRANTED.new(data, account_id=account, correlation_id="c"))

    def change(self, account: str, user: User, role: str, *permissions: str) -> None:
        data = idn.AccessChangedData(
            account_id=account,
            sequence=self._next(account),
            subject=user.sub,
            role=role,
            permissions=list(permissions),
        )
        self.identity_event(idn.ACCESS_CHANGED.new(data, account_id=account, correlation_id="c"))

    def suspend(self, account: str) -> None:
        data = idn.AccountSuspendedData(account_id=account, sequence=self._next(account))
        self.identity_event(idn.ACCOUNT_SUSPENDED.new(data, account_id=account, correlation_id="c"))

    def revoke(self, account: str, user: User) -> None:
        data = idn.AccessRevokedData(
            account_id=account, sequence=self._next(account), subject=user.sub
        )
        self.identity_event(idn.ACCESS_REVOKED.new(data, account_id=account, correlation_id="c"))

    def deliver(self, envelope: EventEnvelope[Any]) -> None:
        body = {
            "source": envelope.source,
            "detail-type": envelope.detail_type,
            "detail": json.loads(envelope.model_dump_json()),
        }
        message = {
            "MessageId": str(envelope.event_id),
            "ReceiptHandle": "r",
            "Body": json.dumps(body),
        }
        event = sqs_event([message], "arn:aws:sqs:eu-west-1:123456789012:events")
        answer = events.handler(event, FakeContext())  # type: ignore[arg-type]
        assert answer["batchItemFailures"] == []

    def drain(self, rounds: int = 6, only: tuple[str, ...] | None = None) -> None:
        """Feed every stage (or `only` these queues) the messages its queue holds, as the
        poller would, until quiet."""
        handlers = {
            "render": stages.render_handler,
            "email": stages.email_handler,
            "push": stages.push_handler,
            "record": stages.record_handler,
            "mail-events": stages.record_handler,
        }
        if only is not None:
            handlers = {name: handlers[name] for name in only}
        for _ in range(rounds):
            moved = 0
            for name, handler in handlers.items():
                url = self.sqs.get_queue_url(QueueName=f"scts-{STAGE}-notifications-{name}")[
                    "QueueUrl"
                ]
                received = self.sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]
                ).get("Messages", [])
                if not received:
                    continue
                moved += len(received)
                arn = f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT_ID}:scts-{STAGE}-notifications-{name}"
                answer = handler(sqs_event(received, arn), FakeContext())  # type: ignore[arg-type]
                failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
                for message in received:
                    if message["MessageId"] not in failed:
                        self.sqs.delete_message(
                            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"]
                        )
            if not moved:
                return

    def mails_to(self, address: str) -> list[Any]:
        backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
        return [
            m for m in backend.sent_messages if address in (getattr(m, "destinations", None) or [])
        ]


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
        "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    jwks = load_resource("cognitoidp/resources/jwks-public.json")
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
    push = PushServer(free_port())
    push.start()
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name=REGION)
        pool_id = cognito.create_user_pool(
            PoolName="scts-test-users", UsernameAttributes=["email"]
        )["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="scts-test-spa",
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        for table in TOPOLOGY.tables:
            create_table(dynamodb.meta.client, TOPOLOGY.resource_name(STAGE, table.name), table)
        sqs = boto3.client("sqs", region_name=REGION)
        for queue in TOPOLOGY.queue_fed:
            sqs.create_queue(QueueName=TOPOLOGY.queue_name(STAGE, queue))
        for secret in TOPOLOGY.secrets:
            boto3.client("secretsmanager", region_name=REGION).create_secret(
                Name=secret.secret_id(STAGE), SecretString=secrets.token_urlsafe(48)
            )
        issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
        platform = PlatformValues(
            "bus", pool_id, SENDER, issuer, client_id, f"{issuer}/.well-known/jwks.json"
        )
        env = function_environment(
            TOPOLOGY,
            STAGE,
            platform,
            version="0",
            git_commit="x",
            http_api_url="https://api.example",
        )
        env["SCTS_EXTRA_PUSH_ORIGINS"] = push.origin
        env.pop("SCTS_MAIL_CONFIGURATION_SET")  # moto's SESv2 knows no configuration sets
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for built in (*dependencies.PROVIDERS, stages.backoff):
            built.reset()
        projection = AccessProjection(TOPOLOGY.resource_name(STAGE, "access"), dynamodb)
        try:
            yield Cloud(pool_id, client_id, cognito, sqs, projection, push)
        finally:
            for built in (*dependencies.PROVIDERS, stages.backoff):
                built.reset()
            push.shutdown()
            push.server_close()
