"""`common.openapi.errors`: a route's `responses=` keeps its success schema and documents
each error status its logic raises with the one error body."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from common.api import create_resolver
from common.openapi import errors, openapi_document
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="example",
    functions=(Function(name="api", handler="tests.example.api.handler"),),
    routes=(
        Route(method="GET", path="/v1/meters/{meter_id}", auth=AuthKind.USER, function="api"),
        Route(method="DELETE", path="/v1/meters/{meter_id}", auth=AuthKind.USER, function="api"),
    ),
)


class Meter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_id: str


def test_errors_keep_the_success_schema_and_document_each_error_status() -> None:
    app = create_resolver(TOPOLOGY, lambda: ServiceSettings(service_name="example"), None)

    @app.get("/v1/meters/<meter_id>", operation_id="getMeter", responses=errors(403, 404))
    def get_meter(meter_id: str) -> Meter:
        return Meter(meter_id=meter_id)

    @app.delete(
        "/v1/meters/<meter_id>",
        operation_id="deleteMeter",
        responses={204: {"description": "Deleted."}, **errors(404, success=None)},
    )
    def delete_meter(meter_id: str) -> None:
        return None

    document = openapi_document(app, "example", "1.0.0", TOPOLOGY.routes)
    get = document["paths"]["/v1/meters/{meter_id}"]["get"]["responses"]
    assert get["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Meter"
    }
    for status in ("403", "404"):
        assert get[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"
        }
    assert get["404"]["description"].startswith("No such object")
    delete = document["paths"]["/v1/meters/{meter_id}"]["delete"]["responses"]
    assert "200" not in delete
    assert delete["204"]["description"] == "Deleted."
    assert set(delete) >= {"204", "404"}
