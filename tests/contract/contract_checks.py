"""The checks every event fixture must pass, shared by the real catalog and a test-only one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from contracts.catalog import Catalog
from contracts.event_type import EventType
from infra.contracts_export import event_schemas

FIXTURE_CONVENTION = (
    "every event type needs contracts/fixtures/<DetailType>.v<N>.json: one realistic "
    "envelope (the EventBridge `detail`), in canonical form (run it through "
    "EventType.envelope_model() and infra.contracts_export.render)"
)


def eventbridge_delivery(envelope_json: str) -> str:
    """The event as EventBridge hands it to an SQS target (the message body)."""
    detail = json.loads(envelope_json)
    return json.dumps(
        {
            "version": "0",
            "id": "0d4f6e5a-95a0-4c1b-9f0e-3c2a1b0d9e8f",
            "detail-type": detail["detail_type"],
            "source": detail["source"],
            "account": "123456789012",
            "time": detail["occurred_at"],
            "region": "eu-west-1",
            "resources": [],
            "detail": detail,
        }
    )


def check_fixture(event_type: EventType, fixtures_dir: Path, catalog: Catalog) -> None:
    path = fixtures_dir / f"{event_type.schema_name}.json"
    assert path.is_file(), (
        f"{event_type.schema_name} has no fixture at {path}: {FIXTURE_CONVENTION}"
    )
    raw = path.read_text(encoding="utf-8")

    produced = event_type.envelope_model().model_validate_json(raw)
    assert (produced.detail_type, produced.version, produced.source) == (
        event_type.detail_type,
        event_type.version,
        event_type.source,
    ), f"{path.name} is not an envelope of {event_type.schema_name} from {event_type.source}"
    assert type(produced.data) is event_type.data_model

    delivered: dict[str, Any] = json.loads(eventbridge_delivery(raw))
    EventBridgeModel.model_validate(delivered)
    consumed = catalog.parse_eventbridge(delivered)
    assert consumed == produced
    assert catalog.parse(raw) == produced
    assert catalog.parse(raw.encode()) == produced

    rebuilt = event_type.new(
        produced.data,
        produced.account_id,
        produced.correlation_id,
        produced.causation_id,
        produced.occurred_at,
        event_id=produced.event_id,
    )
    assert rebuilt == produced, f"{path.name}: EventType.new does not rebuild the same envelope"
    assert json.loads(produced.model_dump_json()) == json.loads(raw), (
        f"{path.name} does not round-trip: it holds values the model rewrites; save the "
        "model's own JSON dump"
    )

    schema = event_schemas(Catalog([event_type]))[f"{event_type.schema_name}.json"]
    errors = sorted(Draft202012Validator(schema).iter_errors(json.loads(raw)), key=str)
    assert not errors, f"{path.name} breaks its JSON Schema: {[e.message for e in errors]}"
