"""Batch ingest: validate every record, resolve its account, apply the valid ones.

Writes are optimistic: each record's state change and its event go to the store in one
transaction, guarded by a condition that encodes the lifecycle rules. Only a record
whose condition fails is judged against the stored state the store hands back, so new
records cost no reads. Deliveries are the exception: they are judged against their
trade's running total first (see `logic.deliveries`), which the same transaction updates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import EventEnvelope
from services.provisioning.logic.deliveries import DeliveryLedger, TradeCharge, counted_volume
from services.provisioning.logic.dry_run import DryRunOverlay
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
    DeliveryRecord,
    DocumentRecord,
    OwnedRecord,
    Record,
    RecordKind,
    RetirementRecord,
    TradeRecord,
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
    prior_version: int | None = None
    """With `Existence.EXACT`: the stored version the record was judged against."""
    charge: TradeCharge | None = None
    """Deliveries: the change to their trade's running total, applied in the same write."""


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
        """Write each state + event (+ trade charge) atomically; return, by position, the
        writes whose condition failed with the state found (None: nothing stored)."""
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
    overlay: DryRunOverlay | None,
) -> tuple[list[_Candidate], list[RecordResult]]:
    """Known accounts only, and only those the publisher may feed (a dry run's overlay
    adds the counterparties it accepted earlier)."""
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
        if not refs:
            links = {}
        elif overlay is not None:
            links = overlay.counterparty_accounts(refs, store)
        else:
            links = store.counterparty_accounts(refs)
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


def _new_state(record: Record, publisher_id: str, account_id: str) -> StoredState:
    volume = None
    if isinstance(record, TradeRecord):
        volume = record.volume_mwh
    elif isinstance(record, DeliveryRecord):
        volume = counted_volume(record)
    return StoredState(
        version=record.version,
        content_hash=record.content_hash(),
        publisher_id=publisher_id,
        status=status_of(record),
        is_open=stays_open(record),
        account_id=account_id,
        volume_mwh=volume,
        trade_reference=record.trade_reference if isinstance(record, DeliveryRecord) else None,
    )


