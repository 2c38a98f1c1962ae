"""Ingesting what moves certificates: deliveries (judged against their trade's running total
and registry account, see `logic.deliveries`) and retirements (against the lots they retire
from, see `logic.lots`). Each is written together with the changes it makes to its trade's
total and to the lots.

The stored states are read first (consistently), then the batch is judged in order. A
failed write condition (the record was stored already, or another writer changed the trade
or a lot) means read again and judge again, at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from services.provisioning.logic.deliveries import (
    DeliveryCharge,
    DeliveryLedger,
    lot_move,
    lot_refusal,
)
from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.lifecycle import Decision, Outcome, StoredState, decide
from services.provisioning.logic.lots import (
    LotBook,
    LotKey,
    LotMove,
    move,
    retirement_contribution,
)
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
from services.provisioning.logic.ports import RecordStore, StateReader
from services.provisioning.models.records import DeliveryRecord, RecordKind, RetirementRecord

MAX_ATTEMPTS = 3
REREAD_FIELDS = frozenset({"volume_mwh", "batches"})
"""A record judged as new that breaks these may be a newer version of a stored one, whose
old volume or lots it would free: it is read and judged again."""

Charge = DeliveryCharge | LotMove


class RetirementLedger:
    """Retirement states and lot balances while one batch is judged, in record order."""

    def __init__(self, retirements: dict[str, StoredState], lots: LotBook) -> None:
        self._retirements = dict(retirements)
        self.lots = lots

    def judge(
        self, record: RetirementRecord, account_id: str, publisher_id: str
    ) -> Decision | LotMove:
        prior = self._retirements.get(record.reference)
        decision = decide(RecordKind.RETIREMENTS, record, publisher_id, prior)
        if decision.outcome is not Outcome.ACCEPTED:
            return decision
        lots = move(retirement_contribution(record, account_id))
        return lot_refusal(lots, self.lots, f"retirement {record.reference}") or lots

    def stored(self, reference: str) -> StoredState | None:
        return self._retirements.get(reference)

    def accept(self, record: RetirementRecord, state: StoredState, lots: LotMove) -> None:
        self._retirements[record.reference] = state
        self.lots.apply(lots.delta)


Ledger = DeliveryLedger | RetirementLedger


def _book(lots: set[LotKey], store: StateReader) -> LotBook:
    return LotBook(store.lot_balances(lots) if lots else {})


def _ledger(
    kind: RecordKind,
    candidates: Sequence[Candidate],
    store: StateReader,
    *,
    assume_new: Collection[int] = (),
    every_lot: bool = False,
) -> Ledger:
    """Stored states, trade totals and lot balances for these records (consistent reads).

    Records whose index is in `assume_new` are not read: they are written as new, and a
    stored one makes the write's condition fail, so it is read and judged on the retry.
    Only the lots some record lowers are read (a lot that only gains cannot fall short),
    unless `every_lot` (a dry run keeps the balances it leaves for the next batch)."""
    unread = {c.record.reference for c in candidates if c.index in assume_new}
    references = {c.record.reference for c in candidates} - unread
    states = store.current_states(kind, references)
    if kind is RecordKind.RETIREMENTS:
        retired = {
            lot
            for c in candidates
            for lot, _ in retirement_contribution(_retirement(c), c.account_id)
        }
        return RetirementLedger(states, _book(retired, store))
    records = [_delivery(c) for c in candidates]
    trades = store.current_states(RecordKind.TRADES, {r.trade_reference for r in records})
    touched: set[LotKey] = set()
    for candidate in candidates:
        record = _delivery(candidate)
        trade = trades.get(record.trade_reference)
        if trade is not None:
            lots = lot_move(record, candidate.account_id, trade, states.get(record.reference))
            touched |= {lot for lot, change in lots.delta if every_lot or change < 0}
    return DeliveryLedger(trades=trades, deliveries=states, lots=_book(touched, store))


def _delivery(candidate: Candidate) -> DeliveryRecord:
    if not isinstance(candidate.record, DeliveryRecord):
        raise TypeError(f"not a delivery: {type(candidate.record).__name__}")
    return candidate.record


def _retirement(candidate: Candidate) -> RetirementRecord:
    if not isinstance(candidate.record, RetirementRecord):
        raise TypeError(f"not a retirement: {type(candidate.record).__name__}")
    return candidate.record


def _judge(ledger: Ledger, candidate: Candidate, context: IngestContext) -> Decision | Charge:
    publisher_id = context.publisher.publisher_id
    if isinstance(ledger, RetirementLedger):
        return ledger.judge(_retirement(candidate), candidate.account_id, publisher_id)
    return ledger.judge(_delivery(candidate), candidate.account_id, publisher_id)


def _accept(ledger: Ledger, candidate: Candidate, state: StoredState, charge: Charge) -> None:
    if isinstance(ledger, RetirementLedger) and isinstance(charge, LotMove):
        ledger.accept(_retirement(candidate), state, charge)
    elif isinstance(ledger, DeliveryLedger) and isinstance(charge, DeliveryCharge):
        ledger.accept(_delivery(candidate), state, charge)


def _lots(charge: Charge) -> LotMove:
    return charge.lots if isinstance(charge, DeliveryCharge) else charge


def _plan(
    kind: RecordKind,
    candidate: Candidate,
    context: IngestContext,
    charge: Charge,
    prior: StoredState | None,
) -> PlannedWrite:
    if isinstance(charge, DeliveryCharge):
        return plan(kind, candidate, context, charge=charge.trade, prior=prior, lots=charge.lots)
    return plan(kind, candidate, context, lots=charge)


def simulate_movements(
    kind: RecordKind,
    candidates: list[Candidate],
    store: StateReader,
    context: IngestContext,
    overlay: DryRunOverlay,
) -> list[RecordResult]:
    """Dry run: stored (or simulated) states, totals and lots plus the earlier records."""
    ledger = _ledger(kind, candidates, overlay.reader(store), every_lot=True)
    results = []
    for candidate in candidates:
        judged = _judge(ledger, candidate, context)
        if isinstance(judged, Decision):
            results.append(from_decision(candidate, judged))
            continue
        lots = _lots(judged)
        state = replace(
            new_state(candidate.record, context.publisher.publisher_id, candidate.account_id),
            lots=lots.contribution,
        )
        _accept(ledger, candidate, state, judged)
        overlay.put(kind, candidate.record.reference, state)
        if isinstance(ledger, DeliveryLedger) and isinstance(judged, DeliveryCharge):
            reference = judged.trade.trade_reference
            overlay.put(RecordKind.TRADES, reference, ledger.trade(reference))
        overlay.put_lots(ledger.lots.balances(lot for lot, _ in lots.delta))
        results.append(accepted(candidate))
    return results


def apply_movements(
    kind: RecordKind, candidates: list[Candidate], store: RecordStore, context: IngestContext
) -> list[RecordResult]:
    """Judge against fresh states, totals and lots, write with their changes; a failed
    condition (the record was stored already, or another writer changed the trade or a
    lot) means read again and judge again, at most MAX_ATTEMPTS times.

    Records of one round may share lots: each is counted in the ledger once judged, so the
    next sees it; the store applies a round's writes under conditions on every lot they
    lower, so a write that fails cannot leave a later one holding more than is there."""
    results: list[RecordResult] = []
    pending = candidates
    attempts: dict[int, int] = {}
    read: set[int] = set()  # records judged against their stored state, not as new
    while pending:
        current, later = rounds(pending)
        assumed_new = {c.index for c in current if c.index not in read}
        ledger = _ledger(kind, current, store, assume_new=assumed_new)
        planned: list[tuple[Candidate, PlannedWrite]] = []
        retry: list[Candidate] = []
        first_waiting = min((c.index for c in later), default=None)
        for candidate in current:
            judged = _judge(ledger, candidate, context)
            if isinstance(judged, Decision):
                if _waits_for_earlier(judged, candidate, first_waiting):
                    retry.append(candidate)  # an earlier record of the batch may fill the lot
                elif candidate.index in assumed_new and judged.field in REREAD_FIELDS:
                    read.add(candidate.index)  # an older version may free its volume or lots
                    retry.append(candidate)
                else:
                    stored = ledger.stored(candidate.record.reference)
                    results.append(judged_result(candidate, judged, stored, context))
                continue
            prior = _stored(ledger, candidate.record.reference)
            write = _plan(kind, candidate, context, judged, prior)
            _accept(ledger, candidate, write.state, judged)
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
                        "concurrent updates of this record, its trade or its lots; send it again",
                    )
                )
        pending = sorted(retry + later, key=lambda c: c.index)
    return results


def _waits_for_earlier(judged: Decision, candidate: Candidate, first_waiting: int | None) -> bool:
    """A record short of certificates is judged again after the earlier records of the batch
    that wait for a later round (e.g. a trade's second delivery), so the batch's order holds:
    a sell after a buy in the batch sees the buy."""
    return (
        judged.field == "batches" and first_waiting is not None and first_waiting < candidate.index
    )


def _stored(ledger: Ledger, reference: str) -> StoredState | None:
    """The delivery version judged against (a retirement is only ever written as new)."""
    return ledger.stored_delivery(reference) if isinstance(ledger, DeliveryLedger) else None
