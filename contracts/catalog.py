"""Every event type the portal knows: detail-type + version -> source and data model.

Each service declares its events in `contracts/events/<service>.py` as `EventType`
constants listed in that module's `EVENT_TYPES`; `contracts/events/__init__.py` names
the modules. Producers and consumers resolve models through a `Catalog`, so both parse
with the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from contracts import events
from contracts.envelope import EventEnvelope
from contracts.event_type import EventType


class UnknownEventType(LookupError):
    """A detail-type/version pair that no service declared."""


class _EnvelopeHeader(BaseModel):
    model_config = ConfigDict(extra="allow")
    detail_type: str
    version: int


class Catalog:
    """A closed set of event types, looked up by (detail-type, version)."""

    def __init__(self, event_types: Iterable[EventType]) -> None:
        self._types: dict[tuple[str, int], EventType] = {}
        for event_type in event_types:
            if event_type.key in self._types:
                raise ValueError(f"event type declared twice: {event_type.key}")
            self._types[event_type.key] = event_type

    def __iter__(self) -> Any:
        return iter(sorted(self._types.values(), key=lambda t: t.key))

    def __len__(self) -> int:
        return len(self._types)

    def lookup(self, detail_type: str, version: int) -> EventType:
        try:
            return self._types[(detail_type, version)]
        except KeyError as exc:
            raise UnknownEventType(f"{detail_type} v{version} is not in the catalog") from exc

    def parse(self, raw: dict[str, Any] | str | bytes) -> EventEnvelope[Any]:
        """Parse an envelope with the data model its detail-type and version name.

        Raises pydantic.ValidationError for a malformed envelope and UnknownEventType
        for a well-formed envelope of a type nobody declared.
        """
        if isinstance(raw, dict):
            header = _EnvelopeHeader.model_validate(raw)
            return (
                self.lookup(header.detail_type, header.version).envelope_model().model_validate(raw)
            )
        header = _EnvelopeHeader.model_validate_json(raw)
        model = self.lookup(header.detail_type, header.version).envelope_model()
        return model.model_validate_json(raw)

    def of_service(self, service: str) -> list[EventType]:
        return [t for t in self if t.service == service]


CATALOG = Catalog(t for module in events.MODULES for t in module.EVENT_TYPES)
