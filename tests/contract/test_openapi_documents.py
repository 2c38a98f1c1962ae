"""Every committed OpenAPI document is a valid OpenAPI 3.1 document (openapi-spec-validator)
and keeps the house rules of `tests/support/openapi_rules.py`: explicit operationId, summary
and tag on every operation, no bare object as a success, the one error body on every error,
no object schema of a response that admits undeclared properties. The broken examples below
show each rule failing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from common.api_types import ID_PATTERN
from infra.contracts_export import OPENAPI_DIR
from services.topologies import TOPOLOGIES
from tests.support.openapi_rules import (
    GATEWAY_401,
    JWT_SECURITY,
    document_problems,
    operations,
)

pytestmark = pytest.mark.contract

DOCUMENTS = sorted(OPENAPI_DIR.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_every_service_has_a_document() -> None:
    names = {path.stem for path in DOCUMENTS}
    assert {t.service for t in TOPOLOGIES} <= names


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_is_valid_openapi(path: Path) -> None:
    document = _load(path)
    assert document["openapi"].startswith("3.1")
    validate(document)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_keeps_the_house_rules(path: Path) -> None:
    document = _load(path)
    assert list(operations(document)), f"{path.name} documents no operation"
    assert document_problems(document) == []


def _example() -> dict[str, Any]:
    """A small document that keeps every rule (the broken variants start from it)."""
    error = {
        "description": "No such object.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "example", "version": "1"},
        "paths": {
            "/v1/meters/{meter_id}": {
                "get": {
                    "operationId": "getMeter",
                    "summary": "One meter",
                    "tags": ["meters"],
                    "parameters": [
                        {
                            "name": "meter_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Success.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Meter"}
                                }
                            },
                        },
                        "404": error,
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Meter": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "meter_id": {"type": "string"},
                        "site": {"$ref": "#/components/schemas/Site"},
                    },
                },
                "Site": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"name": {"type": "string"}},
                },
                "ErrorBody": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"error": {"type": "string"}},
                },
            }
        },
    }


def _get(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/v1/meters/{meter_id}"]["get"]
    return operation


def test_the_example_keeps_every_rule() -> None:
    validate(_example())
    assert document_problems(_example()) == []


def test_an_invalid_document_is_refused() -> None:
    document = _example()
    _get(document)["responses"]["200"]["content"]["application/json"]["schema"] = 42
    with pytest.raises(OpenAPIValidationError):
        validate(document)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("operationId", None, "no operationId"),
        ("operationId", "get_meter_v1_meters__meter_id__get", "not an explicit camelCase"),
        ("summary", "GET /v1/meters/{meter_id}", "no summary"),
        ("summary", None, "no summary"),
        ("tags", [], "no tag"),
    ],
)
def test_an_operation_without_its_names_is_refused(field: str, value: Any, expected: str) -> None:
    document = _example()
    if value is None:
        del _get(document)[field]
    else:
        _get(document)[field] = value
    problems = document_problems(document)
    assert len(problems) == 1
    assert expected in problems[0]


def test_an_account_id_without_the_one_id_pattern_is_refused() -> None:
    document = _example()
    meter = _get(document)
    meter["parameters"].append(
        {"name": "account_id", "in": "query", "schema": {"type": "string", "maxLength": 128}}
    )
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id}: account_id is not checked with the one id pattern"
    ]
    meter["parameters"][-1]["schema"]["pattern"] = ID_PATTERN
    assert document_problems(document) == []


def test_a_duplicate_operation_id_is_refused() -> None:
    document = _example()
    document["paths"]["/v1/meters"] = {"get": copy.deepcopy(_get(document))}
    assert any("is also GET /v1/meters/{meter_id}" in p for p in document_problems(document))


@pytest.mark.parametrize(
    "meter",
    [
        {"type": "object"},
        {"type": "object", "additionalProperties": True},
        {"type": "object", "additionalProperties": {"type": "string"}},
    ],
    ids=["bare-object", "dict-str-any", "dict-str-str"],
)
def test_a_success_that_is_a_free_form_object_is_refused(meter: dict[str, Any]) -> None:
    document = _example()
    document["components"]["schemas"]["Meter"] = meter
    problems = document_problems(document)
    assert problems
    assert all(p.startswith("GET /v1/meters/{meter_id} 200") for p in problems)
    if "properties" not in meter:
        assert any("bare object" in p for p in problems)


def test_a_nested_object_that_admits_undeclared_properties_is_refused() -> None:
    document = _example()
    del document["components"]["schemas"]["Site"]["additionalProperties"]
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 200: Site: an object schema that allows undeclared properties"
    ]


def test_an_object_inside_a_list_or_union_is_checked_too() -> None:
    document = _example()
    document["components"]["schemas"]["Meter"]["properties"]["readings"] = {
        "type": "array",
        "items": {"anyOf": [{"type": "object", "properties": {"at": {"type": "string"}}}]},
    }
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 200: Meter.readings: an object schema that allows "
        "undeclared properties"
    ]


def test_an_error_response_without_the_error_body_is_refused() -> None:
    document = _example()
    _get(document)["responses"]["404"] = {
        "description": "Not found.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 404: an error response without the one error body (ErrorBody)"
    ]


def test_a_gateway_refusal_is_allowed_only_as_the_401_of_a_jwt_route() -> None:
    gateway_or_service = {
        "description": "No valid credentials.",
        "content": {"application/json": {"schema": GATEWAY_401}},
    }
    document = _example()
    _get(document)["security"] = JWT_SECURITY
    _get(document)["responses"]["401"] = gateway_or_service
    assert document_problems(document) == []

    del _get(document)["security"]
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 401: an error response without the one error body (ErrorBody)"
    ]
    _get(document)["security"] = JWT_SECURITY
    _get(document)["responses"]["404"] = gateway_or_service
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 404: an error response without the one error body (ErrorBody)"
    ]


def test_a_map_keyed_by_an_enumeration_declares_its_keys_and_one_of_strings_does_not() -> None:
    document = _example()
    document["components"]["schemas"]["Unit"] = {"type": "string", "enum": ["kwh", "mwh"]}
    closed = {
        "type": "object",
        "propertyNames": {"$ref": "#/components/schemas/Unit"},
        "additionalProperties": {"type": "number"},
    }
    document["components"]["schemas"]["Meter"]["properties"]["totals"] = closed
    assert document_problems(document) == []
    document["components"]["schemas"]["Meter"]["properties"]["totals"] = {
        **closed,
        "propertyNames": {"type": "string"},
    }
    assert document_problems(document) == [
        "GET /v1/meters/{meter_id} 200: Meter.totals: an object schema that allows "
        "undeclared properties"
    ]


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_patterns_spell_digits_as_ascii(path: Path) -> None:
    """`\\d` in pydantic's (and JavaScript's `u`) regular expressions matches the digits of
    every script: `"\u0661\u0662"` would pass a code, a vintage or an amount check."""
    assert [p for p in _patterns(_load(path)) if "\\d" in p] == []
