"""Identity against moto in-process: a table built from the topology, a Cognito pool like
the local one (email usernames, TOTP), SES, and API Gateway HTTP events into the handler."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
import pyotp
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.utilities.utils import load_resource

from common.rate_limit import rate_limit_table
from services.identity import dependencies
from services.identity.handlers import api
from services.identity.topology import CURSOR_SIGNING_KEY, TOPOLOGY
from tests.support.http_api import http_api_event
from tests.support.tables import create_table

REGION = "eu-west-1"
SENDER = "no-reply@scts.local"
PASSWORD = "Correct-Horse-9-battery"
ADMINS_GROUP = "scts-admins"


def totp_code(secret: str) -> str:
    """The current code; pads the secret because moto's is shorter than pyotp accepts."""
    return str(_ShortSecretTotp(secret).now())


class _ShortSecretTotp(pyotp.TOTP):
    """pyotp's TOTP without its 112-bit minimum (moto's secrets are 60 bits)."""

    def byte_secret(self) -> bytes:
        padded = self.secret.upper() + "=" * (-len(self.secret) % 8)
        return base64.b32decode(padded)


def request_event(
    method: str,
    template: str,
    path: str,
    token: str | None,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The HTTP API event for a JSON request, with the user's bearer token when given."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return http_api_event(method, template, path, headers=headers, body=body, query=query)


class FakeContext:
    function_name = "scts-test-identity-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:identity"
    aws_request_id = "test"


@dataclass
class Reply:
    status: int
    body: Any


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
    dynamodb: Any
    table: str
    users: dict[str, User] = field(default_factory=dict)

    def call(
        self,
        method: str,
        template: str,
        user: User | None = None,
        body: Any = None,
        query: dict[str, str] | None = None,
        **params: str,
    ) -> Reply:
        return self.request(method, template, user, body, query, params)

    def request(
        self,
        method: str,
        template: str,
        user: User | None,
        body: Any,
        query: dict[str, str] | None,
        params: dict[str, str],
    ) -> Reply:
        """`call` with the path parameters as one mapping."""
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        event = request_event(method, template, path, user.token if user else None, body, query)
        result = api.handler(event, FakeContext())  # type: ignore[arg-type]
        raw = result.get("body") or ""
        return Reply(result["statusCode"], json.loads(raw) if raw else None)

    def user(self, email: str, *, admin: bool = False, mfa: bool = False) -> User:
        """A confirmed Cognito user with a token (optionally SCTS admin, TOTP-enrolled)."""
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
        if admin:
            self.cognito.admin_add_user_to_group(
                UserPoolId=self.pool_id, Username=email, GroupName=ADMINS_GROUP
            )
        sub = next(a["Value"] for a in found["User"]["Attributes"] if a["Name"] == "sub")
        user = User(email, self.token(email), sub)
        if mfa:
            self.enrol_mfa(user)
        self.users[email] = user
        return user

    def token(self, email: str, password: str = PASSWORD) -> str:
        tokens = self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        return str(tokens["AuthenticationResult"]["AccessToken"])

    def enrol_mfa(self, user: User) -> str:
        """TOTP enrolment through identity's API; the authenticator secret."""
        started = self.call("POST", "/v1/me/mfa/totp", user)
        assert started.status == 200, started.body
        secret = str(started.body["secret_code"])
        verified = self.call("POST", "/v1/me/mfa/totp/verify", user, {"code": totp_code(secret)})
        assert verified.status == 204, verified.body
        return secret

    def login_invitee(self, email: str) -> User:
        """What the invitee does with the emailed temporary password (set a new one)."""
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
        )
        token = self.token(email)
        sub = jwt.decode(token, options={"verify_signature": False})["sub"]
        user = User(email, token, sub)
        self.users[email] = user
        return user

    def mails_to(self, address: str) -> list[dict[str, Any]]:
        backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
        found = []
        for message in backend.sent_messages:
            destinations = getattr(message, "destinations", {}) or {}
            to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
            if address in to:
                found.append({"subject": message.subject, "body": message.body})
        return found

    def outbox(self) -> list[dict[str, Any]]:
        items = self.dynamodb.Table(self.table).scan()["Items"]
        envelopes = [json.loads(i["envelope"]) for i in items if i.get("outbox") == "1"]
        return sorted(envelopes, key=lambda e: (e["occurred_at"], e["data"].get("sequence", 0)))


