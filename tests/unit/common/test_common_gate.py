"""common/gate.py and common/json_safety.py: what every request meets before its route."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, Field

from common.api import create_resolver
from common.gate import RequestGate
from common.json_safety import MAX_DEPTH, parse_json, repeated_members, safe_json_loads
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from tests.support.http_api import http_api_event
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        Route(method="GET", path="/v1/meters", auth=AuthKind.USER, function="api"),
        Route(method="POST", path="/v1/meters", auth=AuthKind.USER, function="api"),
        Route(method="POST", path="/v1/password/forgot", auth=AuthKind.PUBLIC, function="api"),
    ),
)


class MeterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=50)
    site: str | None = None


class NewMeter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_id: str = Field(min_length=3)


class Forgot(BaseModel):
    username: str


def _app(tokens: Tokens) -> ApiGatewayResolver:
    app = create_resolver(
        TOPOLOGY, lambda: ServiceSettings(service_name="example"), tokens.verifier
    )

    @app.get("/v1/meters")
    def meters(params: Annotated[MeterQuery, Query()]) -> dict[str, Any]:
        return params.model_dump()

    @app.post("/v1/meters")
    def create(meter: NewMeter) -> dict[str, str]:
        return {"meter_id": meter.meter_id}

    @app.post("/v1/password/forgot")
    def forgot(body: Forgot) -> dict[str, str]:
        return {"status": "accepted"}

    return app


def call(app: ApiGatewayResolver, event: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
    response = app.resolve(event, {})  # type: ignore[arg-type]
    return response["statusCode"], json.loads(response["body"] or "null"), response["headers"]


def auth(tokens: Tokens, **more: str) -> dict[str, str]:
    return {"authorization": f"Bearer {tokens.access()}", **more}


def test_the_gate_stands_where_powertools_validates(tokens: Tokens) -> None:
    """Fails if a Powertools upgrade renames or stops using the validation middleware slot
    the gate takes over (the gate would then run after validation, or not at all)."""
    app = _app(tokens)
    assert isinstance(app._request_validation_middleware, RequestGate)
    event = http_api_event("POST", "/v1/meters", "/v1/meters", body={"meter_id": 1})
    status, body, _ = call(app, event)
    assert (status, body["error"], body["fields"]) == (401, "unauthorized", [])


def test_query_parameters_come_typed_and_unknown_ones_are_refused(tokens: Tokens) -> None:
    app = _app(tokens)
    ok = http_api_event(
        "GET", "/v1/meters", "/v1/meters", headers=auth(tokens), query={"limit": "5"}
    )
    assert call(app, ok)[:2] == (200, {"limit": 5, "site": None})
    typo = http_api_event(
        "GET", "/v1/meters", "/v1/meters", headers=auth(tokens), query={"limt": "5"}
    )
    status, body, _ = call(app, typo)
    assert (status, body["error"]) == (422, "validation_failed")
    assert [f["path"] for f in body["fields"]] == ["query.limt"]
    assert "limit" in body["fields"][0]["reason"]
    too_big = http_api_event(
        "GET", "/v1/meters", "/v1/meters", headers=auth(tokens), query={"limit": "500"}
    )
    status, body, _ = call(app, too_big)
    assert (status, [f["path"] for f in body["fields"]]) == (422, ["query.limit"])


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(tokens: Tokens, content_type: str | None) -> None:
    headers = (
        auth(tokens) if content_type is None else auth(tokens, **{"content-type": content_type})
    )
    event = http_api_event("POST", "/v1/meters", "/v1/meters", headers=headers, body="meter_id=abc")
    status, body, _ = call(_app(tokens), event)
    assert (status, body["error"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize("content_type", ["Application/JSON", " APPLICATION/json; charset=UTF-8"])
def test_a_media_type_in_any_case_is_json(tokens: Tokens, content_type: str) -> None:
    """Media types are case-insensitive; Powertools compares them as written (its own 415)."""
    headers = auth(tokens, **{"content-type": content_type})
    event = http_api_event(
        "POST", "/v1/meters", "/v1/meters", headers=headers, body='{"meter_id": "abc"}'
    )
    assert call(_app(tokens), event)[:2] == (200, {"meter_id": "abc"})


def test_json_with_a_charset_is_json(tokens: Tokens) -> None:
    headers = auth(tokens, **{"Content-Type": "application/json; charset=utf-8"})
    event = http_api_event(
        "POST", "/v1/meters", "/v1/meters", headers=headers, body='{"meter_id": "abc"}'
    )
    assert call(_app(tokens), event)[:2] == (200, {"meter_id": "abc"})


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 1000 + "]" * 1000,
        '{"username": ' + "9" * 5000 + "}",
        '{"username": "a"',
        '{"username": NaN}',
        "\ud800",
    ],
    ids=["deep", "huge-int", "truncated", "nan", "lone-surrogate"],
)
def test_malformed_json_is_400_even_on_a_public_route(tokens: Tokens, raw: str) -> None:
    event = http_api_event("POST", "/v1/password/forgot", "/v1/password/forgot", body=raw)
    event["headers"]["content-type"] = "application/json"
    status, body, headers = call(_app(tokens), event)
    assert (status, body["error"]) == (400, "invalid_json")
    assert body["request_id"] == headers["X-Request-Id"] == event["requestContext"]["requestId"]


@pytest.mark.parametrize(
    ("path", "authenticated"),
    [("/v1/password/forgot", False), ("/v1/meters", True)],
    ids=["public", "user"],
)
def test_a_body_that_is_not_utf8_is_400_not_500(
    tokens: Tokens, path: str, authenticated: bool
) -> None:
    """The gateway hands a body it does not take for text (a `Content-Encoding`, bytes that
    are not text) to the function base64-encoded; bytes that are not UTF-8 are not JSON."""
    headers = auth(tokens) if authenticated else {}
    headers["content-type"] = "application/json"
    raw = base64.b64encode(b'{"username": "\xff", "meter_id": "\xff"}').decode()
    event = http_api_event("POST", path, path, headers=headers, body=raw)
    event["isBase64Encoded"] = True
    status, body, _ = call(_app(tokens), event)
    assert (status, body["error"]) == (400, "invalid_json")


@pytest.mark.parametrize(
    ("path", "raw", "named"),
    [
        ("/v1/meters", '{"meter_id": "abc", "meter_id": "other"}', ["body.meter_id"]),
        ("/v1/password/forgot", '{"username": "a", "username": "b"}', ["body.username"]),
        ("/v1/password/forgot", '{"username": "a", "more": {"x": 1, "x": 2}}', ["body.more.x"]),
        ("/v1/password/forgot", '{"username": "a", "list": [{"y": 1, "y": 1}]}', ["body.list.0.y"]),
    ],
    ids=["model-route", "public-route", "nested", "in-a-list"],
)
def test_a_member_named_twice_is_refused_by_name(
    tokens: Tokens, path: str, raw: str, named: list[str]
) -> None:
    """Readers disagree on a repeated member (Python keeps the last, others the first), so
    a body naming one twice is never read one way: 422 on that member, nothing done."""
    headers = {**auth(tokens), "content-type": "application/json"}
    event = http_api_event("POST", path, path, headers=headers, body=raw)
    status, body, _ = call(_app(tokens), event)
    assert (status, body["error"]) == (422, "validation_failed")
    assert [f["path"] for f in body["fields"]] == named
    assert "more than once" in body["fields"][0]["reason"]


def test_parse_json_keeps_what_it_read_and_names_the_repeats() -> None:
    parsed = parse_json('{"a": 1, "b": [{"c": 1, "c": 2}], "a": 3}')
    assert parsed == {"a": 3, "b": [{"c": 2}]}
    assert repeated_members(parsed) == [("a",), ("b", "0", "c")]
    assert repeated_members(parse_json('{"a": {"b": 1}}')) == []


def test_safe_json_reads_decimals_and_bounds_depth() -> None:
    assert str(safe_json_loads('{"amount": 0.10}')["amount"]) == "0.10"
    assert safe_json_loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(json.JSONDecodeError):
        safe_json_loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert safe_json_loads('{"price": 1.5e-6, "zero": 0e500}') == {
        "price": Decimal("0.0000015"),
        "zero": Decimal(0),
    }
    for magnitude in ("1e99999999", "-1E+65", "1e-65"):  # short, but huge once an int
        with pytest.raises(json.JSONDecodeError):
            safe_json_loads(f'{{"value": {magnitude}}}')


def test_every_error_has_the_one_shape(tokens: Tokens) -> None:
    app = _app(tokens)
    for event in (
        http_api_event("GET", "/v1/nowhere", "/v1/nowhere"),
        http_api_event("GET", "/v1/meters", "/v1/meters"),
        http_api_event("POST", "/v1/meters", "/v1/meters", headers=auth(tokens), body={}),
    ):
        _, body, headers = call(app, event)
        assert set(body) == {"error", "message", "fields", "request_id"}
        assert body["request_id"] == headers["X-Request-Id"]


FORM_TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(
        Route(
            method="POST",
            path="/v1/unsubscribe",
            auth=AuthKind.PUBLIC,
            function="api",
            media_types=("application/x-www-form-urlencoded",),
        ),
        Route(method="POST", path="/v1/meters", auth=AuthKind.PUBLIC, function="api"),
    ),
)


def _form_app() -> ApiGatewayResolver:
    app = create_resolver(FORM_TOPOLOGY, lambda: ServiceSettings(service_name="example"), None)

    @app.post("/v1/unsubscribe")
    def unsubscribe() -> dict[str, str]:
        return {"body": app.current_event.decoded_body or ""}

    @app.post("/v1/meters")
    def create(meter: NewMeter) -> dict[str, str]:
        return {"meter_id": meter.meter_id}

    return app


def test_a_route_declared_for_forms_takes_a_form_and_only_that() -> None:
    app = _form_app()
    form = {"content-type": "application/x-www-form-urlencoded"}
    one_click = http_api_event(
        "POST",
        "/v1/unsubscribe",
        "/v1/unsubscribe",
        headers=form,
        body="List-Unsubscribe=One-Click",
    )
    assert call(app, one_click)[:2] == (200, {"body": "List-Unsubscribe=One-Click"})
    as_json = http_api_event(
        "POST",
        "/v1/unsubscribe",
        "/v1/unsubscribe",
        headers={"content-type": "application/json"},
        body="{}",
    )
    status, body, _ = call(app, as_json)
    assert (status, body["error"]) == (415, "unsupported_media_type")
    assert "x-www-form-urlencoded" in body["fields"][0]["reason"]
    other = http_api_event("POST", "/v1/meters", "/v1/meters", headers=form, body="meter_id=abc")
    assert call(app, other)[0] == 415
