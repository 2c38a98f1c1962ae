"""The read-model items of one projection commit, as plain data: the DynamoDB adapter turns
them into one TransactWriteItems call; the unit tests' in-memory store applies them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.portfolio.adapters import keys
from services.portfolio.logic.collections import MarkerKey
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.ports import Contribution, StreamState
from services.portfolio.logic.projection import Change, Projection, counted

LIST_DATE = {"trade": "trade_date", "retirement": "retired_on", "invoice": "issue_date"}
"""The date each entity kind's list is ordered by."""


@dataclass(frozen=True)
class PutCurrent:
    """The entity's CURRENT item, written only if its revision is still `expected_revision`."""

    item: dict[str, Any]
    expected_revision: int


@dataclass(frozen=True)
class PutItem:
    item: dict[str, Any]


@dataclass(frozen=True)
class PutFact:
    """A new fact, written only if its key is still absent (another delivery of the same
    event may have stored it meanwhile: then the whole commit is refused)."""

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


Write = PutCurrent | PutFact | PutItem | AddToCounter | DeleteItem


def index_attributes(
    stream: StreamId, current: dict[str, Any], facet: str | None
) -> dict[str, str]:
    """Where the entity appears in the list indexes (bydate, byvolume, byfacet)."""
    account, reference = stream.account_id, stream.reference
    by_date = keys.date_sort_key(current[LIST_DATE[stream.kind]], reference)
    attributes = {"gsi1pk": keys.list_pk(stream.kind, account), "gsi1sk": by_date}
    if stream.kind == "trade":
        attributes["gsi2pk"] = keys.list_pk(stream.kind, account)
        attributes["gsi2sk"] = keys.volume_sort_key(Decimal(current["volume_mwh"]), reference)
    if facet is not None:
        attributes["gsi3pk"] = keys.facet_pk(stream.kind, account, facet)
        attributes["gsi3sk"] = by_date
    return attributes


def current_item(
    stream: StreamId, revision: int, projection: Projection, contribution: str
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": keys.stream_pk(stream),
        "sk": keys.CURRENT_SK,
        "kind": stream.kind,
        "revision": revision,
        "contribution": contribution,
        "held": projection.current is None,
    }
    if projection.current is not None:
        item.update({k: v for k, v in projection.current.items() if v is not None})
        item.update(index_attributes(stream, projection.current, projection.facet))
    return item


def marker_digest(item: dict[str, Any]) -> str:
    """A stable digest of a marker's content: unchanged markers are not rewritten."""
    text = json.dumps(item, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def contribution_json(counters: dict[str, dict[str, Decimal]], markers: dict[str, str]) -> str:
    return json.dumps(
        {
            "counters": {
                k: {a: str(v) for a, v in amounts.items()}
                for k, amounts in sorted(counters.items())
            },
            "markers": dict(sorted(markers.items())),
        }
    )


def contribution_from_json(text: str | None) -> Contribution:
    if not text:
        return Contribution()
    raw = json.loads(text)
    return Contribution(
        counters={
            k: {a: Decimal(v) for a, v in amounts.items()} for k, amounts in raw["counters"].items()
        },
        markers=dict(raw["markers"]),
    )


def marker_items(key: MarkerKey, content: dict[str, Any]) -> list[dict[str, Any]]:
    attributes = {k: v for k, v in content.items() if v is not None}
    attributes |= keys.marker_index_attributes(key, content)
    return [{"pk": pk, "sk": sk, **attributes} for pk, sk in keys.marker_keys(key)]


def fact_item(stream: StreamId, fact: Fact) -> dict[str, Any]:
    return {"pk": keys.stream_pk(stream), "sk": keys.fact_sk(fact.key), "fact": fact.to_record()}


def commit_writes(
    stream: StreamId,
    state: StreamState,
    projection: Projection,
    change: Change,
    new_fact: Fact | None = None,
) -> list[Write]:
    """The new fact (if any), CURRENT (guarded by the revision read), counter deltas,
    changed and removed markers."""
    markers = {keys.marker_id(key): (key, content) for key, content in projection.markers.items()}
    digests = {stored: marker_digest(content) for stored, (_, content) in markers.items()}
    contribution = contribution_json(counted(projection), digests)
    writes: list[Write] = [] if new_fact is None else [PutFact(fact_item(stream, new_fact))]
    writes.append(
        PutCurrent(current_item(stream, len(state.facts), projection, contribution), state.revision)
    )
    for name, deltas in change.counter_deltas.items():
        counter = projection.counters.get(name)
        pk = keys.counter_pk(stream.account_id, name)
        writes.append(AddToCounter(pk, name, counter.dims if counter else {}, deltas))
    previous = state.contribution.markers
    for stored, (key, content) in markers.items():
        if previous.get(stored) != digests[stored]:
            writes.extend(PutItem(item) for item in marker_items(key, content))
    for stored in sorted(previous):
        if stored not in markers:
            writes.extend(DeleteItem(pk, sk) for pk, sk in keys.items_of_marker_id(stored))
    return writes
