"""Every event type the portal knows: detail-type + version -> source and data model.

Each service declares its events in `contracts/events/<service>.py` as `EventType`
constants listed in that module's `EVENT_TYPES`; `contracts/events/__init__.py` names
the modules. Producers and consumers resolve models through a `Catalog`, so both parse
with the same code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from contracts import events
from contracts.envelope import EventEnvelope
from contracts.event_type import EventType


class UnknownEventType(LookupError):
    """A detail-type/version pair that no service declared (or not from that source)."""


class EnvelopeMismatch(ValueError):
    """EventBridge's `source`/`detail-type` disagree with the envelope in `detail`."""


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

    def __iter__(self) -> Iterator[EventType]:
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
        for a well-formed envelope of a type nobody declared, or declared by another
        service than the envelope's `source` claims.
        """
        if isinstance(raw, dict):
            header = _EnvelopeHeader.model_validate(raw)
            event_type = self.lookup(header.detail_type, header.version)
            envelope = event_type.envelope_model().model_validate(raw)
        else:
            header = _EnvelopeHeader.model_validate_json(raw)
            event_type = self.lookup(header.detail_type, header.version)
            envelope = event_type.envelope_model().model_validate_json(raw)
        if envelope.source != event_type.source:
            raise UnknownEventType(
                f"{event_type.schema_name} is published by {event_type.source}, "
                f"not {envelope.source}"
            )
        return envelope

    def parse_eventbridge(self, event: Mapping[str, Any]) -> EventEnvelope[Any]:
        """The envelope of an event as EventBridge delivers it (to SQS, a Lambda, a Pipe).

        `detail` may be an object (EventBridge) or a JSON string; the outer `source` and
        `detail-type` must repeat the envelope's, since rules route on them.
        """
        detail = event["detail"]
        envelope = self.parse(detail if isinstance(detail, (str, bytes)) else dict(detail))
        if event.get("detail-type") != envelope.detail_type or event.get("source") != (
            envelope.source
        ):
            raise EnvelopeMismatch(
                f"EventBridge says {event.get('source')}/{event.get('detail-type')}, "
                f"the envelope {envelope.source}/{envelope.detail_type}"
            )
        return envelope

    def of_service(self, service: str) -> list[EventType]:
        return [t for t in self if t.service == service]


CATALOG = Catalog(t for module in events.MODULES for t in module.EVENT_TYPES)
