"""Facts: the provisioning events a projection is folded from, keyed for de-duplication.

Each read-model entity (a trade with its deliveries, a retirement, an invoice) is a
*stream* of facts. A fact's key is unique per entity version, so the same event twice is
one fact; the entity's state is a pure function of its SET of facts (see `folds.py`),
which is what makes the projection independent of delivery order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from contracts.events import provisioning as prov

TRADE_DETAIL_TYPES = ("TradeExecuted", "TradeAmended", "TradeCancelled")
DELIVERY_DETAIL_TYPES = ("DeliveryCompleted", "DeliveryFailed")
RETIREMENT_DETAIL_TYPES = ("RetirementCompleted",)
INVOICE_DETAIL_TYPES = ("InvoiceIssued", "InvoicePaid")
PROJECTED_DETAIL_TYPES = (
    *TRADE_DETAIL_TYPES,
    *DELIVERY_DETAIL_TYPES,
    *RETIREMENT_DETAIL_TYPES,
    *INVOICE_DETAIL_TYPES,
)

FactData = prov.Trade | prov.Delivery | prov.RetirementCompleted | prov.Invoice
_DATA_MODELS: dict[str, type[FactData]] = {
    **dict.fromkeys(TRADE_DETAIL_TYPES, prov.Trade),
    **dict.fromkeys(DELIVERY_DETAIL_TYPES, prov.Delivery),
    **dict.fromkeys(RETIREMENT_DETAIL_TYPES, prov.RetirementCompleted),
    **dict.fromkeys(INVOICE_DETAIL_TYPES, prov.Invoice),
}


@dataclass(frozen=True)
class StreamId:
    """The entity a fact belongs to: kind (trade / retirement / invoice) in one account."""

    kind: str
    account_id: str
    reference: str


@dataclass(frozen=True)
class Fact:
    detail_type: str
    event_id: str
    occurred_at: datetime
    data: FactData
    credits: str | None = None
    """Set on a credit note's copy kept in the invoice it credits (this reference): the
    invoice's fold sees what was credited, so its outstanding and status follow."""

    @property
    def version(self) -> int:
        return self.data.version

    def applied_elsewhere(self) -> list[Fact]:
        """The copies of this fact other entities fold too: a credit note, in the invoice
        it credits."""
        data = self.data
        if (
            self.credits is None
            and isinstance(data, prov.Invoice)
            and data.document_type == "credit_note"
            and data.credited_invoice_reference
        ):
            return [replace(self, credits=data.credited_invoice_reference)]
        return []

    @property
    def stream(self) -> StreamId:
        data = self.data
        if self.credits is not None:
            return StreamId("invoice", data.account_id, self.credits)
        if isinstance(data, prov.Delivery):
            return StreamId("trade", data.account_id, data.trade_reference)
        if isinstance(data, prov.Trade):
            return StreamId("trade", data.account_id, data.reference)
        if isinstance(data, prov.RetirementCompleted):
            return StreamId("retirement", data.account_id, data.reference)
        return StreamId("invoice", data.account_id, data.reference)

    @property
    def key(self) -> str:
        """Unique per entity version inside its stream: the de-duplication key."""
        if isinstance(self.data, prov.Delivery):
            return f"D#{self.data.reference}#{self.version:010d}"
        if self.credits is not None:
            return f"C#{self.data.reference}#{self.version:010d}"
        return f"V#{self.version:010d}"

    def to_record(self) -> dict[str, Any]:
        record = {
            "detail_type": self.detail_type,
            "event_version": CATALOG.newest(self.detail_type).version,
            "event_id": self.event_id,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data.model_dump(mode="json"),
        }
        return record | ({"credits": self.credits} if self.credits else {})

    @classmethod
    def from_envelope(cls, envelope: EventEnvelope[Any]) -> Fact:
        if not isinstance(envelope.data, FactData):
            raise TypeError(f"{envelope.detail_type} is not projected by the portfolio")
        return cls(
            detail_type=envelope.detail_type,
            event_id=str(envelope.event_id),
            occurred_at=envelope.occurred_at,
            data=envelope.data,
        )

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Fact:
        """A stored fact, upcast to the newest version of its type (facts stored before
        `event_version` was kept are all version 1)."""
        detail_type = record["detail_type"]
        version = int(record.get("event_version", 1))
        _, data = CATALOG.upcast_data(detail_type, version, record["data"])
        if not isinstance(data, _DATA_MODELS[detail_type]):
            raise TypeError(f"{detail_type} v{version} is not projected as stored")
        return cls(
            detail_type=detail_type,
            event_id=record["event_id"],
            occurred_at=TypeAdapter(datetime).validate_python(record["occurred_at"]),
            data=data,
            credits=record.get("credits"),
        )


def is_projected(detail_type: str) -> bool:
    return detail_type in _DATA_MODELS
