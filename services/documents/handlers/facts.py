"""Lambda entry point: provisioning's facts -> the facts table and generated documents."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.documents import SERVICE, dependencies
from services.documents.logic.generation import apply_fact
from services.documents.models.facts import KIND_OF_DETAIL_TYPE, Fact

obs = observability(SERVICE)


def fact_of(envelope: EventEnvelope[Any]) -> Fact:
    """The fact an event carries: its data kept whole, as received (after upcasting)."""
    return Fact(
        kind=KIND_OF_DETAIL_TYPE[envelope.detail_type],
        event_id=str(envelope.event_id),
        detail_type=envelope.detail_type,
        occurred_at=envelope.occurred_at,
        data=envelope.data.model_dump(mode="json"),
    )


def handle(envelope: EventEnvelope[Any]) -> None:
    if envelope.detail_type not in KIND_OF_DETAIL_TYPE:
        obs.logger.info("event not used here")
        return
    outcome = apply_fact(dependencies.ports(), fact_of(envelope), envelope.correlation_id)
    obs.metrics.add_metric(name=f"Facts{outcome.value.title()}", unit=MetricUnit.Count, value=1)
    obs.logger.info("fact applied", extra={"outcome": outcome.value})


handler = consumer_handler(CATALOG, handle, obs)
