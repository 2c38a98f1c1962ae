"""The one Lambda handler every service runs to keep its access projection: identity's
access events -> the service's own `access` table (`SCTS_ACCESS_TABLE`).

Declared in a topology with `access_function()` + `access_subscription()` + `access_table()`.
"""

from __future__ import annotations

import os
from typing import Any

import aws_lambda_powertools.utilities.batch  # noqa: F401 - before pydantic: common/consumer.py
from aws_lambda_powertools.metrics import MetricUnit

from common.access.dynamo import AccessProjection
from common.consumer import consumer_handler
from common.observability import observability
from common.settings import EnvSettings, load_settings
from common.wiring import provider
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope


class AccessSettings(EnvSettings):
    access_table: str


@provider
def settings() -> AccessSettings:
    return load_settings(AccessSettings)


@provider
def projection() -> AccessProjection:
    return AccessProjection(settings().access_table)


obs = observability(os.environ.get("SCTS_SERVICE_NAME", "access"))


def project_access(envelope: EventEnvelope[Any]) -> None:
    changed = projection().apply(envelope)
    name = "AccessEventsApplied" if changed else "AccessEventsIgnoredStale"
    obs.metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


handler = consumer_handler(CATALOG, project_access, obs)
