"""`common.openapi.errors`: a route's documented responses are its success (with the return
model, no body for 204 and redirects, its headers) and the error statuses its logic raises,
each with the one error body; a route whose `responses=` forgets its success is refused when
the document is built; a domain exception's status comes from the one table (410 `Gone`)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict

from common.api import create_resolver
from common.api_errors import status_for
from common.errors import Gone
from common.openapi import errors, openapi_document
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(
        Route(method="POST", path="/v1/meters", auth=AuthKind.PUBLIC, function="api"),
        Route(method="DELETE", path="/v1/meters/{meter_id}", auth=AuthKind.PUBLIC, function="api"),
    ),
)


class Meter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_id: str


def _document() -> dict[str, object]:
    app = create_resolver(TOPOLOGY, lambda: ServiceSettings(service_name="example"), None)

    @app.post(
        "/v1/meters",
        status_code=HTTPStatus.CREATED,
        responses=errors(409, (410, "The meter was retired."), success=HTTPStatus.CREATED),
    )
    def create_meter() -> Meter:
        return Meter(meter_id="m1")

    @app.delete("/v1/meters/<meter_id>", responses=errors(404, success=HTTPStatus.NO_CONTENT))
    def delete_meter(meter_id: str) -> Response[None]:
        return Response(HTTPStatus.NO_CONTENT, None, None)

    return openapi_document(app, "example", "1.0.0", TOPOLOGY.routes)


def test_the_success_keeps_its_model_and_each_error_gets_the_error_body() -> None:
    paths = _document()["paths"]
    assert isinstance(paths, dict)
    created = paths["/v1/meters"]["post"]["responses"]
    assert created["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Meter"
    }
    assert "200" not in created
    error_ref = {"$ref": "#/components/schemas/ErrorBody"}
    for status in ("409", "410"):
        assert created[status]["content"]["application/json"]["schema"] == error_ref
    assert created["410"]["description"] == "The meter was retired."
    deleted = paths["/v1/meters/{meter_id}"]["delete"]["responses"]
    assert "content" not in deleted["204"]  # no body
    assert deleted["404"]["content"]["application/json"]["schema"] == error_ref


def test_only_error_statuses_are_errors() -> None:
    with pytest.raises(ValueError, match="error statuses"):
        errors(302)


def test_gone_is_410() -> None:
    assert status_for(Gone("The invitation has expired.")) == HTTPStatus.GONE


def test_headers_of_a_success_are_documented_and_a_redirect_has_no_body() -> None:
    response = errors(404, success=303, description="Elsewhere", headers={"Location": "The file."})
    assert response[303]["headers"] == {
        "Location": {"description": "The file.", "schema": {"type": "string"}}
    }
    assert response[303]["content"] == {}


def test_responses_without_a_success_are_refused() -> None:
    app = create_resolver(TOPOLOGY, lambda: ServiceSettings(service_name="example"), None)
    no_success: dict[int, Any] = {409: {"description": "Conflict"}}

    @app.post("/v1/meters", responses=no_success)
    def create_meter() -> Meter:
        return Meter(meter_id="m1")

    @app.delete("/v1/meters/<meter_id>", responses=errors(404, success=HTTPStatus.NO_CONTENT))
    def delete_meter(meter_id: str) -> Response[None]:
        return Response(HTTPStatus.NO_CONTENT, None, None)

    with pytest.raises(ValueError, match="POST /v1/meters documents no success response"):
        openapi_document(app, "example", "1.0.0", TOPOLOGY.routes)
