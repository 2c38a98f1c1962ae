"""common/openapi.py: `success(...)` and `errors(...)` document a route's statuses; a route
whose `responses=` forgets its success is refused when the document is built."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict

from common.api import create_resolver
from common.openapi import errors, openapi_document, success
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology

pytestmark = pytest.mark.unit

ROUTES = (
    Route(method="POST", path="/v1/meters", auth=AuthKind.USER, function="api"),
    Route(method="DELETE", path="/v1/meters/{meter_id}", auth=AuthKind.USER, function="api"),
)
TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=ROUTES,
)


class Meter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_id: str


def _settings() -> ServiceSettings:
    return ServiceSettings(service_name="example", stage="test", version="1", git_commit="abc")


def _document(create_responses: dict[int, Any]) -> dict[str, Any]:
    app = create_resolver(TOPOLOGY, _settings, None)

    @app.post("/v1/meters", status_code=HTTPStatus.CREATED, responses=create_responses)
    def create_meter() -> Meter:
        return Meter(meter_id="m-1")

    @app.delete(
        "/v1/meters/<meter_id>",
        responses={**success(204, "Deleted", body=False), **errors(404)},
    )
    def delete_meter(meter_id: str) -> Response[None]:
        return Response(HTTPStatus.NO_CONTENT, None, None)

    return openapi_document(app, "example", "1", ROUTES)


def test_success_keeps_the_return_model_and_errors_get_the_error_body() -> None:
    document = _document({**success(201, "Created"), **errors(403, 409)})
    created = document["paths"]["/v1/meters"]["post"]["responses"]
    assert created["201"]["description"] == "Created"
    assert created["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Meter"
    }
    for status in ("403", "409", "401", "415", "422", "500"):
        assert created[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"
        }
    assert "200" not in created


def test_a_response_without_a_body_documents_no_content() -> None:
    deleted = _document(success(201))["paths"]["/v1/meters/{meter_id}"]["delete"]["responses"]
    assert deleted["204"] == {"description": "Deleted"}
    assert "ErrorBody" in deleted["404"]["content"]["application/json"]["schema"]["$ref"]


def test_headers_of_a_success_are_documented() -> None:
    (response,) = success(303, "Elsewhere", body=False, headers={"Location": "The file."}).values()
    assert response["headers"] == {
        "Location": {"description": "The file.", "schema": {"type": "string"}}
    }


def test_responses_without_a_success_are_refused() -> None:
    with pytest.raises(ValueError, match="POST /v1/meters documents no success response"):
        _document(errors(409))
