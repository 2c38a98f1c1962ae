"""Lambda entry points of the pipeline's stages (each fed by its own queue; a failed
message alone is retried, later each time, then lands in the stage's DLQ): render, email,
push, record."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from common.consumer import sqs_batch_handler
from common.observability import observability
from common.wiring import provider
from services.notifications import SERVICE, dependencies
from services.notifications.adapters.queues import RetryBackoff
from services.notifications.logic import pipeline
from services.notifications.logic import record as recording
from services.notifications.logic.ports import Outcome

obs = observability(SERVICE)


class RetryLater(Exception):
    """The stage did what it could; the rest waits for the message's next receive."""


@provider
def backoff() -> RetryBackoff:
    return RetryBackoff()


def _stage(work: Callable[[dict[str, Any]], None]) -> Callable[[SQSRecord], None]:
    def process(record: SQSRecord) -> None:  # Powertools passes it by this name
        try:
            work(json.loads(record.body))
        except Exception:
            obs.logger.exception("stage message not done; it will be retried")
            count = int(record.attributes.approximate_receive_count or 1)
            try:
                backoff().later(record.event_source_arn, record.receipt_handle, count)
            except Exception:  # the queue's own visibility timeout still applies
                obs.logger.warning("could not delay the retry")
            raise

    return process


def count_outcomes(outcomes: list[Outcome]) -> None:
    """Deliveries by channel and status, for SRE's dashboards and alarms."""
    for outcome in outcomes:
        with single_metric(
            name="Deliveries", unit=MetricUnit.Count, value=1, namespace="SCTS"
        ) as metric:
            metric.add_dimension(name="service", value=SERVICE)
            metric.add_dimension(name="channel", value=outcome.channel.value)
            metric.add_dimension(name="status", value=outcome.status)


def render(message: dict[str, Any]) -> None:
    ports = dependencies.ports()
    if "occurrence" in message:
        pipeline.render_occurrence(ports, message)
    else:
        pipeline.render_held(ports, message)


def email(message: dict[str, Any]) -> None:
    ports = dependencies.ports()
    outcomes, retry = pipeline.dispatch_emails(ports, message)
    if outcomes:
        ports.queues.record([recording.outcome_message(outcomes)])
    if retry:
        raise RetryLater("the mail service did not take an email; it is retried")


def push(message: dict[str, Any]) -> None:
    ports = dependencies.ports()
    outcomes, retry = pipeline.dispatch_pushes(ports, message)
    if outcomes:
        ports.queues.record([recording.outcome_message(outcomes)])
    if retry:
        raise RetryLater("a push service did not take a notice; it is retried")


def recorded(message: dict[str, Any]) -> None:
    ports = dependencies.ports()
    if "outcomes" in message:
        outcomes = recording.outcomes_of(message)
        recording.record(ports, outcomes)
        count_outcomes(outcomes)
        return
    event = recording.ses_event(message)
    if event is not None:
        done = recording.apply_ses_event(ports, event)
        count_outcomes(done.outcomes)


render_handler = sqs_batch_handler(_stage(render), obs)
email_handler = sqs_batch_handler(_stage(email), obs)
push_handler = sqs_batch_handler(_stage(push), obs)
record_handler = sqs_batch_handler(_stage(recorded), obs)
