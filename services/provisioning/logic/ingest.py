"""Batch ingest: validate every record, resolve its account, apply the valid ones.

Writes are optimistic: each record's state change and its event go to the store in one
transaction, guarded by a condition that encodes the lifecycle rules. Only a record
whose condition fails is judged against the stored state the store hands back, so new
records cost no reads. Deliveries and retirements are the exception: they are judged
against their trade's running total and the lots first (see `logic.delivery_ingest`),
which the same transaction updates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from services.provisioning.logic.delivery_ingest import (
    MAX_ATTEMPTS,
    apply_movements,
    simulate_movements,
)
from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.lifecycle import Outcome, decide
from services.provisioning.logic.planning import (
    Candidate,
    IngestContext,
    PlannedWrite,
    RecordResult,
    accepted,
    from_decision,
    judged_result,
    new_state,
    plan,
    rejected,
    rounds,
)
from services.provisioning.logic.ports import RecordStore
from services.provisioning.logic.validation import FieldError, RecordInvalid, validate_record
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import (
    CounterpartyRecord,
    OwnedRecord,
    Record,
    RecordKind,
    record_label,
)

__all__ = ["IngestContext", "PlannedWrite", "RecordResult", "counts", "ingest"]

MOVEMENTS = frozenset({RecordKind.DELIVERIES, RecordKind.RETIREMENTS})
"""Kinds that move certificates: judged against the lots (and trades) before writing."""


def _resolve_accounts(
    kind: RecordKind,
    valid: list[tuple[int, Record]],
    store: RecordStore,
    publisher: Publisher,
    overlay: DryRunOverlay | None,
) -> tuple[list[Candidate], list[RecordResult]]:
    """Known accounts only, and only those the publisher may feed (a dry run's overlay
    adds the counterparties it accepted earlier). Each record's account is decided from
    that record alone (its position in the batch), never from another record that shares
    its reference."""
    candidates: list[Candidate] = []
    refused: list[RecordResult] = []
    accounts: dict[int, str] = {}
    if kind is RecordKind.COUNTERPARTIES:
        ids = {r.account_id for _, r in valid if isinstance(r, CounterpartyRecord)}
        known = store.known_accounts(ids) if ids else set()
        field_name = "account_id"
        for index, r in valid:
            if isinstance(r, CounterpartyRecord) and r.account_id in known:
                accounts[index] = r.account_id
        unknown_reason = "unknown account, or not one you may feed"
    else:
        refs = {r.counterparty_reference for _, r in valid if isinstance(r, OwnedRecord)}
        if not refs:
            links = {}
        elif overlay is not None:
            links = overlay.counterparty_accounts(refs, store)
        else:
            links = store.counterparty_accounts(refs)
        field_name = "counterparty_reference"
        for index, r in valid:
            if isinstance(r, OwnedRecord) and r.counterparty_reference in links:
                accounts[index] = links[r.counterparty_reference]
        unknown_reason = (
            "unknown counterparty, or one linked to an account you may not feed: "
            "link it with a counterparties record first"
        )
    for index, record in valid:
        account_id = accounts.get(index)
        if account_id is None or not publisher.may_feed(account_id):
            # One answer for both: a restricted publisher learns nothing of other accounts.
            refused.append(rejected(index, record.reference, field_name, unknown_reason))
        else:
            candidates.append(Candidate(index, record, account_id))
    return candidates, refused


def _simulate(
    kind: RecordKind,
    candidates: list[Candidate],
    store: RecordStore,
    context: IngestContext,
    overlay: DryRunOverlay,
) -> list[RecordResult]:
    """Dry run: judge each record, in order, against what the run would have written so
    far (`overlay`) or else the stored state; write nothing to the store."""
    if kind in MOVEMENTS:
        return simulate_movements(kind, candidates, store, context, overlay)
    publisher_id = context.publisher.publisher_id
    states = overlay.current_states(kind, {c.record.reference for c in candidates}, store)
    results = []
    for candidate in candidates:
        reference = candidate.record.reference
        stored = states.get(reference)
        decision = decide(kind, candidate.record, publisher_id, stored, candidate.account_id)
        if decision.outcome is Outcome.ACCEPTED:
            new = new_state(candidate.record, publisher_id, candidate.account_id)
            if stored is not None:
                new = replace(new, delivered_mwh=stored.delivered_mwh)
            states[reference] = new
            overlay.put(kind, reference, new)
            if kind is RecordKind.COUNTERPARTIES:
                overlay.link(reference, candidate.account_id)
            results.append(accepted(candidate))
        else:
            results.append(from_decision(candidate, decision))
    return results


def _apply(
    kind: RecordKind, candidates: list[Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    results: list[RecordResult] = []
    pending = candidates
    attempts: dict[int, int] = {}
    while pending:
        current, later = rounds(pending)
        writes = [plan(kind, c, context) for c in current]
        failed = store.apply(writes)
        retry: list[Candidate] = []
        for position, candidate in enumerate(current):
            if position not in failed:
                results.append(accepted(candidate))
                continue
            decision = decide(
                kind,
                candidate.record,
                context.publisher.publisher_id,
                failed[position],
                candidate.account_id,
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
                results.append(judged_result(candidate, decision, failed[position], context))
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
    today = context.clock().date()
    for index, raw in items:
        try:
            valid.append((index, validate_record(kind, raw, today)))
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
        apply = apply_movements if kind in MOVEMENTS else _apply
        results.extend(apply(kind, candidates, store, context))
    return sorted(results, key=lambda r: r.index)


def counts(results: Iterable[RecordResult]) -> dict[str, int]:
    found = {outcome.value: 0 for outcome in Outcome}
    for result in results:
        found[result.outcome.value] += 1
    return found
