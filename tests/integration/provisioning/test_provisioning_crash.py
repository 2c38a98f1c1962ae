"""A Lambda killed right after any one of its DynamoDB writes (each write of the batch in
turn) leaves no state without its event: the state change and its outbox row are one
transaction. The publisher's retry then completes the batch, and every trade state is
matched by exactly one event of its version: nothing lost, nothing doubled.

Written so that storing the outbox row in a separate transaction (or any write order in
which state can land without its event) fails here, whatever the number of requests.
Against DynamoDB Local (AWS's engine; transactions are where it matters, and it is fast).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.aws import client
from infra.local.demo import records as testdata
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic.ingest import IngestContext, ingest
from services.provisioning.logic.lifecycle import Outcome
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from services.provisioning.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

WRITES = frozenset({"TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"})
TRADES = 51
"""One more than a transaction holds (50 trades + their events): a crash can also fall
between two chunks of the same batch."""
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PUBLISHER = Publisher(
    publisher_id="pub-stx", name="STX", account_ids=None, created_at=NOW, created_by="admin"
)
CONTEXT = IngestContext(publisher=PUBLISHER, correlation_id="req", clock=lambda: NOW)


class Killed(RuntimeError):
    """The Lambda died here."""


class Killer:
    """Raises after the `after`-th successful DynamoDB write call of the client."""

    def __init__(self, dynamodb: Any) -> None:
        self.after: int | None = None
        self.writes = 0
        dynamodb.meta.events.register("after-call.dynamodb.*", self._after_call)

    def _after_call(self, model: Any, **_: Any) -> None:
        if model.name not in WRITES:
            return
        self.writes += 1
        if self.after is not None and self.writes == self.after:
            raise Killed(f"after write {self.writes} ({model.name})")

    def arm(self, after: int | None) -> None:
        self.after, self.writes = after, 0


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        yield client("dynamodb", url)


def store_on(dynamodb: Any, name: str) -> DynamoRecordStore:
    create_table(dynamodb, name, TOPOLOGY.tables[0])
    store = DynamoRecordStore(dynamodb, None, name, "unused")
    store.record_account("acc-1", "Nordic AB", 1)
    linked = ingest(
        RecordKind.COUNTERPARTIES,
        enumerate([testdata.counterparty("STX-CP-0001", "acc-1", "N")]),
        store,
        CONTEXT,
    )
    assert linked[0].outcome is Outcome.ACCEPTED
    return store


def trade_states_and_events(
    dynamodb: Any, table: str
) -> tuple[dict[str, int], Counter[tuple[str, int]]]:
    """Trade reference -> stored version; (reference, version) -> events in the outbox."""
    states: dict[str, int] = {}
    events: Counter[tuple[str, int]] = Counter()
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page["Items"]:
            if "outbox" in item:
                envelope = json.loads(item["envelope"]["S"])
                if envelope["detail_type"].startswith("Trade"):
                    data = envelope["data"]
                    events[(data["reference"], data["version"])] += 1
            elif item["pk"]["S"].startswith(f"{RecordKind.TRADES}#") and item["sk"]["S"] == "STATE":
                reference = item["pk"]["S"].removeprefix(f"{RecordKind.TRADES}#")
                states[reference] = int(item["version"]["N"])
    return states, events


def push(store: DynamoRecordStore, records: list[dict[str, Any]]) -> list[Outcome]:
    return [r.outcome for r in ingest(RecordKind.TRADES, enumerate(records), store, CONTEXT)]


def test_a_crash_after_any_write_leaves_no_state_without_its_event(dynamodb_local: Any) -> None:
    killer = Killer(dynamodb_local)
    records = [testdata.trade(f"STX-T-{n:03d}") for n in range(TRADES)]
    clean = store_on(dynamodb_local, "crash-clean")
    killer.arm(None)
    assert set(push(clean, records)) == {Outcome.ACCEPTED}
    writes_per_batch = killer.writes
    assert writes_per_batch >= 2  # a transaction per chunk at least

    for crash_after in range(1, writes_per_batch + 1):
        table = f"crash-{crash_after}"
        store = store_on(dynamodb_local, table)
        killer.arm(crash_after)
        with pytest.raises(Killed):
            push(store, records)
        states, events = trade_states_and_events(dynamodb_local, table)
        orphans = sorted(r for r, v in states.items() if events[(r, v)] != 1)
        assert orphans == [], f"killed after write {crash_after}: state without its event"

        killer.arm(None)  # the publisher got no answer and sends the batch again
        assert set(push(store, records)) <= {Outcome.ACCEPTED, Outcome.DUPLICATE}
        states, events = trade_states_and_events(dynamodb_local, table)
        assert states == {r["reference"]: 1 for r in records}
        assert events == Counter({(r["reference"], 1): 1 for r in records})
