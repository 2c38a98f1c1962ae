"""Event contracts: every catalog type has a fixture both producer and consumer accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.catalog import CATALOG, Catalog, EnvelopeMismatch, UnknownEventType
from contracts.event_type import EventType
from infra.contracts_export import CONTRACTS_DIR
from services.topologies import TOPOLOGIES
from tests.contract.contract_checks import check_fixture, eventbridge_delivery
from tests.contract.example_event import EXAMPLE_CATALOG, EXAMPLE_FIXTURES, METER_READING_RECORDED

pytestmark = pytest.mark.contract

FIXTURES = CONTRACTS_DIR / "fixtures"

CASES = [pytest.param(t, FIXTURES, CATALOG, id=t.schema_name) for t in CATALOG] + [
    pytest.param(METER_READING_RECORDED, EXAMPLE_FIXTURES, EXAMPLE_CATALOG, id="test-only")
]


@pytest.mark.parametrize(("event_type", "fixtures_dir", "catalog"), CASES)
def test_fixture_is_accepted_by_producer_and_consumer(
    event_type: EventType, fixtures_dir: Path, catalog: Catalog
) -> None:
    check_fixture(event_type, fixtures_dir, catalog)


def test_every_fixture_names_a_catalog_type() -> None:
    known = {t.schema_name for t in CATALOG}
    orphans = sorted(p.name for p in FIXTURES.glob("*.json") if p.stem not in known)
    assert not orphans, f"fixtures for event types nobody declares: {orphans}"


def test_fixture_check_fails_for_a_type_without_fixture(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="has no fixture"):
        check_fixture(METER_READING_RECORDED, tmp_path, EXAMPLE_CATALOG)


def test_fixture_check_fails_for_a_non_canonical_fixture(tmp_path: Path) -> None:
    fixture = json.loads((EXAMPLE_FIXTURES / "MeterReadingRecorded.v1.json").read_text())
    fixture["occurred_at"] = "2026-02-03T10:00:01.25+02:00"
    (tmp_path / "MeterReadingRecorded.v1.json").write_text(json.dumps(fixture))
    with pytest.raises(AssertionError, match="round-trip"):
        check_fixture(METER_READING_RECORDED, tmp_path, EXAMPLE_CATALOG)


def test_consumer_rejects_an_envelope_from_the_wrong_source() -> None:
    fixture = json.loads((EXAMPLE_FIXTURES / "MeterReadingRecorded.v1.json").read_text())
    fixture["source"] = "scts.identity"
    with pytest.raises(UnknownEventType, match=r"published by scts\.example"):
        EXAMPLE_CATALOG.parse(fixture)


def test_consumer_rejects_an_eventbridge_header_that_disagrees_with_the_envelope() -> None:
    raw = (EXAMPLE_FIXTURES / "MeterReadingRecorded.v1.json").read_text()
    delivered = json.loads(eventbridge_delivery(raw))
    delivered["detail-type"] = "SomethingElse"
    with pytest.raises(EnvelopeMismatch):
        EXAMPLE_CATALOG.parse_eventbridge(delivered)


def test_consumer_rejects_an_unknown_version() -> None:
    fixture = json.loads((EXAMPLE_FIXTURES / "MeterReadingRecorded.v1.json").read_text())
    fixture["version"] = 2
    with pytest.raises(UnknownEventType, match="MeterReadingRecorded v2"):
        EXAMPLE_CATALOG.parse(fixture)


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda t: t.service)
def test_topology_publishes_exactly_its_catalog_types(topology) -> None:
    declared = set(topology.publishes)
    in_catalog = {t.detail_type for t in CATALOG.of_service(topology.service)}
    assert declared == in_catalog, (
        f"{topology.service}: topology publishes {sorted(declared)}, but "
        f"contracts/events/{topology.service}.py declares {sorted(in_catalog)}"
    )


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda t: t.service)
def test_subscriptions_name_catalog_types_from_their_sources(topology) -> None:
    by_name: dict[str, set[str]] = {}
    for event_type in CATALOG:
        by_name.setdefault(event_type.detail_type, set()).add(event_type.source)
    for subscription in topology.subscriptions:
        for detail_type in subscription.detail_types:
            assert detail_type in by_name, (
                f"{topology.service}/{subscription.name} subscribes to {detail_type}, "
                "which no service declares"
            )
            assert by_name[detail_type] <= set(subscription.sources), (
                f"{topology.service}/{subscription.name}: {detail_type} comes from "
                f"{sorted(by_name[detail_type])}, not listed in its sources"
            )


def test_an_old_retirement_is_read_as_the_newest_version_with_its_account_unknown() -> None:
    raw = (FIXTURES / "RetirementCompleted.v1.json").read_text()
    published = CATALOG.parse(raw, upcast=False)
    consumed = CATALOG.parse(raw)
    assert (published.version, consumed.version) == (1, 2)
    assert consumed.data.registry_account is None
    v1_fields = published.data.model_dump()
    assert {k: v for k, v in consumed.data.model_dump().items() if k in v1_fields} == v1_fields
    assert (consumed.event_id, consumed.occurred_at) == (published.event_id, published.occurred_at)


def test_stored_data_of_an_old_version_upcasts_through_the_catalog() -> None:
    fixture = json.loads((FIXTURES / "RetirementCompleted.v1.json").read_text())
    event_type, data = CATALOG.upcast_data("RetirementCompleted", 1, fixture["data"])
    assert event_type == CATALOG.newest("RetirementCompleted")
    assert event_type.version == 2
    assert data.registry_account is None


def test_a_catalog_refuses_a_version_without_an_upcaster_to_it() -> None:
    newer = METER_READING_RECORDED.model_copy(update={"version": 2})
    with pytest.raises(ValueError, match="no upcaster"):
        Catalog([METER_READING_RECORDED, newer])
    from contracts.upcasting import Upcaster

    with pytest.raises(ValueError, match="one version to the next"):
        Upcaster(newer, METER_READING_RECORDED, dict)
    catalog = Catalog(
        [METER_READING_RECORDED, newer], [Upcaster(METER_READING_RECORDED, newer, dict)]
    )
    fixture = json.loads((EXAMPLE_FIXTURES / "MeterReadingRecorded.v1.json").read_text())
    assert catalog.parse(fixture).version == 2
    assert catalog.parse(fixture, upcast=False).version == 1
