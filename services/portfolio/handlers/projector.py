"""Lambda entry point: provisioning's events -> the portfolio read model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.portfolio import SERVICE
from services.portfolio.dependencies import projection_store
from services.portfolio.logic.facts import Fact, is_projected
from services.portfolio.logic.projector import Outcome, apply_event_fact

obs = observability(SERVICE)

METRIC_FOR = {
    Outcome.APPLIED: "EventsApplied",
    Outcome.STALE: "EventsIgnoredStale",
    Outcome.DUPLICATE: "EventsDuplicate",
    Outcome.HELD: "EventsHeld",
}


def project(envelope: EventEnvelope[Any]) -> None:
    if not is_projected(envelope.detail_type):
        obs.logger.info("event not projected here", extra={"detail_type": envelope.detail_type})
        return
    outcome = apply_event_fact(projection_store(), Fact.from_envelope(envelope))
    lag_ms = (datetime.now(UTC) - envelope.occurred_at).total_seconds() * 1000
    obs.metrics.add_metric(name=METRIC_FOR[outcome], unit=MetricUnit.Count, value=1)
    obs.metrics.add_metric(name="ProjectionLag", unit=MetricUnit.Milliseconds, value=lag_ms)
    obs.logger.info("event projected", extra={"outcome": outcome.value, "lag_ms": round(lag_ms)})


handler = consumer_handler(CATALOG, project, obs)
