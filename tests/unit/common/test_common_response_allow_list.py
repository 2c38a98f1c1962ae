"""The response allow-list, shown on a synthetic resolver: a route that returns a field its
model does not declare never puts it on the wire (a logged 500 `internal` instead), and a
body carrying such a field fails the OpenAPI check the services' tests run on every
response (`tests.support.openapi_check`), because the document's object schemas forbid
undeclared properties."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from common.api import create_resolver
from common.openapi import errors, openapi_document
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from tests.support.http_api import http_api_event
from tests.support.openapi_check import problems_against
from tests.support.openapi_rules import document_problems

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        Route(method="GET", path="/v1/meters/{meter_id}", auth=AuthKind.PUBLIC, function="api"),
    ),
)
TEMPLATE = "/v1/meters/{meter_id}"


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str


class Meter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_id: str
    site: Site


STORED: dict[str, Any] = {"meter_id": "m1", "site": {"name": "Hanoi"}}
"""What the route returns; each test adds what a careless route would let through."""


def _app(returned: Any) -> Any:
    app = create_resolver(
        TOPOLOGY, lambda: ServiceSettings(service_name="example", stage="test"), None
    )

    @app.get(
        "/v1/meters/<meter_id>",
        operation_id="getMeter",
        summary="One meter",
        tags=["meters"],
        responses=errors(404),
    )
    def get_meter(meter_id: str) -> Meter:
        return returned  # type: ignore[no-any-return]  # e.g. a dict, as a careless route would

    return app


def _call(returned: Any) -> tuple[int, Any]:
    event = http_api_event("GET", TEMPLATE, "/v1/meters/m1", path_parameters={"meter_id": "m1"})
    answer = _app(returned).resolve(event, None)
    return answer["statusCode"], json.loads(answer["body"])


def _document() -> dict[str, Any]:
    return openapi_document(_app(STORED), "example", "1.0.0", TOPOLOGY.routes)


def test_the_synthetic_document_keeps_the_house_rules() -> None:
    assert document_problems(_document()) == []


def test_a_declared_response_passes() -> None:
    status, body = _call(STORED)
    assert (status, body) == (200, STORED)
    assert problems_against(_document(), "GET", TEMPLATE, status, body) == []


@pytest.mark.parametrize(
    "leaked",
    [
        {**STORED, "pk": "ACCOUNT#acc_1"},
        {**STORED, "site": {"name": "Hanoi", "owner_email": "a@example.com"}},
    ],
    ids=["top-level", "nested"],
)
def test_an_undeclared_field_never_reaches_the_wire(leaked: dict[str, Any]) -> None:
    status, body = _call(leaked)
    assert status == 500
    assert body["error"] == "internal"
    assert "pk" not in json.dumps(body)
    assert "owner_email" not in json.dumps(body)


@pytest.mark.parametrize(
    ("leaked", "where"),
    [
        ({**STORED, "pk": "ACCOUNT#acc_1"}, "<root>"),
        ({**STORED, "site": {"name": "Hanoi", "owner_email": "a@example.com"}}, "site"),
    ],
    ids=["top-level", "nested"],
)
def test_the_openapi_check_fails_a_body_with_an_undeclared_field(
    leaked: dict[str, Any], where: str
) -> None:
    problems = problems_against(_document(), "GET", TEMPLATE, 200, leaked)
    assert len(problems) == 1
    assert problems[0].startswith(f"GET {TEMPLATE} 200: {where}: ")
    assert "Additional properties are not allowed" in problems[0]


def test_the_openapi_check_fails_an_undocumented_status() -> None:
    problems = problems_against(_document(), "GET", TEMPLATE, 409, {"error": "conflict"})
    assert problems == [f"GET {TEMPLATE}: status 409 is not documented " + _documented()]


def _documented() -> str:
    responses = _document()["paths"][TEMPLATE]["get"]["responses"]
    return f"({sorted(responses)})"


def test_a_wider_model_is_cut_to_the_declared_one() -> None:
    """A route returning a subclass with more fields sends only the declared model's."""

    class StoredMeter(Meter):
        model_config = ConfigDict(extra="allow")

        pk: str = "ACCOUNT#acc_1"

    wider = StoredMeter(meter_id="m1", site=Site(name="Hanoi"), owner_email="a@example.com")
    assert _call(wider) == (200, STORED)
