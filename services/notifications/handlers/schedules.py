"""Lambda entry points of the declared schedules (EventBridge Scheduler in the cloud, the
runtime's scheduler thread locally): `{"schedule", "service", "time"}` in, counts out."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from common.observability import observability
from services.notifications import dependencies
from services.notifications.logic import schedules
from services.notifications.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)


@obs.logger.inject_lambda_context
@obs.metrics.log_metrics
def overdue_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"told": schedules.overdue_scan(dependencies.ports())}


@obs.logger.inject_lambda_context
@obs.metrics.log_metrics
def digest_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"digests": schedules.send_digests(dependencies.ports())}


@obs.logger.inject_lambda_context
@obs.metrics.log_metrics
def release_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return {"released": schedules.release_held(dependencies.ports())}
