"""Committed schemas and OpenAPI documents must equal what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.api import create_resolver
from common.settings import ServiceSettings
from common.topology import AuthKind, Function, Route, ServiceTopology
from contracts.catalog import CATALOG
from infra.contracts_export import (
    committed_documents,
    drifted,
    event_schemas,
    generate,
    render,
    resolver_routes,
    route_mismatches,
    write,
)
from services.topologies import TOPOLOGIES
from tests.contract.example_event import EXAMPLE_CATALOG

pytestmark = pytest.mark.contract


def test_committed_contracts_match_the_code() -> None:
    """Services whose routes contradict their topology fail the route test below instead."""
    expected, route_problems = generate(CATALOG, TOPOLOGIES)
    for service in {problem.split(":", 1)[0] for problem in route_problems}:
        for committed in committed_documents(service):
            expected[committed] = committed.read_text(encoding="utf-8")
    problems = drifted(expected)
    assert not problems, "contracts drifted from the code; run `make contracts`:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda t: t.service)
def test_declared_routes_equal_resolver_routes(topology: ServiceTopology) -> None:
    assert route_mismatches(topology) == []


def _topology(*routes: Route) -> ServiceTopology:
    return ServiceTopology(
        service="example",
        functions=(Function(name="api", handler="tests.example.api.handler"),),
        routes=routes,
    )


def test_route_check_reports_both_directions() -> None:
    topology = _topology(
        Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),
        Route(method="GET", path="/v1/meters/{meter_id}", auth=AuthKind.USER, function="api"),
    )
    app = create_resolver(topology, lambda: ServiceSettings(service_name="example"), None)

    @app.post("/v1/meters")
    def create_meter() -> dict[str, str]:
        return {}

    assert resolver_routes(app) == {("GET", "/v1/version"), ("POST", "/v1/meters")}
    problems = route_mismatches(topology, {"api": app})
    assert len(problems) == 2
    assert "GET /v1/meters/{meter_id} is declared for function 'api'" in problems[0]
    assert "serves POST /v1/meters, which the topology does not declare" in problems[1]


def test_drift_detection_sees_missing_changed_and_stale_files(tmp_path: Path) -> None:
    expected = {tmp_path / "A.v1.json": render({"b": 1, "a": [2]})}
    assert drifted(expected, [tmp_path], tmp_path) == ["A.v1.json: missing"]
    (tmp_path / "A.v1.json").write_text('{"a": [2], "b": 1}\n')
    (tmp_path / "Old.v1.json").write_text("{}\n")
    assert drifted(expected, [tmp_path], tmp_path) == [
        "A.v1.json: differs from the code",
        "Old.v1.json: stale (nothing generates it)",
    ]
    write(expected, [tmp_path], tmp_path)
    assert drifted(expected, [tmp_path], tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.v1.json"]


def test_render_is_canonical() -> None:
    assert render({"b": {"d": 1, "c": "é"}, "a": []}) == (
        '{\n  "a": [],\n  "b": {\n    "c": "é",\n    "d": 1\n  }\n}\n'
    )


def test_event_schema_pins_the_type_and_forbids_unknown_fields() -> None:
    schema = event_schemas(EXAMPLE_CATALOG)["MeterReadingRecorded.v1.json"]
    assert schema["properties"]["detail_type"]["const"] == "MeterReadingRecorded"
    assert schema["properties"]["version"]["const"] == 1
    assert schema["properties"]["source"]["const"] == "scts.example"
    assert schema["additionalProperties"] is False
    data = schema["$defs"]["MeterReadingRecordedData"]
    assert data["additionalProperties"] is False
    assert set(data["required"]) >= {"meter_id", "consumption_mwh"}


def test_generic_envelope_schema_leaves_data_open() -> None:
    schema = event_schemas(EXAMPLE_CATALOG)["envelope.json"]
    assert schema["title"] == "EventEnvelope"
    assert "data" in schema["required"]
    assert json.dumps(schema).count('"additionalProperties": true') == 1
