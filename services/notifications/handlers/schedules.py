"""Lambda entry points of the declared schedules: each run is a message
`{"schedule", "scheduled_time"}` on the schedule's own queue (EventBridge Scheduler sends
it in the cloud, the runtime's scheduler locally, `python -m infra.local.scheduler fire`
by hand); a run that fails is retried by the queue and then waits in its DLQ. Every run
is safe to repeat: the plans it makes are keyed, so a second run tells nobody twice."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from common.consumer import sqs_batch_handler
from common.observability import observability
from services.notifications import SERVICE, dependencies
from services.notifications.logic import schedules
from services.notifications.logic.ports import Ports

obs = observability(SERVICE)


def _run(metric: str, work: Callable[[Ports], int]) -> Callable[[SQSRecord], None]:
    def process(record: SQSRecord) -> None:
        obs.logger.set_correlation_id(record.message_id)
        count = work(dependencies.ports())
        obs.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=count)
        obs.logger.info("schedule run", extra={"metric": metric, "count": count})

    return process


overdue_handler = sqs_batch_handler(_run("OverdueTold", schedules.overdue_scan), obs)
digest_handler = sqs_batch_handler(_run("DigestsSent", schedules.send_digests), obs)
release_handler = sqs_batch_handler(_run("HeldReleased", schedules.release_held), obs)
