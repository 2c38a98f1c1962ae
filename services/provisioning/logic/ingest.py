"""Batch ingest: validate every record, resolve its account, apply the valid ones.

Writes are optimistic: each record's state change and its event go to the store in one
transaction, guarded by a condition that encodes the lifecycle rules. Only a record
whose condition fails is judged against the stored state the store hands back, so new
records cost no reads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import EventEnvelope
from services.provisioning.logic.events import document_key, event_for
from services.provisioning.logic.lifecycle import (
    Decision,
    Existence,
    Outcome,
    StoredState,
    decide,
    existence,
    status_of,
    stays_open,
)
from services.provisioning.logic.validation import FieldError, RecordInvalid, validate_record
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import (
    CounterpartyRecord,
    DocumentRecord,
    OwnedRecord,
    Record,
    RecordKind,
    RetirementRecord,
    record_label,
)

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class PlannedWrite:
    """One accepted record: its new state, its event, and what the store must hold first."""

    kind: RecordKind
    record: Record
    account_id: str
    existence: Existence
    state: StoredState
    envelope: EventEnvelope[Any]
    attachment: tuple[str, bytes] | None = None


class RecordStore(Protocol):
    def counterparty_accounts(self, references: Collection[str]) -> dict[str, str]:
        """Account id per linked STX counterparty reference (unknown ones are absent)."""
        ...

    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        """The ids among `account_ids` that identity announced."""
        ...

    def current_states(
        self, kind: RecordKind, references: Collection[str]
    ) -> dict[str, StoredState]: ...

    def apply(self, writes: Sequence[PlannedWrite]) -> dict[int, StoredState | None]:
        """Write each state + event atomically; return, by position, the writes whose
        condition failed with the state found (None: nothing stored)."""
        ...


@dataclass
class RecordResult:
    index: int
    reference: str | None
    outcome: Outcome
    errors: list[FieldError] = field(default_factory=list)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestContext:
    publisher: Publisher
    correlation_id: str
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class _Candidate:
    index: int
    record: Record
    account_id: str


def _rejected(index: int, reference: str | None, field_name: str, reason: str) -> RecordResult:
    return RecordResult(index, reference, Outcome.REJECTED, [FieldError(field_name, reason)])


def _from_decision(candidate: _Candidate, decision: Decision) -> RecordResult:
    errors = [FieldError(decision.field or "(record)", decision.reason or "")]
    return RecordResult(
        candidate.index,
        candidate.record.reference,
        decision.outcome,
        errors=errors if decision.outcome is Outcome.REJECTED else [],
        reason=decision.reason if decision.outcome is Outcome.DUPLICATE else None,
    )


def _accepted(candidate: _Candidate) -> RecordResult:
    record = candidate.record
    warnings = record.warnings() if isinstance(record, RetirementRecord) else []
    return RecordResult(candidate.index, record.reference, Outcome.ACCEPTED, warnings=warnings)


def _resolve_accounts(
    kind: RecordKind,
    valid: list[tuple[int, Record]],
    store: RecordStore,
    publisher: Publisher,
) -> tuple[list[_Candidate], list[RecordResult]]:
    """Known accounts only, and only those the publisher may feed."""
    candidates: list[_Candidate] = []
    refused: list[RecordResult] = []
    if kind is RecordKind.COUNTERPARTIES:
        ids = {r.account_id for _, r in valid if isinstance(r, CounterpartyRecord)}
        known = store.known_accounts(ids) if ids else set()
        field_name = "account_id"
        accounts = {
            r.reference: r.account_id
            for _, r in valid
            if isinstance(r, CounterpartyRecord) and r.account_id in known
        }
        unknown_reason = "unknown account: the portal has no account with this id"
    else:
        refs = {r.counterparty_reference for _, r in valid if isinstance(r, OwnedRecord)}
        links = store.counterparty_accounts(refs) if refs else {}
        field_name = "counterparty_reference"
        accounts = {
            r.reference: links[r.counterparty_reference]
            for _, r in valid
            if isinstance(r, OwnedRecord) and r.counterparty_reference in links
        }
        unknown_reason = "unknown counterparty: link it with a counterparties record first"
    for index, record in valid:
        account_id = accounts.get(record.reference)
        if account_id is None:
            refused.append(_rejected(index, record.reference, field_name, unknown_reason))
        elif not publisher.may_feed(account_id):
            refused.append(
                _rejected(index, record.reference, field_name, "not an account you may feed")
            )
        else:
            candidates.append(_Candidate(index, record, account_id))
    return candidates, refused


def _new_state(record: Record, publisher_id: str) -> StoredState:
    return StoredState(
        version=record.version,
        content_hash=record.content_hash(),
        publisher_id=publisher_id,
        status=status_of(record),
        is_open=stays_open(record),
    )


def _plan(kind: RecordKind, candidate: _Candidate, context: IngestContext) -> PlannedWrite:
    record = candidate.record
    publisher_id = context.publisher.publisher_id
    attachment = None
    if isinstance(record, DocumentRecord):
        attachment = (document_key(record, candidate.account_id), record.content())
    return PlannedWrite(
        kind=kind,
        record=record,
        account_id=candidate.account_id,
        existence=existence(record),
        state=_new_state(record, publisher_id),
        envelope=event_for(
            kind,
            record,
            account_id=candidate.account_id,
            publisher_id=publisher_id,
            correlation_id=context.correlation_id,
            occurred_at=context.clock(),
        ),
        attachment=attachment,
    )


def _rounds(candidates: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """The first occurrence of each reference now, repeats later (one write per key)."""
    seen: set[str] = set()
    now: list[_Candidate] = []
    later: list[_Candidate] = []
    for candidate in candidates:
        target = later if candidate.record.reference in seen else now
        seen.add(candidate.record.reference)
        target.append(candidate)
    return now, later


def _simulate(
    kind: RecordKind, candidates: list[_Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    """Dry run: judge each record against the stored state, in order, writing nothing."""
    states = store.current_states(kind, {c.record.reference for c in candidates})
    results = []
    for candidate in candidates:
        decision = decide(
            kind,
            candidate.record,
            context.publisher.publisher_id,
            states.get(candidate.record.reference),
        )
        if decision.outcome is Outcome.ACCEPTED:
            states[candidate.record.reference] = _new_state(
                candidate.record, context.publisher.publisher_id
            )
            results.append(_accepted(candidate))
        else:
            results.append(_from_decision(candidate, decision))
    return results


def _apply(
    kind: RecordKind, candidates: list[_Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    results: list[RecordResult] = []
    pending = candidates
    attempts: dict[int, int] = {}
    while pending:
        current, later = _rounds(pending)
        writes = [_plan(kind, c, context) for c in current]
        failed = store.apply(writes)
        retry: list[_Candidate] = []
        for position, candidate in enumerate(current):
            if position not in failed:
                results.append(_accepted(candidate))
                continue
            decision = decide(
                kind, candidate.record, context.publisher.publisher_id, failed[position]
            )
            attempts[candidate.index] = attempts.get(candidate.index, 0) + 1
            if decision.outcome is Outcome.ACCEPTED and attempts[candidate.index] < MAX_ATTEMPTS:
                retry.append(candidate)  # the stored state changed under us: try again
            elif decision.outcome is Outcome.ACCEPTED:
                results.append(
                    RecordResult(
                        candidate.index,
                        candidate.record.reference,
                        Outcome.REJECTED,
                        [FieldError("(record)", "concurrent updates; send it again")],
                    )
                )
            else:
                results.append(_from_decision(candidate, decision))
        pending = retry + later
    return results


def ingest(
    kind: RecordKind,
    items: Iterable[tuple[int, Any]],
    store: RecordStore,
    context: IngestContext,
    *,
    dry_run: bool = False,
) -> list[RecordResult]:
    """One result per (index, raw record), ordered by index."""
    results: list[RecordResult] = []
    valid: list[tuple[int, Record]] = []
    for index, raw in items:
        try:
            valid.append((index, validate_record(kind, raw)))
        except RecordInvalid as invalid:
            results.append(
                RecordResult(index, record_label(raw), Outcome.REJECTED, errors=invalid.errors)
            )
    candidates, refused = _resolve_accounts(kind, valid, store, context.publisher)
    results.extend(refused)
    if candidates:
        apply = _simulate if dry_run else _apply
        results.extend(apply(kind, candidates, store, context))
    return sorted(results, key=lambda r: r.index)


def counts(results: Iterable[RecordResult]) -> dict[str, int]:
    found = {outcome.value: 0 for outcome in Outcome}
    for result in results:
        found[result.outcome.value] += 1
    return found
