"""The provisioning ingest API's OpenAPI document: its own file, publisher routes only,
and typed batch bodies (documentation: the route judges each record itself)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.contracts_export import OPENAPI_DIR
from services.provisioning.models.api import MAX_BATCH_RECORDS
from services.provisioning.models.records import RECORD_MODELS, RecordKind
from services.provisioning.topology import TOPOLOGY

pytestmark = pytest.mark.contract


def _document(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((OPENAPI_DIR / name).read_text(encoding="utf-8"))
    return loaded


def test_each_api_documents_only_its_own_routes() -> None:
    ingest = _document("provisioning-ingest.json")
    http = _document("provisioning.json")
    documented = {
        (method.upper(), path)
        for document in (ingest,)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert documented == {(r.method, r.path) for r in TOPOLOGY.ingest_routes}
    assert {(m.upper(), p) for p, ops in http["paths"].items() for m in ops} == {
        (r.method, r.path) for r in TOPOLOGY.http_routes
    }
    assert set(ingest["components"]["securitySchemes"]) == {"publisherApiKey"}


@pytest.mark.parametrize("kind", list(RecordKind), ids=str)
def test_batch_bodies_are_typed_with_the_kinds_record(kind: RecordKind) -> None:
    ingest = _document("provisioning-ingest.json")
    body = ingest["paths"][f"/v1/{kind.value}"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    records = schema["properties"]["records"]
    model = RECORD_MODELS[kind].__name__
    assert records["items"] == {"$ref": f"#/components/schemas/{model}"}
    assert records["maxItems"] == MAX_BATCH_RECORDS
    assert schema["required"] == ["records"]
    assert schema["additionalProperties"] is False
    assert set(ingest["components"]["schemas"][model]["properties"]) == set(
        RECORD_MODELS[kind].model_fields
    )