def _plan(
    kind: RecordKind,
    candidate: _Candidate,
    context: IngestContext,
    *,
    charge: TradeCharge | None = None,
    prior: StoredState | None = None,
) -> PlannedWrite:
    record = candidate.record
    publisher_id = context.publisher.publisher_id
    attachment = None
    if isinstance(record, DocumentRecord):
        attachment = (document_key(record, candidate.account_id), record.content())
    rule = existence(record)
    if charge is not None:
        rule = Existence.ABSENT if prior is None else Existence.EXACT
    return PlannedWrite(
        kind=kind,
        record=record,
        account_id=candidate.account_id,
        existence=rule,
        prior_version=prior.version if prior is not None else None,
        charge=charge,
        state=_new_state(record, publisher_id, candidate.account_id),
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


def _keys(record: Record) -> set[str]:
    """The items a record's write touches (a transaction may touch an item once)."""
    if isinstance(record, DeliveryRecord):
        return {f"{RecordKind.DELIVERIES}#{record.reference}", f"trade#{record.trade_reference}"}
    return {record.reference}


def _rounds(candidates: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """The first record touching each item now, the rest later (one write per key).

    Once a record waits, every later record touching one of its items waits too, so
    records of one entity (or deliveries of one trade) apply in batch order."""
    seen: set[str] = set()
    now: list[_Candidate] = []
    later: list[_Candidate] = []
    for candidate in candidates:
        keys = _keys(candidate.record)
        target = later if keys & seen else now
        seen |= keys
        target.append(candidate)
    return now, later


def _simulate(
    kind: RecordKind,
    candidates: list[_Candidate],
    store: RecordStore,
    context: IngestContext,
    overlay: DryRunOverlay,
) -> list[RecordResult]:
    """Dry run: judge each record, in order, against what the run would have written so
    far (`overlay`) or else the stored state; write nothing to the store."""
    if kind is RecordKind.DELIVERIES:
        return _simulate_deliveries(candidates, store, context, overlay)
    publisher_id = context.publisher.publisher_id
    states = overlay.current_states(kind, {c.record.reference for c in candidates}, store)
    results = []
    for candidate in candidates:
        reference = candidate.record.reference
        stored = states.get(reference)
        decision = decide(kind, candidate.record, publisher_id, stored)
        if decision.outcome is Outcome.ACCEPTED:
            new = _new_state(candidate.record, publisher_id, candidate.account_id)
            if stored is not None:
                new = replace(new, delivered_mwh=stored.delivered_mwh)
            states[reference] = new
            overlay.put(kind, reference, new)
            if kind is RecordKind.COUNTERPARTIES:
                overlay.link(reference, candidate.account_id)
            results.append(_accepted(candidate))
        else:
            results.append(_from_decision(candidate, decision))
    return results


def _ledger(
    candidates: Sequence[_Candidate], store: RecordStore, *, assume_new: Collection[int] = ()
) -> DeliveryLedger:
    """Stored trade totals and delivery states for these deliveries (consistent reads).

    Deliveries whose index is in `assume_new` are not read: they are written as new, and a
    stored one makes the write's condition fail, so it is read and judged on the retry."""
    records = [c.record for c in candidates if isinstance(c.record, DeliveryRecord)]
    unread = {c.record.reference for c in candidates if c.index in assume_new}
    return DeliveryLedger(
        trades=store.current_states(RecordKind.TRADES, {r.trade_reference for r in records}),
        deliveries=store.current_states(
            RecordKind.DELIVERIES, {r.reference for r in records} - unread
        ),
    )


def _judge_delivery(
    ledger: DeliveryLedger, candidate: _Candidate, context: IngestContext
) -> Decision | TradeCharge:
    return ledger.judge(_delivery(candidate), candidate.account_id, context.publisher.publisher_id)


def _delivery(candidate: _Candidate) -> DeliveryRecord:
    if not isinstance(candidate.record, DeliveryRecord):
        raise TypeError(f"not a delivery: {type(candidate.record).__name__}")
    return candidate.record


def _simulate_deliveries(
    candidates: list[_Candidate],
    store: RecordStore,
    context: IngestContext,
    overlay: DryRunOverlay,
) -> list[RecordResult]:
    """Dry run for deliveries: stored (or simulated) totals plus the earlier records."""
    records = [_delivery(c) for c in candidates]
    ledger = DeliveryLedger(
        trades=overlay.current_states(
            RecordKind.TRADES, {r.trade_reference for r in records}, store
        ),
        deliveries=overlay.current_states(
            RecordKind.DELIVERIES, {r.reference for r in records}, store
        ),
    )
    results = []
    for candidate in candidates:
        judged = _judge_delivery(ledger, candidate, context)
        if isinstance(judged, Decision):
            results.append(_from_decision(candidate, judged))
            continue
        record = _delivery(candidate)
        state = _new_state(record, context.publisher.publisher_id, candidate.account_id)
        ledger.accept(record, state, judged)
        overlay.put(RecordKind.DELIVERIES, record.reference, state)
        overlay.put(RecordKind.TRADES, record.trade_reference, ledger.trade(record.trade_reference))
        results.append(_accepted(candidate))
    return results


def _apply_deliveries(
    kind: RecordKind, candidates: list[_Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    """Judge against fresh trade totals, write with a trade charge; a failed condition (the
    delivery was stored already, or another writer changed the trade) means read again and
    judge again, at most MAX_ATTEMPTS times."""
    results: list[RecordResult] = []
    pending = candidates
    attempts: dict[int, int] = {}
    read: set[int] = set()  # deliveries judged against their stored state, not as new
    while pending:
        current, later = _rounds(pending)
        assumed_new = {c.index for c in current if c.index not in read}
        ledger = _ledger(current, store, assume_new=assumed_new)
        planned: list[tuple[_Candidate, PlannedWrite]] = []
        retry: list[_Candidate] = []
        for candidate in current:
            judged = _judge_delivery(ledger, candidate, context)
            if isinstance(judged, Decision):
                if candidate.index in assumed_new and judged.field == "volume_mwh":
                    read.add(candidate.index)  # an older version may free its volume
                    retry.append(candidate)
                else:
                    results.append(_from_decision(candidate, judged))
                continue
            prior = ledger.stored_delivery(candidate.record.reference)
            write = _plan(kind, candidate, context, charge=judged, prior=prior)
            planned.append((candidate, write))
        failed = store.apply([write for _, write in planned]) if planned else {}
        for position, (candidate, _) in enumerate(planned):
            if position not in failed:
                results.append(_accepted(candidate))
                continue
            if candidate.index in assumed_new:
                read.add(candidate.index)
                retry.append(candidate)
                continue
            attempts[candidate.index] = attempts.get(candidate.index, 0) + 1
            if attempts[candidate.index] < MAX_ATTEMPTS:
                retry.append(candidate)
            else:
                results.append(
                    _rejected(
                        candidate.index,
                        candidate.record.reference,
                        "(record)",
                        "concurrent updates of this delivery or its trade; send it again",
                    )
                )
        pending = sorted(retry + later, key=lambda c: c.index)
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
    overlay: DryRunOverlay | None = None,
) -> list[RecordResult]:
    """One result per (index, raw record), ordered by index.

    A dry run writes nothing: it judges against `overlay` (what earlier batches of the same
    dry run would have written; pass one overlay to every chunk of an upload) before the
    store, and adds its accepted records to it. Without one, the batch stands alone."""
    if overlay is not None and not dry_run:
        raise ValueError("an overlay is for dry runs only: a real run writes to the store")
    results: list[RecordResult] = []
    valid: list[tuple[int, Record]] = []
    for index, raw in items:
        try:
            valid.append((index, validate_record(kind, raw)))
        except RecordInvalid as invalid:
            results.append(
                RecordResult(index, record_label(raw), Outcome.REJECTED, errors=invalid.errors)
            )
    if dry_run and overlay is None:
        overlay = DryRunOverlay()
    candidates, refused = _resolve_accounts(kind, valid, store, context.publisher, overlay)
    results.extend(refused)
    if candidates and overlay is not None:
        results.extend(_simulate(kind, candidates, store, context, overlay))
    elif candidates:
        apply = _apply_deliveries if kind is RecordKind.DELIVERIES else _apply
        results.extend(apply(kind, candidates, store, context))
    return sorted(results, key=lambda r: r.index)


def counts(results: Iterable[RecordResult]) -> dict[str, int]:
    found = {outcome.value: 0 for outcome in Outcome}
    for result in results:
        found[result.outcome.value] += 1
    return found
