"""What a dry run would have written, carried from one batch (upload chunk) to the next.

A real upload writes each chunk, so a later chunk is judged against the earlier ones. A dry
run writes nothing; it keeps the states its accepted records would have left in a
`DryRunOverlay`, which `ingest(..., dry_run=True, overlay=...)` reads before the store and
updates with every accepted record: a trade executed in row 10 and amended in row 900, a
delivery's newer version, and a trade's running delivered total across chunks are judged as
a real run would judge them.

This is the one part of an upload that grows with the file: one small state per distinct
entity the file touches (accepted references, and trades whose delivered total changed),
never the rows or bytes themselves (measured: ~0.7 KB per trade reference, so a 100 MB
CSV of distinct ~150-byte trade rows holds ~450 MB; the uploads function has 1 GB).
"""

from __future__ import annotations

from collections.abc import Collection

from services.provisioning.logic.lifecycle import StoredState
from services.provisioning.logic.ports import StateReader
from services.provisioning.models.records import RecordKind


class DryRunOverlay:
    """Simulated states per (kind, reference) and counterparty links, over a store."""

    def __init__(self) -> None:
        self._states: dict[tuple[RecordKind, str], StoredState] = {}
        self._links: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._states) + len(self._links)

    def current_states(
        self, kind: RecordKind, references: Collection[str], store: StateReader
    ) -> dict[str, StoredState]:
        """The simulated state where there is one, else the stored one (read in one call)."""
        found: dict[str, StoredState] = {}
        unread: set[str] = set()
        for reference in references:
            state = self._states.get((kind, reference))
            if state is None:
                unread.add(reference)
            else:
                found[reference] = state
        if unread:
            found.update(store.current_states(kind, unread))
        return found

    def counterparty_accounts(
        self, references: Collection[str], store: StateReader
    ) -> dict[str, str]:
        found = {r: self._links[r] for r in references if r in self._links}
        unread = set(references) - found.keys()
        if unread:
            found.update(store.counterparty_accounts(unread))
        return found

    def put(self, kind: RecordKind, reference: str, state: StoredState) -> None:
        self._states[(kind, reference)] = state

    def link(self, reference: str, account_id: str) -> None:
        """An accepted counterparties record: later records of that counterparty resolve."""
        self._links[reference] = account_id
