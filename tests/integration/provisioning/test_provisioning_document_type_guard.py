"""The state item's condition on DynamoDB Local (AWS's own engine) keeps an invoice's
document type even for a write that nothing judged (`decide` bypassed): two writers cannot
slip a change through between a read and a write. States stored before the type was kept
have none and are not judged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.aws import client
from services.provisioning.adapters.records import DynamoRecordStore, state_key
from services.provisioning.logic.planning import Candidate, IngestContext, PlannedWrite, plan
from services.provisioning.logic.validation import validate_record
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table
from tests.unit.provisioning.document_type_records import INVOICE, invoice

pytestmark = pytest.mark.integration

TABLE = "records-document-type"
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
CONTEXT = IngestContext(
    publisher=Publisher(
        publisher_id="pub-stx", name="STX", account_ids=None, created_at=NOW, created_by="admin"
    ),
    correlation_id="req",
    clock=lambda: NOW,
)


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        dynamodb = client("dynamodb", url)
        create_table(dynamodb, TABLE, TOPOLOGY.tables[0])
        yield dynamodb


def unjudged_write(record: dict[str, Any]) -> PlannedWrite:
    valid = validate_record(RecordKind.INVOICES, record, NOW.date())
    return plan(RecordKind.INVOICES, Candidate(0, valid, "acc-1"), CONTEXT)


def test_the_state_condition_refuses_a_type_change_nothing_judged(dynamodb_local: Any) -> None:
    store = DynamoRecordStore(dynamodb_local, None, TABLE, "unused")
    assert store.apply([unjudged_write(invoice(1, "invoice"))]) == {}
    refused = store.apply([unjudged_write(invoice(2, "credit_note"))])
    assert [(p, s.version, s.document_type) for p, s in refused.items() if s] == [(0, 1, "invoice")]
    assert store.apply([unjudged_write(invoice(2, "invoice"))]) == {}
    dynamodb_local.update_item(
        TableName=TABLE,
        Key=state_key(RecordKind.INVOICES, INVOICE),
        UpdateExpression="REMOVE document_type",
    )
    assert store.apply([unjudged_write(invoice(3, "credit_note"))]) == {}
    (state,) = store.current_states(RecordKind.INVOICES, {INVOICE}).values()
    assert (state.version, state.document_type) == (3, "credit_note")
