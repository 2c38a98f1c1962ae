"""Lambda entry point of the events subscription: each event once through `intake`."""

from __future__ import annotations

from typing import Any

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.notifications import SERVICE, dependencies
from services.notifications.logic.intake import take_event

obs = observability(SERVICE)


def take(envelope: EventEnvelope[Any]) -> None:
    reached = take_event(dependencies.ports(), envelope)
    if reached:
        obs.metrics.add_metric(name="PeopleNotified", unit="Count", value=reached)


handler = consumer_handler(CATALOG, take, obs)
