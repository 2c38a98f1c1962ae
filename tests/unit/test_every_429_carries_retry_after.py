"""Every 429 (and 503) of every API carries `Retry-After` (issue 11 #7): what the services
answer (one place: `common.api_errors.error_response`), what every OpenAPI document
promises, and what the ingest gateway answers itself (the table the CDK stack and the local
gateway share). HTTP APIs' own stage throttling cannot add headers: THREAT_MODEL.md."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

from common.api import create_resolver
from common.api_errors import ApiError
from common.errors import DomainError, RateLimited, Unavailable
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES
from tests.support.http_api import http_api_event

pytestmark = pytest.mark.unit

DOCUMENTS = sorted(Path("contracts/openapi").glob("*.json"))
TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(Route(method="GET", path="/v1/busy", auth=AuthKind.PUBLIC, function="api"),),
)
REFUSALS: list[Exception] = [
    RateLimited("Slow down.", 30),
    Unavailable("Try later.", retry_after_seconds=5),
    ApiError(HTTPStatus.TOO_MANY_REQUESTS, "throttled", "Too many requests."),
    ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "unavailable", "Later."),
]


def _app(refusal: Exception) -> ApiGatewayResolver:
    app = create_resolver(TOPOLOGY, lambda: ServiceSettings(service_name="example"), None)

    @app.get("/v1/busy")
    def busy() -> dict[str, Any]:
        raise refusal

    return app


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda e: type(e).__name__)
def test_every_429_and_503_a_service_answers_says_when_to_retry(refusal: Exception) -> None:
    event = http_api_event("GET", "/v1/busy", "/v1/busy")
    answer = _app(refusal).resolve(event, {})  # type: ignore[arg-type]
    assert answer["statusCode"] in (429, 503)
    seconds = int(answer["headers"]["Retry-After"])
    if isinstance(refusal, DomainError) and hasattr(refusal, "retry_after_seconds"):
        assert seconds == refusal.retry_after_seconds
    assert seconds >= 1


def test_the_documents_walked_are_every_api() -> None:
    assert {d.stem for d in DOCUMENTS} >= {"identity", "portfolio", "provisioning-ingest"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.stem)
def test_every_documented_429_declares_retry_after(document: Path) -> None:
    spec = json.loads(document.read_text())
    shared = spec.get("components", {}).get("responses", {})
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("429", "503"):
                response = operation.get("responses", {}).get(status)
                if response is None:
                    continue
                if "$ref" in response:
                    response = shared[response["$ref"].rsplit("/", 1)[-1]]
                if "Retry-After" not in response.get("headers", {}):
                    missing.append(f"{method.upper()} {path} {status}")
    assert missing == []


def test_every_429_the_ingest_gateway_answers_itself_says_when_to_retry() -> None:
    throttling = {"THROTTLED", "QUOTA_EXCEEDED"}
    answered = {name: r for name, r in INGEST_GATEWAY_RESPONSES.items() if r.status == 429}
    assert "THROTTLED" in answered
    for name in throttling & set(INGEST_GATEWAY_RESPONSES) | set(answered):
        assert int(INGEST_GATEWAY_RESPONSES[name].headers["Retry-After"]) >= 1, name
