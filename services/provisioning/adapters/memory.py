"""An in-memory record store: the contract of the DynamoDB one, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from contracts.envelope import EventEnvelope
from services.provisioning.logic.ingest import PlannedWrite
from services.provisioning.logic.lifecycle import StoredState, write_allowed
from services.provisioning.models.records import RecordKind


class InMemoryRecordStore:
    def __init__(self, accounts: Collection[str] = (), links: dict[str, str] | None = None) -> None:
        self.accounts = set(accounts)
        self.links = dict(links or {})
        self.states: dict[tuple[RecordKind, str], StoredState] = {}
        self.outbox: list[EventEnvelope[Any]] = []
        self.files: dict[str, bytes] = {}
        self.apply_calls = 0

    def counterparty_accounts(self, references: Collection[str]) -> dict[str, str]:
        return {r: self.links[r] for r in references if r in self.links}

    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        return {a for a in account_ids if a in self.accounts}

    def current_states(
        self, kind: RecordKind, references: Collection[str]
    ) -> dict[str, StoredState]:
        return {r: self.states[(kind, r)] for r in references if (kind, r) in self.states}

    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        self.apply_calls += 1
        failed: dict[int, StoredState | None] = {}
        for position, write in enumerate(writes):
            key = (write.kind, write.record.reference)
            stored = self.states.get(key)
            if not write_allowed(write.existence, write.state, stored):
                failed[position] = stored
                continue
            self.states[key] = write.state
            self.outbox.append(write.envelope)
            if write.attachment:
                self.files[write.attachment[0]] = write.attachment[1]
            if write.kind is RecordKind.COUNTERPARTIES:
                self.links[write.record.reference] = write.account_id
        return failed
