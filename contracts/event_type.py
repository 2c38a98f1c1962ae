"""The declaration of one versioned event type, and the one way to build its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import (
    DETAIL_TYPE_PATTERN,
    EventData,
    EventEnvelope,
    new_event_id,
    source_for,
    utc_now,
)


class EventType(BaseModel):
    """One versioned event type: its name, version, publishing service and data model."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    detail_type: str = Field(pattern=DETAIL_TYPE_PATTERN)
    version: int = Field(ge=1)
    service: str = Field(pattern=r"^[a-z]+$")
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

    def new(
        self,
        data: EventData,
        account_id: str | None,
        correlation_id: str,
        causation_id: str | None = None,
        occurred_at: datetime | None = None,
        *,
        event_id: UUID | None = None,
    ) -> EventEnvelope[Any]:
        """A new, validated envelope of this type: how every producer builds its events.

        `correlation_id` is the id of the request that started the chain: in an API
        handler `obs.logger.get_correlation_id()` (the API Gateway request id, injected by
        `common.lambda_api.http_handler`); in a consumer, the incoming envelope's
        `correlation_id`. `causation_id` is the id of what directly caused this event
        (the request id or the incoming event's `event_id`). Pass `event_id` only to make
        a retried producer emit the same event twice (consumers de-duplicate on it).
        `occurred_at` defaults to now (UTC) and must carry a timezone.
        """
        if type(data) is not self.data_model:
            raise TypeError(
                f"{self.schema_name} carries {self.data_model.__name__}, not {type(data).__name__}"
            )
        return self.envelope_model()(
            event_id=event_id or new_event_id(),
            detail_type=self.detail_type,
            version=self.version,
            source=self.source,
            occurred_at=occurred_at or utc_now(),
            account_id=account_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            data=data,
        )
