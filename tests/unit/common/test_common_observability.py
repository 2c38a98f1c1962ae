"""common/observability.py: secrets never reach a log line; API logs carry the request id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from aws_lambda_powertools import Tracer
from pydantic import BaseModel

from common.lambda_api import http_handler, internal_error, service_resolver
from common.observability import REDACTED, Observability, observability, redact, secret_key
from common.topology import AuthKind, Function, Route, ServiceTopology
from tests.unit.common.test_common_api import TOPOLOGY as API_TOPOLOGY
from tests.unit.common.test_common_api import http_event

pytestmark = pytest.mark.unit

JWT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0yMDI2LTAxIn0"
    ".eyJzdWIiOiJjNGUyYjdkMSIsInRva2VuX3VzZSI6ImFjY2VzcyJ9"
    ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU"
)
API_KEY = "scts_pub_Q2hhbmdlTWVOb3dQbGVhc2UxMjM0"
PASSWORD = "Correct-Horse-Battery-9"
SECRETS = (
    JWT,
    API_KEY,
    PASSWORD,
    "AKIAIOSFODNN7EXAMPLE",
    "s3cr3t-cookie-value",
    "sig0123456789abcdef",
)


@pytest.fixture
def log_output() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def obs(monkeypatch: pytest.MonkeyPatch, log_output: io.StringIO) -> Observability:
    """A fresh service logger; its real handler and formatter write into `log_output`."""
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "SCTS")
    built = observability(f"obs{uuid4().hex[:8]}")
    handler = built.logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(log_output)
    return built


def log_lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if '"level"' in line]


def assert_no_secret(output: str) -> None:
    leaked = [secret for secret in SECRETS if secret in output]
    assert not leaked, f"secrets reached the log: {leaked}"


class LoginForm(BaseModel):
    username: str
    password: str


@dataclass
class Credentials:
    client_id: str
    client_secret: str


def test_secret_keys_at_any_depth_and_in_extra_fields(
    obs: Observability, log_output: io.StringIO
) -> None:
    obs.logger.info(
        "sign-in",
        extra={
            "headers": {"Authorization": f"Bearer {JWT}", "Cookie": "sid=s3cr3t-cookie-value"},
            "body": {"user": {"Password": PASSWORD, "mfa": {"totp": "123456"}}},
            "cookies": ["sid=s3cr3t-cookie-value"],
            "publisher": {"X-Api-Key": API_KEY, "refreshToken": JWT, "apiKey": API_KEY},
            "form": LoginForm(username="jane", password=PASSWORD),
            "client": Credentials(client_id="spa", client_secret=PASSWORD),
            "status_code": 200,
            "carbon_footprint": 12.5,
        },
    )
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = log_lines(output)
    assert line["headers"] == {"Authorization": REDACTED, "Cookie": REDACTED}
    assert line["body"]["user"]["Password"] == REDACTED
    assert line["form"] == {"username": "jane", "password": REDACTED}
    assert line["client"] == {"client_id": "spa", "client_secret": REDACTED}
    assert (line["status_code"], line["carbon_footprint"]) == (200, 12.5)


def test_secrets_in_free_text(obs: Observability, log_output: io.StringIO) -> None:
    obs.logger.warning(
        f"retrying with Bearer {JWT} and raw {JWT}, key {API_KEY}, "
        f"password={PASSWORD} aws AKIAIOSFODNN7EXAMPLE "
        "url https://b.s3.amazonaws.com/x?X-Amz-Signature=sig0123456789abcdef&X-Amz-Expires=300"
    )
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = log_lines(output)
    assert "X-Amz-Expires=300" in line["message"]
    assert "password=***" in line["message"]


def test_logged_dict_message_and_appended_keys(obs: Observability, log_output: io.StringIO) -> None:
    obs.logger.append_keys(session_token=JWT)
    obs.logger.info({"event": {"headers": {"authorization": JWT}}, "note": f"token {API_KEY}"})
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = log_lines(output)
    assert line["session_token"] == REDACTED


def test_exception_tracebacks_are_scrubbed(obs: Observability, log_output: io.StringIO) -> None:
    def sign_in(password: str) -> None:
        raise RuntimeError(f"Cognito refused password={password} for Bearer {JWT} key {API_KEY}")

    try:
        sign_in(PASSWORD)
    except RuntimeError:
        obs.logger.exception("sign-in failed", extra={"api_key": API_KEY})
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = log_lines(output)
    assert "RuntimeError" in line["exception"]
    assert line["exception_name"] == "RuntimeError"


class _Context:
    function_name = "scts-test-example-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:scts-test-example-api"
    aws_request_id = "7d2c5e1f-lambda"


def test_api_logs_carry_the_request_id_as_correlation_id(
    obs: Observability, log_output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCTS_SERVICE_NAME", "example")
    topology = ServiceTopology(
        service="example",
        functions=(Function(name="api", handler="tests.example.api.handler"),),
        routes=(Route(method="POST", path="/v1/ping", auth=AuthKind.PUBLIC, function="api"),),
    )
    app = service_resolver(topology)
    seen: list[str | None] = []

    @app.post("/v1/ping")
    def ping() -> dict[str, str]:
        seen.append(obs.logger.get_correlation_id())
        obs.logger.info("pinged", extra={"request_headers": app.current_event.headers})
        return {"pong": "yes"}

    handler = http_handler(app, obs)
    event = http_event("POST", "/v1/ping", headers={"authorization": f"Bearer {JWT}"})
    assert handler(event, _Context())["statusCode"] == 200  # type: ignore[arg-type]
    assert seen == ["Ab3dEfGhIjKlMnO="]
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = [entry for entry in log_lines(output) if entry["message"] == "pinged"]
    assert line["correlation_id"] == "Ab3dEfGhIjKlMnO="
    assert line["request_headers"]["authorization"] == REDACTED


def test_unhandled_errors_are_logged_redacted_with_the_correlation_id(
    obs: Observability, log_output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = service_resolver(API_TOPOLOGY)  # SCTS_SERVICE_NAME unset: /v1/version fails inside
    monkeypatch.delenv("SCTS_SERVICE_NAME", raising=False)
    handler = http_handler(app, obs)
    event = http_event("GET", "/v1/version", headers={"authorization": f"Bearer {JWT}"})
    assert handler(event, _Context()) == internal_error(event)  # type: ignore[arg-type]
    output = log_output.getvalue()
    assert_no_secret(output)
    (line,) = [entry for entry in log_lines(output) if entry["message"] == "unhandled error"]
    assert line["correlation_id"] == "Ab3dEfGhIjKlMnO="
    assert "SCTS_SERVICE_NAME is not set" in line["exception"]


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("Authorization", True),
        ("x-api-key", True),
        ("X_API_KEY", True),
        ("APIKey", True),
        ("IdToken", True),
        ("SecretString", True),
        ("Session", True),
        ("Set-Cookie", True),
        ("ConfirmationCode", True),
        ("private_key", True),
        ("token_use", False),
        ("correlation_id", False),
        ("carbon_footprint", False),
        ("status_code", False),
        ("idempotency_key", False),
        ("author", False),
        ("key", False),
    ],
)
def test_secret_key_names(key: str, secret: bool) -> None:
    assert secret_key(key) is secret


def test_redact_stops_at_a_depth_limit() -> None:
    nested: dict[str, Any] = {}
    cursor = nested
    for _ in range(30):
        cursor["next"] = {}
        cursor = cursor["next"]
    assert REDACTED in json.dumps(redact(nested))


class _RecordedSubsegment:
    def __init__(self) -> None:
        self.metadata: dict[str, Any] = {}

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        self.metadata[key] = value

    def put_annotation(self, key: str, value: Any) -> None:
        """Annotations (cold start, service) carry nothing of the request."""

    def add_exception(self, *_: Any, **__: Any) -> None:
        self.metadata["exception"] = True


class _RecordingXRay:
    """Stands for the X-Ray recorder: keeps what each subsegment was given."""

    def __init__(self) -> None:
        self.subsegments: list[_RecordedSubsegment] = []

    @contextmanager
    def in_subsegment(self, name: str | None = None, **_: Any) -> Iterator[_RecordedSubsegment]:
        subsegment = _RecordedSubsegment()
        self.subsegments.append(subsegment)
        yield subsegment


def test_api_answers_never_reach_the_traces(
    obs: Observability, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tracing is active on every function, and Powertools' Tracer records a handler's
    whole return value in the trace by default: every API answer (a publisher's API key,
    shown once; signed document URLs; people's emails) would be kept in X-Ray, outside the
    redacting logger and readable by anyone who may read traces."""
    monkeypatch.delenv("POWERTOOLS_TRACE_DISABLED")
    monkeypatch.setenv("SCTS_SERVICE_NAME", "example")
    xray = _RecordingXRay()
    tracer = Tracer(service="example", disabled=False, auto_patch=False, provider=xray)  # type: ignore[arg-type]
    try:
        traced = Observability(logger=obs.logger, tracer=tracer, metrics=obs.metrics)
        topology = ServiceTopology(
            service="example",
            functions=(Function(name="api", handler="tests.example.api.handler"),),
            routes=(Route(method="POST", path="/v1/keys", auth=AuthKind.PUBLIC, function="api"),),
        )
        app = service_resolver(topology)

        @app.post("/v1/keys")
        def issue() -> dict[str, str]:
            return {"api_key": API_KEY}

        handler = http_handler(app, traced)
        assert handler(http_event("POST", "/v1/keys"), _Context())["statusCode"] == 200  # type: ignore[arg-type]
    finally:
        Tracer._reset_config()
    assert xray.subsegments, "the handler was not traced"
    recorded = json.dumps([s.metadata for s in xray.subsegments], default=str)
    assert API_KEY not in recorded
