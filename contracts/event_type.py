"""The declaration of one versioned event type."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from contracts.envelope import EventData, EventEnvelope, source_for


class EventType(BaseModel):
    """One versioned event type: its name, version, publishing service and data model."""

    model_config = ConfigDict(frozen=True)

    detail_type: str
    version: int
    service: str
    data_model: type[EventData]

    @property
    def source(self) -> str:
        return source_for(self.service)

    @property
    def key(self) -> tuple[str, int]:
        return (self.detail_type, self.version)

    @property
    def schema_name(self) -> str:
        """File stem used for the exported JSON Schema and the example fixture."""
        return f"{self.detail_type}.v{self.version}"

    def envelope_model(self) -> type[EventEnvelope[Any]]:
        return EventEnvelope[self.data_model]  # type: ignore[name-defined]
