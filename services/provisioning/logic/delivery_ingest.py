"""Ingesting deliveries: each is judged against its trade's running total first (see
`logic.deliveries`), and written together with the change to that total.

A failed write condition (the delivery was stored already, or another writer changed the
trade or used its room) means read again and judge again, at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from services.provisioning.logic.deliveries import DeliveryLedger, TradeCharge
from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.lifecycle import Decision
from services.provisioning.logic.planning import (
    Candidate,
    IngestContext,
    PlannedWrite,
    RecordResult,
    accepted,
    from_decision,
    new_state,
    plan,
    rejected,
    rounds,
)
from services.provisioning.logic.ports import RecordStore
from services.provisioning.models.records import DeliveryRecord, RecordKind

MAX_ATTEMPTS = 3


def _ledger(
    candidates: Sequence[Candidate], store: RecordStore, *, assume_new: Collection[int] = ()
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


def _judge(
    ledger: DeliveryLedger, candidate: Candidate, context: IngestContext
) -> Decision | TradeCharge:
    return ledger.judge(_delivery(candidate), candidate.account_id, context.publisher.publisher_id)


def _delivery(candidate: Candidate) -> DeliveryRecord:
    if not isinstance(candidate.record, DeliveryRecord):
        raise TypeError(f"not a delivery: {type(candidate.record).__name__}")
    return candidate.record


def simulate_deliveries(
    candidates: list[Candidate],
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
        judged = _judge(ledger, candidate, context)
        if isinstance(judged, Decision):
            results.append(from_decision(candidate, judged))
            continue
        record = _delivery(candidate)
        state = new_state(record, context.publisher.publisher_id, candidate.account_id)
        ledger.accept(record, state, judged)
        overlay.put(RecordKind.DELIVERIES, record.reference, state)
        overlay.put(RecordKind.TRADES, record.trade_reference, ledger.trade(record.trade_reference))
        results.append(accepted(candidate))
    return results


def apply_deliveries(
    kind: RecordKind, candidates: list[Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    """Judge against fresh trade totals, write with a trade charge; a failed condition (the
    delivery was stored already, or another writer changed the trade) means read again and
    judge again, at most MAX_ATTEMPTS times."""
    results: list[RecordResult] = []
    pending = candidates
    attempts: dict[int, int] = {}
    read: set[int] = set()  # deliveries judged against their stored state, not as new
    while pending:
        current, later = rounds(pending)
        assumed_new = {c.index for c in current if c.index not in read}
        ledger = _ledger(current, store, assume_new=assumed_new)
        planned: list[tuple[Candidate, PlannedWrite]] = []
        retry: list[Candidate] = []
        for candidate in current:
            judged = _judge(ledger, candidate, context)
            if isinstance(judged, Decision):
                if candidate.index in assumed_new and judged.field == "volume_mwh":
                    read.add(candidate.index)  # an older version may free its volume
                    retry.append(candidate)
                else:
                    results.append(from_decision(candidate, judged))
                continue
            prior = ledger.stored_delivery(candidate.record.reference)
            write = plan(kind, candidate, context, charge=judged, prior=prior)
            planned.append((candidate, write))
        failed = store.apply([write for _, write in planned]) if planned else {}
        for position, (candidate, _) in enumerate(planned):
            if position not in failed:
                results.append(accepted(candidate))
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
                    rejected(
                        candidate.index,
                        candidate.record.reference,
                        "(record)",
                        "concurrent updates of this delivery or its trade; send it again",
                    )
                )
        pending = sorted(retry + later, key=lambda c: c.index)
    return results
