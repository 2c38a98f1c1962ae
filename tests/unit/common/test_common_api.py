"""common/api.py: declared routes only, auth inside the service, uniform errors, /v1/version."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import jwt
import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, APIGatewayRestResolver
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from pydantic import BaseModel, Field

from common.api import ApiError, create_resolver, error_response, principal
from common.api_errors import status_for
from common.errors import DomainError
from common.jwt import JwtVerifier
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from tests.support.http_api import rest_api_event
from tests.unit.common.jwt_tokens import CLIENT_ID, ISSUER, Tokens

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(
        Function(name="api", handler="tests.example.api.handler"),
        Function(name="ingest", handler="tests.example.ingest.handler"),
        Function(name="authorizer", handler="tests.example.authorizer.handler"),
    ),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        Route(method="GET", path="/v1/me", auth=AuthKind.USER, function="api"),
        Route(method="POST", path="/v1/meters", auth=AuthKind.USER, function="api"),
        Route(method="GET", path="/v1/meters/{meter_id}", auth=AuthKind.USER, function="api"),
        Route(method="POST", path="/v1/readings", auth=AuthKind.PUBLISHER, function="ingest"),
    ),
    publisher_authorizer="authorizer",
)


class NewMeter(BaseModel):
    meter_id: str = Field(min_length=3)
    capacity_mw: float = Field(gt=0)


def _settings() -> ServiceSettings:
    return ServiceSettings(
        service_name="example", stage="test", version="1.2.3", git_commit="abc1234"
    )


def _publisher_check(app: ApiGatewayResolver) -> Any:
    if app.current_event.headers.get("x-api-key") != "scts_pub_0123456789abcdefghij":
        return error_response(app, HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
    return None


def _app(tokens: Tokens) -> ApiGatewayResolver:
    """The HTTP API function's resolver (the default: the HTTP API's routes)."""
    app = create_resolver(TOPOLOGY, _settings, tokens.verifier)

    @app.get("/v1/me")
    def me() -> dict[str, str]:
        caller = principal(app)
        return {"sub": caller.sub, "username": caller.username}

    @app.post("/v1/meters")
    def create_meter(meter: NewMeter) -> dict[str, str]:
        return {"meter_id": meter.meter_id}

    @app.get("/v1/meters/<meter_id>")
    def get_meter(meter_id: str) -> dict[str, str]:
        raise ApiError(HTTPStatus.NOT_FOUND, "meter_not_found", "No such meter.")

    @app.get("/v1/debug")  # served by the resolver, never declared: must stay unreachable
    def debug() -> dict[str, str]:
        return {"secret": "internals"}

    return app


REQUEST_ID = "Ab3dEfGhIjKlMnO="


def http_event(
    method: str,
    path: str,
    route_key: str | None = None,
    headers: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2) event."""
    return {
        "version": "2.0",
        "routeKey": route_key or f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api1",
            "domainName": "api1.execute-api.eu-west-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.10",
                "userAgent": "pytest",
            },
            "requestId": REQUEST_ID,
            "routeKey": route_key or f"{method} {path}",
            "stage": "$default",
            "time": "02/Mar/2026:09:14:27 +0000",
            "timeEpoch": 1772442867000,
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def _ingest_app(publisher_check: Any = _publisher_check) -> ApiGatewayResolver:
    """The ingest function's resolver (REST API, payload 1.0)."""
    app = create_resolver(
        TOPOLOGY, _settings, None, publisher_check=publisher_check, function="ingest"
    )

    @app.post("/v1/readings")
    def post_reading() -> dict[str, bool]:
        return {"accepted": True}

    return app


def readings_event(headers: dict[str, str] | None = None) -> dict[str, Any]:
    return rest_api_event(
        "POST", "/v1/readings", "/v1/readings", headers=headers, body={"value": 1}
    )