@contextmanager
def cloud_context(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    """moto + the identity environment for as long as the context (and `monkeypatch`) lives."""
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
        "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
        "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    jwks = load_resource("cognitoidp/resources/jwks-public.json")
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name=REGION)
        pool_id = cognito.create_user_pool(
            PoolName="scts-test-users",
            UsernameAttributes=["email"],
            MfaConfiguration="OPTIONAL",
        )["UserPool"]["Id"]
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration="OPTIONAL",
        )
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="scts-test-spa",
            ExplicitAuthFlows=[
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
        )["UserPoolClient"]["ClientId"]
        cognito.create_group(GroupName=ADMINS_GROUP, UserPoolId=pool_id)
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
        dynamodb = boto3.resource("dynamodb", region_name=REGION)
        table_name = "scts-test-identity-identity"
        create_table(dynamodb.meta.client, table_name, TOPOLOGY.tables[0])
        budget = rate_limit_table()
        create_table(dynamodb.meta.client, "scts-test-identity-rate-limits", budget)
        monkeypatch.setenv(budget.env_var, "scts-test-identity-rate-limits")
        cursor_key = CURSOR_SIGNING_KEY.secret_id("test")
        boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name=cursor_key, SecretString=secrets.token_urlsafe(48)
        )
        env = {
            "SCTS_SERVICE_NAME": "identity",
            "SCTS_STAGE": "test",
            "SCTS_IDENTITY_TABLE": table_name,
            "SCTS_USER_POOL_ID": pool_id,
            "SCTS_MAIL_SENDER": SENDER,
            "SCTS_JWT_ISSUER": f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
            "SCTS_JWT_AUDIENCE": client_id,
            "SCTS_JWKS_URL": f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}/.well-known/jwks.json",
            CURSOR_SIGNING_KEY.env_var: cursor_key,
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        rebuild_dependencies()
        yield Cloud(pool_id, client_id, cognito, dynamodb, table_name)
        rebuild_dependencies()


def rebuild_dependencies() -> None:
    """Each cloud is a new environment: the providers build their adapters afresh."""
    for built in dependencies.PROVIDERS:
        built.reset()


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cloud]:
    with cloud_context(monkeypatch) as fresh:
        yield fresh


ACCOUNTS = "/v1/accounts"
ACCOUNT = "/v1/accounts/{account_id}"
INVITES = "/v1/accounts/{account_id}/invitations"
MEMBER = "/v1/accounts/{account_id}/members/{subject}"
ACCEPT = "/v1/me/invitations/{account_id}/accept"


def invite_and_accept(cloud: Cloud, inviter: User, account_id: str, email: str, role: str) -> User:
    reply = cloud.call(
        "POST", INVITES, inviter, {"email": email, "role": role}, account_id=account_id
    )
    assert reply.status == 201, reply.body
    invitee = cloud.login_invitee(email)
    accepted = cloud.call("POST", ACCEPT, invitee, account_id=account_id)
    assert accepted.status == 200, accepted.body
    return invitee


@dataclass
class World:
    cloud: Cloud
    scts_admin: User
    account_a: str
    account_b: str
    people: dict[str, User]


@pytest.fixture
def world(cloud: Cloud) -> World:
    return build_world(cloud)


def build_world(cloud: Cloud) -> World:
    """Account A (admin, trader, finance, viewer, an assigned CAM), account B (its admin),
    an SCTS admin and a stranger."""
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    a = cloud.call("POST", ACCOUNTS, admin, {"name": "Account A"}).body["account_id"]
    b = cloud.call("POST", ACCOUNTS, admin, {"name": "Account B"}).body["account_id"]
    people = {"admin": invite_and_accept(cloud, admin, a, "admin@a.example", "admin")}
    cloud.enrol_mfa(people["admin"])
    for role in ("trader", "finance", "viewer"):
        people[role] = invite_and_accept(cloud, people["admin"], a, f"{role}@a.example", role)
    people["other_admin"] = invite_and_accept(cloud, admin, b, "admin@b.example", "admin")
    cam = cloud.user("cam@stx.example", mfa=True)
    assert cloud.call("POST", "/v1/cams", admin, {"email": cam.email, "name": "Cam"}).status == 201
    assert (
        cloud.call(
            "PUT", "/v1/accounts/{account_id}/cams/{subject}", admin, account_id=a, subject=cam.sub
        ).status
        == 200
    )
    people["cam"] = cam
    people["stranger"] = cloud.user("nobody@x.example")
    people["scts_admin"] = admin
    return World(cloud, admin, a, b, people)
