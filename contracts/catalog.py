"""Every event type the portal knows: detail-type + version -> source and data model.

Each service declares its events in `contracts/events/<service>.py` as `EventType`
constants listed in that module's `EVENT_TYPES` (and, for a type with several versions,
the `UPCASTERS` between them); `EVENT_MODULES` below names the modules.
Producers and consumers resolve models through a `Catalog`, so both parse with the same
code, and consumers see every event in the newest version of its type (`contracts.
upcasting`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ConfigDict

from contracts.envelope import EventEnvelope
from contracts.event_type import EventType
from contracts.events import documents, identity, provisioning
from contracts.upcasting import Upcaster


class UnknownEventType(LookupError):
    """A detail-type/version pair that no service declared (or not from that source)."""


class EnvelopeMismatch(ValueError):
    """EventBridge's `source`/`detail-type` disagree with the envelope in `detail`."""


class _EnvelopeHeader(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)
    detail_type: str
    version: int


class Catalog:
    """A closed set of event types, looked up by (detail-type, version)."""

    def __init__(
        self, event_types: Iterable[EventType], upcasters: Iterable[Upcaster] = ()
    ) -> None:
        self._types: dict[tuple[str, int], EventType] = {}
        for event_type in event_types:
            if event_type.key in self._types:
                raise ValueError(f"event type declared twice: {event_type.key}")
            self._types[event_type.key] = event_type
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for upcaster in upcasters:
            for end in (upcaster.source, upcaster.target):
                if self._types.get(end.key) != end:
                    raise ValueError(f"upcaster names {end.schema_name}, not in the catalog")
            if upcaster.source.key in self._upcasters:
                raise ValueError(f"two upcasters from {upcaster.source.schema_name}")
            self._upcasters[upcaster.source.key] = upcaster
        for event_type in self._types.values():
            newer = (event_type.detail_type, event_type.version + 1)
            if newer in self._types and event_type.key not in self._upcasters:
                raise ValueError(
                    f"{event_type.schema_name} has a newer version but no upcaster to it"
                )

    def __iter__(self) -> Iterator[EventType]:
        return iter(sorted(self._types.values(), key=lambda t: t.key))

    def __len__(self) -> int:
        return len(self._types)

    def lookup(self, detail_type: str, version: int) -> EventType:
        try:
            return self._types[(detail_type, version)]
        except KeyError as exc:
            raise UnknownEventType(f"{detail_type} v{version} is not in the catalog") from exc

    def newest(self, detail_type: str) -> EventType:
        """The newest version of a detail-type (what producers emit, consumers handle)."""
        versions = [t for t in self._types.values() if t.detail_type == detail_type]
        if not versions:
            raise UnknownEventType(f"{detail_type} is not in the catalog")
        return max(versions, key=lambda t: t.version)

    def upcast(self, envelope: EventEnvelope[Any]) -> EventEnvelope[Any]:
        """The envelope in the newest version of its type (the same event: same id, times,
        account and ids; only `version` and `data` change)."""
        key = (envelope.detail_type, envelope.version)
        if key not in self._upcasters:
            return envelope
        event_type, data = self.upcast_data(
            envelope.detail_type, envelope.version, envelope.data.model_dump(mode="json")
        )
        fields = {name: getattr(envelope, name) for name in type(envelope).model_fields}
        return event_type.envelope_model()(
            **{**fields, "version": event_type.version, "data": data}
        )

    def upcast_data(
        self, detail_type: str, version: int, data: dict[str, Any]
    ) -> tuple[EventType, Any]:
        """Stored event data of any version -> (newest type, its data model instance)."""
        event_type = self.lookup(detail_type, version)
        parsed = event_type.data_model.model_validate(data)
        while (upcaster := self._upcasters.get(event_type.key)) is not None:
            parsed = upcaster.apply(parsed.model_dump(mode="json"))
            event_type = upcaster.target
        return event_type, parsed

    def parse(
        self, raw: dict[str, Any] | str | bytes, *, upcast: bool = True
    ) -> EventEnvelope[Any]:
        """Parse an envelope with the data model its detail-type and version name, then (by
        default) upcast it to the newest version of its type.

        Raises pydantic.ValidationError for a malformed envelope and UnknownEventType
        for a well-formed envelope of a type nobody declared, or declared by another
        service than the envelope's `source` claims. `upcast=False` keeps the version
        it was published in (contract tests, archives).
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
        return self.upcast(envelope) if upcast else envelope

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


EVENT_MODULES: tuple[ModuleType, ...] = (identity, provisioning, documents)

CATALOG = Catalog(
    (t for module in EVENT_MODULES for t in module.EVENT_TYPES),
    (u for module in EVENT_MODULES for u in getattr(module, "UPCASTERS", ())),
)
