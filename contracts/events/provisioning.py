"""Events the provisioning service publishes: facts STX systems pushed into the portal.

Every event names the portal account it belongs to (also in the envelope), the
source system's reference of the entity, and the entity's version, so consumers can
ignore a version older than the one they hold.

Versions: `RetirementCompleted` v2 (issue 12) adds the registry account the certificates
were retired from; v1 events are upcast with it null (they never named it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import EventData
from contracts.event_type import EventType
from contracts.upcasting import Upcaster

SERVICE = "provisioning"


class EntityFact(EventData):
    account_id: str = Field(description="Portal account the entity belongs to.")
    reference: str = Field(description="The source system's reference; never changes.")
    version: int = Field(ge=1, description="Raised by every amendment.")
    publisher_id: str = Field(description="Publisher that sent the record.")


class CounterpartyLinked(EntityFact):
    """An STX counterparty reference now points at a portal account."""

    legal_name: str


class Trade(EntityFact):
    counterparty_reference: str
    status: Literal["executed", "amended", "cancelled"]
    side: Literal["buy", "sell"] = Field(
        description="From the counterparty's point of view: a buy's deliveries go into "
        "`registry_account`, a sell's come out of it."
    )
    trade_date: date
    scheme: str
    volume_mwh: Decimal
    unit_price: Decimal
    currency: str
    total: Decimal
    countries: list[str]
    technologies: list[str]
    vintage_from: str
    vintage_to: str
    delivery_date: date = Field(
        description="When the whole volume is due; past it with volume outstanding, the "
        "delivery is late."
    )
    registry_account: str = Field(description="The counterparty's registry account.")
    payment_due_date: date
    cancellation_reason: str | None = None


class CertificateBatch(EventData):
    serial_start: int
    serial_end: int
    quantity: int
    vintage: str
    country: str
    device_code: str
    technology: str


class Delivery(EntityFact):
    counterparty_reference: str
    status: Literal["completed", "failed"]
    trade_reference: str
    delivery_date: date
    scheme: str
    volume_mwh: Decimal
    from_registry_account: str
    to_registry_account: str
    batches: list[CertificateBatch]
    failure_reason: str | None = None


class RetirementCompletedV1(EntityFact):
    """RetirementCompleted v1: did not say which registry account the certificates left."""

    counterparty_reference: str
    scheme: str
    volume_mwh: Decimal
    retired_on: date
    beneficiary_name: str
    consumption_country: str
    consumption_period_start: date
    consumption_period_end: date
    reporting_year: int
    purpose: str
    registry_transaction_reference: str
    batches: list[CertificateBatch]
    warnings: list[str] = Field(default_factory=list)


class RetirementCompleted(RetirementCompletedV1):
    """RetirementCompleted v2: certificates of the counterparty's registry account retired."""

    registry_account: str | None = Field(
        description="The counterparty's registry account the certificates were retired "
        "from. Null only on retirements published as v1 (upcast), which did not name it."
    )


def _retirement_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 never named the registry account: it is unknown, not guessed."""
    return {**data, "registry_account": None}


class InvoiceLine(EventData):
    description: str
    trade_reference: str | None = None
    delivery_reference: str | None = None
    quantity_mwh: Decimal
    unit_price: Decimal
    amount: Decimal


class Payment(EventData):
    payment_reference: str
    paid_on: date
    amount: Decimal


class Invoice(EntityFact):
    counterparty_reference: str
    document_type: Literal["invoice", "credit_note"]
    credited_invoice_reference: str | None = None
    issue_date: date
    due_date: date
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    lines: list[InvoiceLine]
    payments: list[Payment]


class DocumentPublished(EntityFact):
    """A document for an account; the file is in the provisioning bucket under `object_key`."""

    counterparty_reference: str
    document_type: Literal["trade_confirmation", "invoice", "redemption_statement"]
    title: str
    related_reference: str | None = None
    issued_on: date
    file_name: str
    content_type: str
    size_bytes: int = Field(ge=1)
    sha256: str
    object_key: str


class UploadReceived(EventData):
    """A publisher's file landed; the upload processor picks it up (internal to the service)."""

    upload_id: str
    publisher_id: str
    kind: str
    format: Literal["csv", "jsonl"]
    object_key: str
    size_bytes: int = Field(ge=0)
    dry_run: bool = False


