"""Rules that compare an incoming record with the stored version of the same entity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.provisioning.models.records import (
    DeliveryRecord,
    InvoiceRecord,
    Record,
    RecordKind,
    RetirementRecord,
    TradeRecord,
)


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class Existence(StrEnum):
    """What the store must hold for a record to apply (checked inside the write)."""

    ABSENT = "absent"  # a trade's first, executed version
    PRESENT = "present"  # an amendment or cancellation of a known trade
    EITHER = "either"


@dataclass(frozen=True)
class StoredState:
    """What the store holds for one entity: enough to judge the next record."""

    version: int
    content_hash: str
    publisher_id: str
    status: str
    is_open: bool


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    field: str | None = None
    reason: str | None = None


ACCEPT = Decision(Outcome.ACCEPTED)


def existence(record: Record) -> Existence:
    if isinstance(record, TradeRecord):
        return Existence.ABSENT if record.status == "executed" else Existence.PRESENT
    return Existence.EITHER


def status_of(record: Record) -> str:
    if isinstance(record, TradeRecord | DeliveryRecord):
        return record.status
    if isinstance(record, RetirementRecord):
        return "completed"
    if isinstance(record, InvoiceRecord):
        return "paid" if record.fully_paid else "issued"
    return "active"


def stays_open(record: Record) -> bool:
    """Whether a later version may follow: cancelled trades and retirements are final."""
    if isinstance(record, TradeRecord):
        return record.status != "cancelled"
    return not isinstance(record, RetirementRecord)


def decide(
    kind: RecordKind, record: Record, publisher_id: str, stored: StoredState | None
) -> Decision:
    """Apply, duplicate, or reject: the lifecycle rules, given what is stored now."""
    if stored is None:
        if existence(record) is Existence.PRESENT:
            return Decision(
                Outcome.REJECTED,
                "status",
                f"{kind} {record.reference} is unknown; its first version must be executed",
            )
        return ACCEPT
    if stored.publisher_id != publisher_id:
        return Decision(Outcome.REJECTED, "reference", "belongs to another publisher")
    if record.version == stored.version:
        if record.content_hash() == stored.content_hash:
            return Decision(Outcome.DUPLICATE, reason="already applied")
        return Decision(
            Outcome.REJECTED,
            "version",
            f"version {record.version} is already stored with different content; "
            "send a higher version",
        )
    if record.version < stored.version:
        return Decision(
            Outcome.DUPLICATE,
            reason=f"stale: version {record.version} is older than stored {stored.version}",
        )
    if not stored.is_open:
        return Decision(
            Outcome.REJECTED,
            "version",
            f"{kind} {record.reference} is {stored.status}: nothing may follow",
        )
    if existence(record) is Existence.ABSENT:
        return Decision(
            Outcome.REJECTED,
            "status",
            f"{kind} {record.reference} was already executed; send amended or cancelled",
        )
    return ACCEPT


def write_allowed(existence_rule: Existence, new: StoredState, stored: StoredState | None) -> bool:
    """The guard every store enforces atomically with the write (the adapter as a
    DynamoDB condition): `decide` explains a refusal, this only permits or refuses."""
    if stored is None:
        return existence_rule is not Existence.PRESENT
    if existence_rule is Existence.ABSENT:
        return False
    return (
        stored.version < new.version and stored.publisher_id == new.publisher_id and stored.is_open
    )