def call(app: ApiGatewayResolver, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = app.resolve(event, {})  # type: ignore[arg-type]
    return response["statusCode"], json.loads(response["body"] or "null")


def error(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The one error body, for the events of this module (their request id)."""
    return {"error": code, "message": message, "fields": fields or [], "request_id": REQUEST_ID}


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_version_is_public_and_tells_the_build(tokens: Tokens) -> None:
    status, body = call(_app(tokens), http_event("GET", "/v1/version"))
    assert status == 200
    assert body == {"service": "example", "version": "1.2.3", "commit": "abc1234", "stage": "test"}


def test_an_undeclared_route_is_404_even_when_the_resolver_serves_it(tokens: Tokens) -> None:
    status, body = call(
        _app(tokens), http_event("GET", "/v1/debug", headers=bearer(tokens.access()))
    )
    assert (status, body["error"]) == (404, "not_found")


def test_an_unknown_path_is_404(tokens: Tokens) -> None:
    status, body = call(_app(tokens), http_event("GET", "/v1/nothing-here"))
    assert (status, body["error"]) == (404, "not_found")


def test_auth_follows_the_route_that_runs_not_the_events_route_key(tokens: Tokens) -> None:
    event = http_event("GET", "/v1/meters/SE3-9", route_key="GET /v1/version")
    assert call(_app(tokens), event) == (401, error("unauthorized", "Unauthorized"))


def test_user_route_without_token_is_401(tokens: Tokens) -> None:
    status, body = call(_app(tokens), http_event("GET", "/v1/me"))
    assert (status, body) == (401, error("unauthorized", "Unauthorized"))


@pytest.mark.parametrize("kind", ["garbage", "id_token", "other_signer", "expired"])
def test_user_route_with_a_bad_token_is_401(tokens: Tokens, kind: str) -> None:
    token = {
        "garbage": "abc.def.ghi",
        "id_token": tokens.sign(tokens.claims("id")),
        "other_signer": tokens.sign(tokens.claims(), key=tokens.other_key),
        "expired": tokens.access(iat=1_700_000_000, exp=1_700_003_600),
    }[kind]
    assert call(_app(tokens), http_event("GET", "/v1/me", headers=bearer(token)))[0] == 401


def test_a_valid_token_sets_the_principal(tokens: Tokens) -> None:
    status, body = call(_app(tokens), http_event("GET", "/v1/me", headers=bearer(tokens.access())))
    assert (status, body) == (
        200,
        {"sub": "c4e2b7d1-6a93-4f58-8e20-71d5a3c9b6f4", "username": "jane.berg"},
    )


def test_a_user_route_without_a_verifier_is_closed(tokens: Tokens) -> None:
    app = create_resolver(TOPOLOGY, _settings, None)

    @app.get("/v1/me")
    def me() -> dict[str, str]:
        return {}

    assert call(app, http_event("GET", "/v1/me", headers=bearer(tokens.access())))[0] == 401


def test_each_api_gets_its_resolver_and_only_its_routes(tokens: Tokens) -> None:
    assert isinstance(_app(tokens), APIGatewayHttpResolver)
    ingest = _ingest_app()
    assert isinstance(ingest, APIGatewayRestResolver)
    # /v1/version belongs to the HTTP API only; the ingest API does not declare it.
    version = rest_api_event("GET", "/v1/version", "/v1/version")
    status, body = call(ingest, version)
    assert (status, body["error"], body["message"]) == (404, "not_found", "No such route.")
    # An HTTP API route is not served by the ingest function even if registered there.
    app = create_resolver(TOPOLOGY, _settings, tokens.verifier, function="ingest")

    @app.get("/v1/me")
    def me() -> dict[str, str]:
        return {"secret": "internals"}

    event = rest_api_event("GET", "/v1/me", "/v1/me", headers=bearer(tokens.access()))
    assert call(app, event)[0] == 404


def test_an_unknown_function_is_refused_when_the_resolver_is_built() -> None:
    with pytest.raises(ValueError, match="no function 'nope'"):
        create_resolver(TOPOLOGY, _settings, None, function="nope")


def test_publisher_route_goes_through_the_publisher_check() -> None:
    app = _ingest_app()
    assert call(app, readings_event())[0] == 401
    good = {"X-Api-Key": "scts_pub_0123456789abcdefghij"}  # REST keeps the client's casing
    assert call(app, readings_event(good)) == (200, {"accepted": True})


def test_publisher_route_without_a_check_is_closed() -> None:
    event = readings_event({"x-api-key": "scts_pub_0123456789abcdefghij"})
    assert call(_ingest_app(publisher_check=None), event)[0] == 401


def test_publisher_route_is_not_on_the_http_api(tokens: Tokens) -> None:
    event = http_event(
        "POST", "/v1/readings", headers={"x-api-key": "scts_pub_0123456789abcdefghij"}
    )
    assert call(_app(tokens), event)[0] == 404


def test_invalid_body_is_422_with_field_paths_and_reasons(tokens: Tokens) -> None:
    event = http_event(
        "POST",
        "/v1/meters",
        headers=bearer(tokens.access()),
        body={"meter_id": "x", "capacity_mw": -1},
    )
    status, body = call(_app(tokens), event)
    assert status == 422
    assert body["error"] == "validation_failed"
    fields = {f["path"]: f["reason"] for f in body["fields"]}
    assert set(fields) == {"body.meter_id", "body.capacity_mw"}
    assert "at least 3 characters" in fields["body.meter_id"]
    assert "greater than 0" in fields["body.capacity_mw"]


def test_missing_body_field_is_422(tokens: Tokens) -> None:
    event = http_event(
        "POST", "/v1/meters", headers=bearer(tokens.access()), body={"meter_id": "SE3-1"}
    )
    status, body = call(_app(tokens), event)
    assert status == 422
    assert body["fields"] == [{"path": "body.capacity_mw", "reason": "Field required"}]


def test_api_error_maps_to_its_status_code_and_details(tokens: Tokens) -> None:
    event = http_event(
        "GET",
        "/v1/meters/SE3-9",
        route_key="GET /v1/meters/{meter_id}",
        headers=bearer(tokens.access()),
    )
    assert call(_app(tokens), event) == (404, error("meter_not_found", "No such meter."))


def test_principal_outside_a_user_route_is_401(tokens: Tokens) -> None:
    app = _app(tokens)
    with pytest.raises(DomainError) as raised:
        principal(app)
    assert status_for(raised.value) == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer not-a-token"}])
def test_an_unauthenticated_invalid_body_is_401_not_422(
    tokens: Tokens, headers: dict[str, str]
) -> None:
    # Powertools validates before middlewares run; the caller must not learn the schema.
    event = http_event("POST", "/v1/meters", headers=headers, body={"capacity_mw": -1})
    status, body = call(_app(tokens), event)
    assert status == 401
    assert body["fields"] == []


def test_an_unreachable_key_set_is_503_with_retry_after_not_401(tokens: Tokens) -> None:
    """The web app signs a person out on a 401 that survives a token refresh: a JWKS fetch
    failing (Cognito slow or down) must not answer every valid token that way."""

    class UnreachableJwks(jwt.PyJWKClient):
        def __init__(self) -> None:
            super().__init__("http://127.0.0.1:9/jwks.json", cache_keys=False)

        def fetch_data(self) -> Any:
            raise jwt.PyJWKClientConnectionError("Fail to fetch data from the url")

    def verifier() -> JwtVerifier:
        return JwtVerifier(ISSUER, frozenset({CLIENT_ID}), "unused", jwks_client=UnreachableJwks())

    app = create_resolver(TOPOLOGY, _settings, verifier)

    @app.get("/v1/me")
    def me() -> dict[str, str]:
        return {}

    response = app.resolve(http_event("GET", "/v1/me", headers=bearer(tokens.access())), {})  # type: ignore[arg-type]
    assert response["statusCode"] == 503
    assert json.loads(response["body"])["error"] == "unavailable"
    assert int(response["headers"]["Retry-After"]) >= 1


def test_powertools_debug_mode_never_answers_a_traceback_nor_prints_the_event(
    tokens: Tokens, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """POWERTOOLS_DEV (Powertools' documented switch for local development) makes the
    resolver answer an unhandled error with its traceback (exception text, file paths,
    table names) and print every event, bearer token included, past the redacting logger.
    A service's API does neither: the Lambda handler answers the one `internal` error."""
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    app = create_resolver(TOPOLOGY, _settings, tokens.verifier)

    @app.get("/v1/me")
    def me() -> dict[str, str]:
        raise RuntimeError("table scts-prod-identity-members is throttled")

    token = tokens.access()
    with pytest.raises(RuntimeError, match="throttled"):
        app.resolve(http_event("GET", "/v1/me", headers=bearer(token)), {})  # type: ignore[arg-type]
    assert token not in capsys.readouterr().out
