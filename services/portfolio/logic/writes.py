"""The item writes of one commit, as plain data: the DynamoDB adapter turns them into one
TransactWriteItems call, the in-memory store of the unit tests applies them directly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.portfolio.logic import keys
from services.portfolio.logic.facts import StreamId
from services.portfolio.logic.folds import Change, Contribution, Projection


@dataclass(frozen=True)
class PutCurrent:
    """The entity's CURRENT item, written only if its revision is still `expected_revision`."""

    item: dict[str, Any]
    expected_revision: int


@dataclass(frozen=True)
class PutItem:
    item: dict[str, Any]


@dataclass(frozen=True)
class AddToCounter:
    pk: str
    sk: str
    dims: dict[str, str]
    deltas: dict[str, Decimal]


@dataclass(frozen=True)
class DeleteItem:
    pk: str
    sk: str


Write = PutCurrent | PutItem | AddToCounter | DeleteItem


def current_item(
    stream: StreamId, revision: int, projection: Projection, contribution: Contribution
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": keys.stream_pk(stream),
        "sk": keys.CURRENT_SK,
        "kind": stream.kind,
        "revision": revision,
        "contribution": contribution.to_json(),
        "held": projection.current is None,
    }
    if projection.current is not None:
        item.update({k: v for k, v in projection.current.items() if v is not None})
    return item


def commit_writes(
    stream: StreamId,
    expected_revision: int,
    revision: int,
    projection: Projection,
    change: Change,
) -> list[Write]:
    writes: list[Write] = [
        PutCurrent(
            current_item(stream, revision, projection, Contribution.of(projection)),
            expected_revision,
        )
    ]
    agg = keys.agg_pk(stream.account_id)
    for sk, deltas in change.counter_deltas.items():
        counter = projection.counters.get(sk)
        writes.append(AddToCounter(agg, sk, counter.dims if counter else {}, deltas))
    for (pk, sk), marker in change.markers_to_put.items():
        writes.append(
            PutItem({"pk": pk, "sk": sk, **{k: v for k, v in marker.items() if v is not None}})
        )
    writes.extend(DeleteItem(pk, sk) for pk, sk in change.markers_to_delete)
    return writes
