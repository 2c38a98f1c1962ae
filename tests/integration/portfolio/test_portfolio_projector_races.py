"""The projector against DynamoDB Local (AWS's own engine) when deliveries race: the fact
and its fold are one transaction, refused when the fact was stored meanwhile or the
entity's revision moved, so whatever the interleaving, the table ends as if the facts had
been applied one by one (the in-memory store's result)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from infra.local.aws import client
from services.portfolio.adapters.dynamo import DynamoProjectionStore
from services.portfolio.adapters.serde import scan_items
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.ports import StreamState
from services.portfolio.logic.projection import Change, Projection
from services.portfolio.logic.projector import CommitContention, Outcome, apply_fact
from services.portfolio.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table
from tests.unit.portfolio.portfolio_factories import delivery, fact, trade
from tests.unit.portfolio.portfolio_memory_store import MemoryStore, observable

pytestmark = pytest.mark.integration
ACCOUNT = "acct-race"


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        yield client("dynamodb", url)


@pytest.fixture
def table(dynamodb: Any, request: pytest.FixtureRequest) -> str:
    name = f"projection-{request.node.name[:40].replace('[', '-').strip(']')}"
    create_table(dynamodb, name, TOPOLOGY.tables[0])
    return name


class RivalFirst(DynamoProjectionStore):
    """Lets a rival delivery apply its fact between this store's read and its commit."""

    def __init__(self, table: str, dynamodb: Any, rival: Fact) -> None:
        super().__init__(table, dynamodb)
        self.rival: Fact | None = rival

    def commit(
        self,
        stream: StreamId,
        state: StreamState,
        projection: Projection,
        change: Change,
        new_fact: Fact | None = None,
    ) -> bool:
        if self.rival is not None:
            rival, self.rival = self.rival, None
            assert apply_fact(DynamoProjectionStore(self._table, self._client), rival) in (
                Outcome.APPLIED,
                Outcome.HELD,
            )
        return super().commit(stream, state, projection, change, new_fact)


def sequential(facts: list[Fact]) -> dict[tuple[str, str], dict[str, Any]]:
    store = MemoryStore()
    for each in facts:
        apply_fact(store, each)
    return normalized(store.items)


def stored(dynamodb: Any, table: str) -> dict[tuple[str, str], dict[str, Any]]:
    return normalized({(i["pk"], i["sk"]): i for i in scan_items(dynamodb, table)})


def normalized(items: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], Any]:
    def number(value: Any) -> Any:
        is_number = isinstance(value, int | Decimal) and not isinstance(value, bool)
        return Decimal(value) if is_number else value

    return {
        key: {name: number(value) for name, value in item.items()}
        for key, item in observable(items).items()
    }


def test_a_duplicate_delivery_that_loses_the_race_finds_its_fact_and_adds_nothing(
    dynamodb: Any, table: str
) -> None:
    executed = fact(trade(ACCOUNT, "T1"))

    outcome = apply_fact(RivalFirst(table, dynamodb, rival=executed), executed)

    assert outcome is Outcome.DUPLICATE
    assert stored(dynamodb, table) == sequential([executed])


def test_a_newer_version_whose_read_went_stale_re_folds_and_keeps_both(
    dynamodb: Any, table: str
) -> None:
    executed = fact(trade(ACCOUNT, "T1", 1, volume="100"))
    amended = fact(trade(ACCOUNT, "T1", 2, status="amended", volume="250"))
    again = fact(trade(ACCOUNT, "T1", 3, status="amended", volume="180"))
    part = fact(delivery(ACCOUNT, "T1", "D1", quantity=40))

    assert apply_fact(RivalFirst(table, dynamodb, rival=executed), amended) is Outcome.APPLIED
    assert apply_fact(RivalFirst(table, dynamodb, rival=again), part) is Outcome.APPLIED
    assert apply_fact(DynamoProjectionStore(table, dynamodb), amended) is Outcome.DUPLICATE

    assert stored(dynamodb, table) == sequential([executed, amended, again, part])


def test_concurrent_deliveries_with_duplicates_end_as_one_by_one(dynamodb: Any, table: str) -> None:
    facts = [
        fact(trade(ACCOUNT, "T1", 1, volume="100")),
        fact(trade(ACCOUNT, "T1", 2, status="amended", volume="300")),
        fact(delivery(ACCOUNT, "T1", "D1", quantity=50)),
        fact(trade(ACCOUNT, "T2", 1, volume="70")),
        fact(trade(ACCOUNT, "T2", 2, status="cancelled", volume="70")),
    ]
    deliveries = facts * 3  # every event delivered three times, all at once
    errors: list[BaseException] = []

    def deliver(each: Fact) -> None:
        store = DynamoProjectionStore(table, dynamodb)
        for _ in range(20):  # a CommitContention goes back to the queue and comes again
            try:
                apply_fact(store, each)
                return
            except CommitContention:
                continue
            except BaseException as exc:
                errors.append(exc)
                return
        errors.append(AssertionError(f"{each.key} never committed"))

    threads = [threading.Thread(target=deliver, args=(each,)) for each in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert stored(dynamodb, table) == sequential(facts)
