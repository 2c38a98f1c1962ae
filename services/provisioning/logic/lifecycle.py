"""Rules that compare an incoming record with the stored version of the same entity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from services.provisioning.logic.lots import LotAmounts
from services.provisioning.models.records import (
    DeliveryRecord,
    DocumentRecord,
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
    EXACT = "exact"  # the very version judged against (deliveries: their volume is counted)


@dataclass(frozen=True, slots=True)
class StoredState:
    """What the store holds for one entity: enough to judge the next record (slotted: a dry
    run keeps one per entity of its file, see `logic.dry_run`)."""

    version: int
    content_hash: str
    publisher_id: str
    status: str
    is_open: bool
    account_id: str | None = None
    volume_mwh: Decimal | None = None
    """Trades: the volume of this version. Deliveries: the volume it counts (failed: 0)."""
    delivered_mwh: Decimal = Decimal(0)
    """Trades only: completed deliveries, each at its latest version (the running total)."""
    trade_reference: str | None = None
    """Deliveries only: the trade delivered against (never changes between versions)."""
    side: str | None = None
    """Trades only (with `scheme` and `registry_account`): what its deliveries must match."""
    scheme: str | None = None
    registry_account: str | None = None
    lots: LotAmounts = ()
    """Deliveries and retirements: what this version adds to (or takes from) each lot."""
    document_type: str | None = None
    """Invoices and documents: the type they were published as, never changing between
    versions (it decides who may read a document); None when stored before it was kept."""
    written_by: str | None = None
    """The upload row that wrote this version (`<upload id>:<row>`; None: an API call)."""


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


def _unknown(kind: RecordKind, record: Record) -> Decision:
    return Decision(
        Outcome.REJECTED,
        "status",
        f"{kind} {record.reference} is unknown; its first version must be executed",
    )


def moves_account(kind: RecordKind, stored: StoredState, account_id: str | None) -> bool:
    """A record never moves its entity to another account (counterparty links may)."""
    return (
        kind is not RecordKind.COUNTERPARTIES
        and account_id is not None
        and stored.account_id is not None
        and stored.account_id != account_id
    )


def decide(
    kind: RecordKind,
    record: Record,
    publisher_id: str,
    stored: StoredState | None,
    account_id: str | None = None,
) -> Decision:
    """Apply, duplicate, or reject: the lifecycle rules, given what is stored now.

    Another publisher's reference is answered as if it did not exist where the record
    needs one (an amendment is "unknown"), and with words that say nothing about its
    owner where it needs none (see THREAT_MODEL.md: references are one namespace, so a
    first version colliding with another publisher's is still refused)."""
    if stored is None:
        if existence(record) is Existence.PRESENT:
            return _unknown(kind, record)
        return ACCEPT
    if stored.publisher_id != publisher_id:
        if existence(record) is Existence.PRESENT:
            return _unknown(kind, record)
        return Decision(Outcome.REJECTED, "reference", "is not available: use another reference")
    if moves_account(kind, stored, account_id):
        return Decision(
            Outcome.REJECTED,
            "counterparty_reference",
            f"{kind} {record.reference} is filed under another counterparty's account: "
            "a record never moves to another account",
        )
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
    if changes_document_type(stored, document_type_of(record)):
        return _keeps_document_type(kind, record, stored)
    if isinstance(record, TradeRecord):
        return _keeps_delivery_terms(record, stored) or _within_delivered(
            record, stored.delivered_mwh
        )
    return ACCEPT


def document_type_of(record: Record) -> str | None:
    """What an invoice or a document was published as (None for the other kinds)."""
    return record.document_type if isinstance(record, InvoiceRecord | DocumentRecord) else None


def changes_document_type(stored: StoredState, document_type: str | None) -> bool:
    """Whether a later version changes the stored type (states stored before the type was
    kept have none and are not judged)."""
    return stored.document_type is not None and document_type != stored.document_type


_SINGULAR = {RecordKind.INVOICES: "invoice", RecordKind.DOCUMENTS: "document"}


def _keeps_document_type(kind: RecordKind, record: Record, stored: StoredState) -> Decision:
    words = str(stored.document_type).replace("_", " ")
    article = "an" if words[0] in "aeiou" else "a"
    return Decision(
        Outcome.REJECTED,
        "document_type",
        f"{_SINGULAR.get(kind, kind)} {record.reference} was published as {article} {words}: "
        "its document type never changes; publish another type under a new reference",
    )


DELIVERY_TERMS = ("side", "scheme", "registry_account")
"""What a trade's deliveries were judged by: fixed once something was delivered."""


def changed_delivery_term(record: TradeRecord, stored: StoredState) -> str | None:
    """The first of side, scheme, registry account an amendment changes after deliveries
    (None: nothing delivered, or nothing changed; states stored before these were kept
    are not judged)."""
    if stored.delivered_mwh <= 0:
        return None
    for name in DELIVERY_TERMS:
        before = getattr(stored, name)
        if before is not None and getattr(record, name) != before:
            return name
    return None


def _keeps_delivery_terms(record: TradeRecord, stored: StoredState) -> Decision | None:
    name = changed_delivery_term(record, stored)
    if name is None:
        return None
    return Decision(
        Outcome.REJECTED,
        name,
        f"trade {record.reference} has {stored.delivered_mwh} MWh delivered as "
        f"{getattr(stored, name)}: its side, scheme and registry account stay as they are",
    )


def _within_delivered(record: TradeRecord, delivered: Decimal) -> Decision:
    """An amendment may not go below what is delivered; a cancellation cancels the
    outstanding volume, so a fully delivered trade has nothing left to cancel."""
    if record.volume_mwh < delivered:
        return Decision(
            Outcome.REJECTED,
            "volume_mwh",
            f"trade {record.reference}: volume {record.volume_mwh} MWh is below the "
            f"{delivered} MWh already delivered",
        )
    if record.status == "cancelled" and delivered >= record.volume_mwh:
        return Decision(
            Outcome.REJECTED,
            "status",
            f"trade {record.reference} is fully delivered ({delivered} MWh): "
            "nothing is left to cancel",
        )
    return ACCEPT


def trade_cap_allows(new: StoredState, delivered: Decimal) -> bool:
    """The running total a trade version leaves room for (see `_within_delivered`)."""
    if new.volume_mwh is None:
        return True
    if new.status == "cancelled":
        return delivered < new.volume_mwh
    return delivered <= new.volume_mwh


def write_allowed(
    existence_rule: Existence,
    new: StoredState,
    stored: StoredState | None,
    prior_version: int | None = None,
    kind: RecordKind | None = None,
) -> bool:
    """The guard every store enforces atomically with the write (the adapter as a
    DynamoDB condition): `decide` explains a refusal, this only permits or refuses."""
    if stored is None:
        return existence_rule not in (Existence.PRESENT, Existence.EXACT)
    if existence_rule is Existence.ABSENT:
        return False
    if existence_rule is Existence.EXACT and stored.version != prior_version:
        return False
    if kind is not None and moves_account(kind, stored, new.account_id):
        return False
    keeps_terms = all(
        getattr(stored, name) in (None, getattr(new, name)) for name in DELIVERY_TERMS
    )
    return (
        stored.version < new.version
        and stored.publisher_id == new.publisher_id
        and stored.is_open
        and trade_cap_allows(new, stored.delivered_mwh)
        and (stored.delivered_mwh <= 0 or keeps_terms)
        and not changes_document_type(stored, new.document_type)
    )
