"""Lambda entry point: provisioning's events -> the portfolio read model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.consumer import batch_consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.portfolio import SERVICE
from services.portfolio.dependencies import projection_store
from services.portfolio.logic.facts import Fact, is_projected
from services.portfolio.logic.projector import LatestActivity, Outcome, apply_event_fact

obs = observability(SERVICE)

METRIC_FOR = {
    Outcome.APPLIED: "EventsApplied",
    Outcome.STALE: "EventsIgnoredStale",
    Outcome.DUPLICATE: "EventsDuplicate",
    Outcome.HELD: "EventsHeld",
}


def report(envelope: EventEnvelope[Any], outcome: Outcome) -> None:
    lag_ms = (datetime.now(UTC) - envelope.occurred_at).total_seconds() * 1000
    obs.metrics.add_metric(name=METRIC_FOR[outcome], unit=MetricUnit.Count, value=1)
    obs.metrics.add_metric(name="ProjectionLag", unit=MetricUnit.Milliseconds, value=lag_ms)
    obs.logger.info("event projected", extra={"outcome": outcome.value, "lag_ms": round(lag_ms)})


class ProjectionBatch:
    """One invocation's events: each applied on its own (a failure retries that event
    alone), the accounts' last activity kept once for the batch."""

    def __init__(self) -> None:
        self._store = projection_store()
        self._activity = LatestActivity()

    def handle(self, envelope: EventEnvelope[Any]) -> None:
        if not is_projected(envelope.detail_type):
            obs.logger.info("event not projected here", extra={"detail_type": envelope.detail_type})
            return
        fact = Fact.from_envelope(envelope)
        self._activity.see(fact)
        report(envelope, apply_event_fact(self._store, fact))

    def finish(self) -> None:
        self._activity.keep(self._store)


handler = batch_consumer_handler(CATALOG, ProjectionBatch, obs)
