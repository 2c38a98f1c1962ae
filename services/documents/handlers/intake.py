"""Lambda entry point: `DocumentPublished` -> the file read through the claim check,
checked, quarantined for the malware scan (or refused)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.documents import SERVICE, dependencies
from services.documents.handlers.facts import fact_of
from services.documents.logic.intake import take_in

obs = observability(SERVICE)


def handle(envelope: EventEnvelope[Any]) -> None:
    if envelope.detail_type != "DocumentPublished":
        obs.logger.info("event not used here")
        return
    outcome = take_in(
        dependencies.ports(),
        dependencies.shared_files(),
        fact_of(envelope),
        envelope.correlation_id,
    )
    obs.metrics.add_metric(name=f"Intake{outcome.value.title()}", unit=MetricUnit.Count, value=1)
    obs.logger.info("published document taken in", extra={"outcome": outcome.value})


handler = consumer_handler(CATALOG, handle, obs)
