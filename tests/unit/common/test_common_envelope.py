"""contracts/envelope.py and EventType.new: the shape every event has on the bus."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import Field, ValidationError

from contracts.envelope import EventData
from contracts.event_type import EventType

pytestmark = pytest.mark.unit


class MeterAddedData(EventData):
    meter_id: str = Field(min_length=1)


class OtherData(EventData):
    meter_id: str


METER_ADDED = EventType(
    detail_type="MeterAdded", version=1, service="example", data_model=MeterAddedData
)
WHEN = datetime(2026, 3, 2, 9, 14, 27, tzinfo=UTC)


def _envelope(**overrides: Any) -> dict[str, Any]:
    return {
        "event_id": "6f1e2d3c-4b5a-4978-8796-a5b4c3d2e100",
        "detail_type": "MeterAdded",
        "version": 1,
        "source": "scts.example",
        "occurred_at": "2026-03-02T09:14:27Z",
        "account_id": "acc-7f3c2a91",
        "correlation_id": "Ab3dEfGhIjKlMnO=",
        "causation_id": None,
        "data": {"meter_id": "SE3-1"},
    } | overrides


def test_new_builds_a_complete_envelope() -> None:
    event = METER_ADDED.new(MeterAddedData(meter_id="SE3-1"), "acc-7f3c2a91", "req-1")
    assert (event.detail_type, event.version, event.source) == ("MeterAdded", 1, "scts.example")
    assert (event.account_id, event.correlation_id, event.causation_id) == (
        "acc-7f3c2a91",
        "req-1",
        None,
    )
    assert event.occurred_at.tzinfo is not None
    assert isinstance(event.event_id, UUID)
    assert event.data == MeterAddedData(meter_id="SE3-1")


def test_new_gives_each_event_its_own_id_unless_told() -> None:
    data = MeterAddedData(meter_id="SE3-1")
    assert METER_ADDED.new(data, None, "c").event_id != METER_ADDED.new(data, None, "c").event_id
    fixed = UUID("6f1e2d3c-4b5a-4978-8796-a5b4c3d2e100")
    assert METER_ADDED.new(data, None, "c", "cause", WHEN, event_id=fixed).event_id == fixed


def test_new_refuses_data_of_another_type() -> None:
    with pytest.raises(TypeError, match=r"MeterAdded\.v1 carries MeterAddedData, not OtherData"):
        METER_ADDED.new(OtherData(meter_id="SE3-1"), None, "req-1")


def test_new_refuses_a_naive_time_and_an_empty_correlation_id() -> None:
    data = MeterAddedData(meter_id="SE3-1")
    with pytest.raises(ValidationError, match="occurred_at"):
        METER_ADDED.new(data, None, "req-1", occurred_at=datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValidationError, match="correlation_id"):
        METER_ADDED.new(data, None, "")


def test_envelope_is_frozen() -> None:
    event = METER_ADDED.new(MeterAddedData(meter_id="SE3-1"), None, "req-1")
    with pytest.raises(ValidationError):
        event.correlation_id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        event.data.meter_id = "other"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"extra": 1}, "extra"),
        ({"data": {"meter_id": "SE3-1", "extra": 1}}, "data.extra"),
        ({"occurred_at": "2026-03-02T09:14:27"}, "occurred_at"),
        ({"source": "identity"}, "source"),
        ({"source": "scts.Identity"}, "source"),
        ({"source": "aws.events"}, "source"),
        ({"version": 0}, "version"),
        ({"detail_type": "meter_added"}, "detail_type"),
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"data": {}}, "data.meter_id"),
    ],
)
def test_envelope_rejects(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        METER_ADDED.envelope_model().model_validate(_envelope(**overrides))
    assert field in {".".join(str(p) for p in e["loc"]) for e in raised.value.errors()}


def test_envelope_accepts_the_canonical_form_and_round_trips() -> None:
    model = METER_ADDED.envelope_model()
    event = model.model_validate(_envelope())
    assert model.model_validate_json(event.model_dump_json()) == event


@pytest.mark.parametrize(
    "declaration",
    [
        {"detail_type": "meterAdded"},
        {"version": 0},
        {"service": "Example"},
        {"data_model": dict},
    ],
)
def test_event_type_declarations_are_checked(declaration: dict[str, Any]) -> None:
    fields = {
        "detail_type": "MeterAdded",
        "version": 1,
        "service": "example",
        "data_model": MeterAddedData,
    }
    with pytest.raises(ValidationError):
        EventType(**(fields | declaration))
