"""Upcasting: how an event of an older version is read as the newest version of its type.

A changed event gets a new version (`contracts/events/<service>.py`); the module declares
an `Upcaster` from each older version to the next one. The `Catalog` parses an envelope with
the model of the version it names, then runs the upcasters until it reaches the newest
version, so consumers only ever handle the newest shape, and a replay of events published
long ago (an archive, an outbox scan, a rebuild) still folds. An upcaster must only fill
what the old version could not say (say so in the new field's description), never guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.event_type import EventType

DataUpgrade = Callable[[dict[str, Any]], dict[str, Any]]
"""The old version's data (its JSON dump) -> the next version's data, as a JSON object."""


@dataclass(frozen=True)
class Upcaster:
    """Turns data of `source` (version n) into data of `target` (version n + 1)."""

    source: EventType
    target: EventType
    upgrade: DataUpgrade

    def __post_init__(self) -> None:
        if (
            self.source.detail_type != self.target.detail_type
            or self.source.service != self.target.service
            or self.target.version != self.source.version + 1
        ):
            raise ValueError(
                f"an upcaster goes from one version to the next of the same type: "
                f"{self.source.schema_name} -> {self.target.schema_name}"
            )

    def apply(self, data: dict[str, Any]) -> Any:
        """The next version's data model instance, validated."""
        return self.target.data_model.model_validate(self.upgrade(dict(data)))
