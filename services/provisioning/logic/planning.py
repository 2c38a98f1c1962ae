"""What ingesting a record produces: its result, and for an accepted one the write that
applies it (new state + event, checked by the store inside one transaction).

Shared by the two ingest paths: `logic.ingest` (every kind) and `logic.delivery_ingest`
(deliveries and retirements, which also change their trade's running total and the lots).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from contracts.envelope import EventEnvelope
from services.provisioning.logic.deliveries import TradeCharge, counted_volume
from services.provisioning.logic.events import document_key, event_for
from services.provisioning.logic.lifecycle import (
    Decision,
    Existence,
    Outcome,
    StoredState,
    document_type_of,
    existence,
    status_of,
    stays_open,
)
from services.provisioning.logic.lots import LotAmounts, LotMove
from services.provisioning.logic.validation import FieldError
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import (
    DeliveryRecord,
    DocumentRecord,
    Record,
    RecordKind,
    RetirementRecord,
    TradeRecord,
)


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
    lot_delta: LotAmounts = ()
    """Deliveries and retirements: the change to each lot, applied in the same write under
    the condition that a lot it lowers still holds enough."""


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
    upload_id: str | None = None
    """The upload whose rows these are (None: an API batch): each write names its row."""


@dataclass(frozen=True)
class Candidate:
    """A valid record whose account is resolved and which the publisher may feed."""

    index: int
    record: Record
    account_id: str


def rejected(index: int, reference: str | None, field_name: str, reason: str) -> RecordResult:
    return RecordResult(index, reference, Outcome.REJECTED, [FieldError(field_name, reason)])


def from_decision(candidate: Candidate, decision: Decision) -> RecordResult:
    errors = [FieldError(decision.field or "(record)", decision.reason or "")]
    return RecordResult(
        candidate.index,
        candidate.record.reference,
        decision.outcome,
        errors=errors if decision.outcome is Outcome.REJECTED else [],
        reason=decision.reason if decision.outcome is Outcome.DUPLICATE else None,
    )


def row_writer(context: IngestContext, candidate: Candidate) -> str | None:
    return f"{context.upload_id}:{candidate.index}" if context.upload_id else None


def judged_result(
    candidate: Candidate, decision: Decision, stored: StoredState | None, context: IngestContext
) -> RecordResult:
    """The result of a record judged against what is stored. A version stored by this very
    upload row is this upload's own write, found again when the upload resumes after a
    crash cut its chunk's progress short: it counts as accepted, not as a duplicate (a
    second row of the file with the same content is another row: a duplicate)."""
    if (
        decision.outcome is Outcome.DUPLICATE
        and stored is not None
        and stored.written_by is not None
        and stored.written_by == row_writer(context, candidate)
        and stored.version == candidate.record.version
    ):
        return accepted(candidate)
    return from_decision(candidate, decision)


def accepted(candidate: Candidate) -> RecordResult:
    record = candidate.record
    warnings = record.warnings() if isinstance(record, RetirementRecord) else []
    return RecordResult(candidate.index, record.reference, Outcome.ACCEPTED, warnings=warnings)


def new_state(record: Record, publisher_id: str, account_id: str) -> StoredState:
    volume = None
    trade = record if isinstance(record, TradeRecord) else None
    if trade is not None:
        volume = trade.volume_mwh
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
        side=trade.side if trade else None,
        scheme=trade.scheme if trade else None,
        registry_account=trade.registry_account if trade else None,
        document_type=document_type_of(record),
    )


def plan(
    kind: RecordKind,
    candidate: Candidate,
    context: IngestContext,
    *,
    charge: TradeCharge | None = None,
    prior: StoredState | None = None,
    lots: LotMove | None = None,
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
        lot_delta=lots.delta if lots is not None else (),
        state=replace(
            new_state(record, publisher_id, candidate.account_id),
            lots=lots.contribution if lots is not None else (),
            written_by=row_writer(context, candidate),
        ),
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


def rounds(candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """The first record touching each item now, the rest later (one write per key).

    Once a record waits, every later record touching one of its items waits too, so
    records of one entity (or deliveries of one trade) apply in batch order."""
    seen: set[str] = set()
    now: list[Candidate] = []
    later: list[Candidate] = []
    for candidate in candidates:
        keys = _keys(candidate.record)
        target = later if keys & seen else now
        seen |= keys
        target.append(candidate)
    return now, later