class PublisherFact(EventData):
    """An SCTS administrator's action on a publisher (the staff audit trail records it).

    Names the key only by its public prefix: never the key, its hash or its salt."""

    publisher_id: str
    name: str = Field(description="The publisher's name.")
    all_accounts: bool = Field(description="True when it may feed every account.")
    account_ids: list[str] = Field(
        description="The accounts it may feed, sorted; empty when `all_accounts`."
    )
    key_prefix: str = Field(description="Public prefix of the key issued or revoked.")
    actor: str = Field(description="Cognito subject of the SCTS administrator who acted.")
    at: AwareDatetime = Field(description="When it happened (UTC).")


class PublisherRegistered(PublisherFact):
    """A publisher was registered with its first key (`key_prefix`)."""


class PublisherKeyIssued(PublisherFact):
    """A publisher was given a new key (rotation); its other keys expire after the overlap."""

    overlap_ends_at: AwareDatetime = Field(description="When the publisher's older keys stop.")


class PublisherKeyRevoked(PublisherFact):
    """A publisher's key was revoked, at once (its first revocation; repeats emit nothing)."""


def _event(detail_type: str, model: type[EventData], version: int = 1) -> EventType:
    return EventType(detail_type=detail_type, version=version, service=SERVICE, data_model=model)


COUNTERPARTY_LINKED = _event("CounterpartyLinked", CounterpartyLinked)
TRADE_EXECUTED = _event("TradeExecuted", Trade)
TRADE_AMENDED = _event("TradeAmended", Trade)
TRADE_CANCELLED = _event("TradeCancelled", Trade)
DELIVERY_COMPLETED = _event("DeliveryCompleted", Delivery)
DELIVERY_FAILED = _event("DeliveryFailed", Delivery)
RETIREMENT_COMPLETED_V1 = _event("RetirementCompleted", RetirementCompletedV1)
RETIREMENT_COMPLETED = _event("RetirementCompleted", RetirementCompleted, version=2)
INVOICE_ISSUED = _event("InvoiceIssued", Invoice)
INVOICE_PAID = _event("InvoicePaid", Invoice)
DOCUMENT_PUBLISHED = _event("DocumentPublished", DocumentPublished)
UPLOAD_RECEIVED = _event("UploadReceived", UploadReceived)
PUBLISHER_REGISTERED = _event("PublisherRegistered", PublisherRegistered, version=1)
PUBLISHER_KEY_ISSUED = _event("PublisherKeyIssued", PublisherKeyIssued, version=1)
PUBLISHER_KEY_REVOKED = _event("PublisherKeyRevoked", PublisherKeyRevoked, version=1)
PUBLISHER_EVENTS: tuple[EventType, ...] = (
    PUBLISHER_REGISTERED,
    PUBLISHER_KEY_ISSUED,
    PUBLISHER_KEY_REVOKED,
)
"""SCTS administrators' actions on publishers: identity records them in the staff audit."""

EVENT_TYPES: tuple[EventType, ...] = (
    COUNTERPARTY_LINKED,
    TRADE_EXECUTED,
    TRADE_AMENDED,
    TRADE_CANCELLED,
    DELIVERY_COMPLETED,
    DELIVERY_FAILED,
    RETIREMENT_COMPLETED_V1,
    RETIREMENT_COMPLETED,
    INVOICE_ISSUED,
    INVOICE_PAID,
    DOCUMENT_PUBLISHED,
    UPLOAD_RECEIVED,
    *PUBLISHER_EVENTS,
)

UPCASTERS: tuple[Upcaster, ...] = (
    Upcaster(RETIREMENT_COMPLETED_V1, RETIREMENT_COMPLETED, _retirement_v1_to_v2),
)
