"""An in-memory ProjectionStore applying the same writes the DynamoDB adapter sends."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.portfolio.adapters import keys
from services.portfolio.adapters.items import (
    AddToCounter,
    DeleteItem,
    PutCurrent,
    PutFact,
    PutItem,
    commit_writes,
    contribution_from_json,
    fact_item,
)
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.ports import StreamState
from services.portfolio.logic.projection import Change, Projection


class MemoryStore:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self._facts: dict[str, dict[str, Fact]] = {}
        """Facts per partition, so a load does not scan every item."""

    def store_fact_alone(self, fact: Fact) -> None:
        """What a crash between the two writes of earlier code left: a fact, not folded."""
        item = fact_item(fact.stream, fact)
        self.items[(item["pk"], item["sk"])] = item
        self._facts.setdefault(item["pk"], {})[item["sk"]] = fact

    def note_activity(self, stream: StreamId, occurred_at: datetime) -> None:
        key = (keys.agg_pk(stream.account_id), keys.activity_sk(stream.kind))
        at = keys.activity_at(occurred_at)
        item = self.items.setdefault(key, {"pk": key[0], "sk": key[1]})
        if item.get("at", "") < at:
            item["at"] = at

    def load(self, stream: StreamId) -> StreamState:
        pk = keys.stream_pk(stream)
        stored = self._facts.get(pk, {})
        facts = [Fact.from_record(self.items[(pk, sk)]["fact"]) for sk in sorted(stored)]
        current = self.items.get((pk, keys.CURRENT_SK))
        return StreamState(
            facts=facts,
            revision=current["revision"] if current else 0,
            contribution=contribution_from_json(current["contribution"] if current else None),
        )

    def commit(
        self,
        stream: StreamId,
        state: StreamState,
        projection: Projection,
        change: Change,
        new_fact: Fact | None = None,
    ) -> bool:
        writes = commit_writes(stream, state, projection, change, new_fact)
        for write in writes:
            if isinstance(write, PutCurrent):
                stored = self.items.get((write.item["pk"], write.item["sk"]))
                if (stored["revision"] if stored else 0) != write.expected_revision:
                    return False
            if isinstance(write, PutFact) and (write.item["pk"], write.item["sk"]) in self.items:
                return False
        for write in writes:
            if isinstance(write, PutFact):
                pk, sk = write.item["pk"], write.item["sk"]
                self.items[(pk, sk)] = copy.deepcopy(write.item)
                self._facts.setdefault(pk, {})[sk] = Fact.from_record(write.item["fact"])
            elif isinstance(write, PutCurrent | PutItem):
                self.items[(write.item["pk"], write.item["sk"])] = copy.deepcopy(write.item)
            elif isinstance(write, AddToCounter):
                item = self.items.setdefault((write.pk, write.sk), {"pk": write.pk, "sk": write.sk})
                item.update(write.dims)
                for name, delta in write.deltas.items():
                    item[name] = item.get(name, Decimal(0)) + delta
            elif isinstance(write, DeleteItem):
                self.items.pop((write.pk, write.sk), None)
        return True

    def observable(self) -> dict[tuple[str, str], dict[str, Any]]:
        """What a reader sees: counters read missing amounts as zero, so zeros are dropped."""
        return observable(self.items)


def observable(
    items: dict[tuple[str, str], dict[str, Any]],
) -> dict[tuple[str, str], dict[str, Any]]:
    visible = {}
    for key, item in items.items():
        if item["pk"].endswith("#AGG"):
            item = {k: v for k, v in item.items() if not (isinstance(v, Decimal) and v == 0)}
            if not any(isinstance(v, Decimal) for v in item.values()):
                continue
        visible[key] = item
    return visible
