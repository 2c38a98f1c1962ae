"""Lambda entry point: a statements run (the schedule's message, or an administrator's)."""

from __future__ import annotations

import json

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from common.consumer import sqs_batch_handler
from common.observability import observability
from services.documents import SERVICE, dependencies
from services.documents.logic import statements

obs = observability(SERVICE)


def process(record: SQSRecord) -> None:
    message = json.loads(record.body)
    if not isinstance(message, dict):
        raise ValueError("a statements run message is a JSON object")
    ports = dependencies.ports()
    month = statements.month_of_request(message, ports.clock().date())
    correlation_id = str(message.get("correlation_id") or record.message_id)
    obs.logger.set_correlation_id(correlation_id)
    result = statements.run(ports, month, correlation_id)
    obs.metrics.add_metric(name="StatementsIssued", unit=MetricUnit.Count, value=len(result.issued))
    obs.logger.info(
        "statements run",
        extra={
            "month": result.month,
            "accounts": result.accounts,
            "issued": len(result.issued),
            "unchanged": result.unchanged,
            "without_activity": result.without_activity,
        },
    )


handler = sqs_batch_handler(process, obs)
