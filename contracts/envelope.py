"""The envelope every domain event travels in, whatever service publishes it.

The envelope is the EventBridge `detail`. EventBridge's own `source` and `detail-type`
repeat `source` and `detail_type` so rules can route without opening the detail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

DataT = TypeVar("DataT", bound=BaseModel)

SOURCE_PREFIX = "scts."
DETAIL_TYPE_PATTERN = r"^[A-Z][A-Za-z0-9]*$"
"""Detail-types are PascalCase past-tense facts: TradeExecuted, AccountProvisioned."""


class EventData(BaseModel):
    """Base for every event's `data`: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class EventEnvelope(BaseModel, Generic[DataT]):
    """A fact that happened, with the ids that let it be traced and de-duplicated."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    event_id: UUID = Field(description="Unique per event; consumers de-duplicate on it.")
    detail_type: str = Field(
        pattern=DETAIL_TYPE_PATTERN, description="Past-tense fact name, e.g. TradeExecuted."
    )
    version: int = Field(ge=1, description="Version of the data schema for this detail type.")
    source: str = Field(pattern=r"^scts\.[a-z]+$", description="Publishing service: scts.<name>.")
    occurred_at: AwareDatetime = Field(description="When the fact happened (with timezone).")
    account_id: str | None = Field(
        default=None, description="Counterparty account the fact belongs to; None if global."
    )
    correlation_id: str = Field(min_length=1, description="Request that started the chain.")
    causation_id: str | None = Field(
        default=None, description="Event or request id that directly caused this event."
    )
    data: DataT


def source_for(service: str) -> str:
    """The EventBridge `source` a service publishes under."""
    return f"{SOURCE_PREFIX}{service}"


def new_event_id() -> UUID:
    return uuid4()


def utc_now() -> datetime:
    return datetime.now(UTC)


def envelope_json(envelope: EventEnvelope[Any]) -> str:
    """The envelope as compact JSON, as it travels on the bus."""
    return envelope.model_dump_json()
