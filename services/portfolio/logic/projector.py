"""Applying one fact to the read model: read the entity's facts, fold them with the new one,
and commit the fact with the change in one transaction.

The commit is guarded by the entity's revision (the number of facts folded into its
stored current view) and by the fact's key being absent. Facts are only ever added, so a
later consistent read sees a superset of an earlier one: two consumers folding
concurrently cannot overwrite a newer fold with an older one, and the loser simply
re-reads and re-folds (a second delivery of the same event then finds its fact stored: a
duplicate). A fact is never stored without its fold; a stream whose revision is behind its
facts (stored that way by an earlier version of this code) is reconciled by the next
delivery, a duplicate's too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from contracts.events import provisioning as prov
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.folds import fold
from services.portfolio.logic.ports import ProjectionStore, StreamState
from services.portfolio.logic.projection import Projection, change_between
from services.portfolio.logic.trade_folds import effective_trade_versions

MAX_COMMIT_ATTEMPTS = 8


class Outcome(StrEnum):
    APPLIED = "applied"
    STALE = "stale"
    """A new fact that does not change the current view (older version, after cancel)."""
    DUPLICATE = "duplicate"
    HELD = "held"
    """Kept, not visible yet (e.g. a delivery before its trade)."""


class CommitContention(RuntimeError):
    """Too many concurrent writers on one entity; the event is retried from the queue."""


def _is_stale(fact: Fact, facts: list[Fact], projection: Projection) -> bool:
    if isinstance(fact.data, prov.Delivery):
        newest = max(
            (
                f.version
                for f in facts
                if isinstance(f.data, prov.Delivery) and f.data.reference == fact.data.reference
            ),
            default=fact.version,
        )
        return newest > fact.version
    if isinstance(fact.data, prov.Trade):
        effective = {f.version for f in effective_trade_versions(facts)}
        return fact.version not in effective or fact.version < projection.applied_version
    return fact.version < projection.applied_version


def apply_event_fact(store: ProjectionStore, fact: Fact) -> Outcome:
    """The event's fact, then its copies in other entities (a credit note in the invoices
    it credits). Each is its own guarded commit: a failure after the first is retried
    from the queue, and the facts already stored are duplicates then. The outcome is the
    event's own."""
    outcome = apply_fact(store, fact)
    for copy in credit_copies(store, fact):
        apply_fact(store, copy)
    return outcome


def credit_copies(store: ProjectionStore, fact: Fact) -> list[Fact]:
    """A credit note's newest known version, copied into every invoice any of its known
    versions credits: an invoice that an amendment no longer credits learns so (its fold
    counts the note zero then), whichever version arrives first."""
    if not fact.applied_elsewhere():
        return []
    versions = [
        known
        for known in store.load(fact.stream).facts
        if known.credits is None and isinstance(known.data, prov.Invoice)
    ]
    newest = max(versions, key=lambda known: known.version, default=fact)
    credited = {
        copy.credits for known in versions for copy in known.applied_elsewhere() if copy.credits
    }
    return [replace(newest, credits=reference) for reference in sorted(credited)]


class LatestActivity:
    """The newest fact per account and entity kind among many: the account's last activity
    is kept once for a whole batch (`ProjectionStore.note_activity` keeps a maximum, so
    once with the newest is the same as once per fact), not once per event."""

    def __init__(self) -> None:
        self._newest: dict[tuple[str, str], tuple[StreamId, datetime]] = {}

    def see(self, fact: Fact) -> None:
        key = (fact.stream.account_id, fact.stream.kind)
        known = self._newest.get(key)
        if known is None or known[1] < fact.occurred_at:
            self._newest[key] = (fact.stream, fact.occurred_at)

    def keep(self, store: ProjectionStore) -> None:
        for stream, occurred_at in self._newest.values():
            store.note_activity(stream, occurred_at)
        self._newest.clear()


def apply_fact(store: ProjectionStore, fact: Fact) -> Outcome:
    stream = fact.stream
    for _ in range(MAX_COMMIT_ATTEMPTS):
        state = store.load(stream)
        added = all(known.key != fact.key for known in state.facts)
        if added:
            state = StreamState([*state.facts, fact], state.revision, state.contribution)
        projection = fold(stream, state.facts)
        if state.revision < len(state.facts):
            change = change_between(state.contribution.counters, projection)
            if not store.commit(stream, state, projection, change, fact if added else None):
                continue
        if not added:
            return Outcome.DUPLICATE
        if projection.current is None:
            return Outcome.HELD
        return Outcome.STALE if _is_stale(fact, state.facts, projection) else Outcome.APPLIED
    raise CommitContention(f"{stream} kept changing under {MAX_COMMIT_ATTEMPTS} attempts")
