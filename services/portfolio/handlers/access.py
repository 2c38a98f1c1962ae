"""Lambda entry point: identity's access events -> the portfolio's own access projection."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.access import AccessProjection
from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.portfolio.models.settings import PortfolioSettings
from services.portfolio.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)


@cache
def projection() -> AccessProjection:
    return AccessProjection(PortfolioSettings().access_table)


def project_access(envelope: EventEnvelope[Any]) -> None:
    changed = projection().apply(envelope)
    name = "AccessEventsApplied" if changed else "AccessEventsIgnoredStale"
    obs.metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


handler = consumer_handler(CATALOG, project_access, obs)
