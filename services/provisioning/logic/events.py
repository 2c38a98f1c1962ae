"""Which event an accepted record produces, and its data."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from contracts.envelope import EventEnvelope
from contracts.event_type import EventType
from contracts.events import provisioning as events
from services.provisioning.models.records import (
    CounterpartyRecord,
    DeliveryRecord,
    DocumentRecord,
    InvoiceRecord,
    Record,
    RecordKind,
    RetirementRecord,
    TradeRecord,
)

EVENT_NAMESPACE = UUID("6b0e8f52-8a8e-4c55-9f0e-2f5b8f0f6a11")
"""Event ids are derived from (kind, reference, version): a retried write emits the same id."""

_TRADE_EVENTS = {
    "executed": events.TRADE_EXECUTED,
    "amended": events.TRADE_AMENDED,
    "cancelled": events.TRADE_CANCELLED,
}


def event_type_for(record: Record) -> EventType:
    if isinstance(record, TradeRecord):
        return _TRADE_EVENTS[record.status]
    if isinstance(record, DeliveryRecord):
        return events.DELIVERY_COMPLETED if record.status == "completed" else events.DELIVERY_FAILED
    if isinstance(record, RetirementRecord):
        return events.RETIREMENT_COMPLETED
    if isinstance(record, InvoiceRecord):
        return events.INVOICE_PAID if record.fully_paid else events.INVOICE_ISSUED
    if isinstance(record, DocumentRecord):
        return events.DOCUMENT_PUBLISHED
    if isinstance(record, CounterpartyRecord):
        return events.COUNTERPARTY_LINKED
    raise TypeError(f"no event for {type(record).__name__}")


def document_key(record: DocumentRecord, account_id: str) -> str:
    """Where the file is kept: named by its content too, so a refused write (another
    publisher's, or other content under a stored version) never replaces a stored file."""
    return (
        f"documents/{account_id}/{record.reference}/v{record.version}/{record.sha256}/"
        f"{record.file_name}"
    )


def event_id_for(kind: RecordKind, record: Record) -> UUID:
    return uuid5(EVENT_NAMESPACE, f"{kind}/{record.reference}/{record.version}")


def event_for(
    kind: RecordKind,
    record: Record,
    *,
    account_id: str,
    publisher_id: str,
    correlation_id: str,
    occurred_at: datetime,
) -> EventEnvelope[Any]:
    event_type = event_type_for(record)
    fields: dict[str, Any] = {
        **record.model_dump(exclude={"content_base64"}),
        "account_id": account_id,
        "publisher_id": publisher_id,
    }
    if isinstance(record, DocumentRecord):
        fields["size_bytes"] = len(record.content())
        fields["object_key"] = document_key(record, account_id)
    if isinstance(record, RetirementRecord):
        fields["warnings"] = record.warnings()
    data = event_type.data_model.model_validate(fields)
    return event_type.new(
        data,
        account_id=account_id,
        correlation_id=correlation_id,
        causation_id=correlation_id,
        occurred_at=occurred_at,
        event_id=event_id_for(kind, record),
    )
