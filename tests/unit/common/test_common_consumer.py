"""common/consumer.py: a record that cannot be read fails alone, and says so in the log."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from common.consumer import consumer_handler
from common.observability import observability
from contracts.envelope import EventEnvelope
from infra.local.invoke import LambdaContext
from tests.unit.local.test_local_consumer import CATALOG, bus_event, envelope, sqs_event

pytestmark = pytest.mark.unit


def test_a_record_that_cannot_be_read_is_logged_not_only_retried() -> None:
    """A poison record (not an event, an unknown type) fails alone; before, its failure
    reached no log at all (Powertools keeps it to its own silenced logger), so the only
    trace of it was the DLQ alarm days later, with nothing saying why."""
    obs = observability("consumer-poison-test")
    output = io.StringIO()
    handler_of_logs = obs.logger.registered_handler
    assert isinstance(handler_of_logs, logging.StreamHandler)
    handler_of_logs.setStream(output)
    handled: list[str] = []

    def handle(event: EventEnvelope[Any]) -> None:
        handled.append(event.data.thing)

    answer = consumer_handler(CATALOG, handle, obs)(
        sqs_event([bus_event(envelope("fine")), "not json"]),
        LambdaContext("consumer-poison-test", 128, 30),  # type: ignore[arg-type]
    )
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert handled == ["fine"]
    errors = [
        line
        for line in map(json.loads, output.getvalue().splitlines())
        if line.get("level") == "ERROR"
    ]
    assert [line.get("message_id") for line in errors] == ["m1"]
    assert errors[0].get("correlation_id") != envelope("fine")["correlation_id"]


def test_a_batch_that_fails_whole_fails_without_carrying_what_its_records_raised() -> None:
    """When every record fails, the invocation must fail (the queue retries the batch),
    but Powertools' BatchProcessingError carries each record's traceback, and the Lambda
    runtime prints an escaping exception raw (and X-Ray keeps it): past the redacting
    logger, which has already logged each record."""
    obs = observability("consumer-all-fail-test")
    obs.logger.registered_handler.setStream(io.StringIO())  # type: ignore[attr-defined]

    def handle(event: EventEnvelope[Any]) -> None:
        raise RuntimeError("login failed for password=hunter2-secret")

    handler = consumer_handler(CATALOG, handle, obs)
    with pytest.raises(Exception) as raised:  # noqa: PT011 - what escapes is the point
        handler(
            sqs_event([bus_event(envelope("a")), bus_event(envelope("b"))]),
            LambdaContext("consumer-all-fail-test", 128, 30),  # type: ignore[arg-type]
        )
    escaped = raised.value
    assert isinstance(escaped, BatchProcessingError)  # what callers catch, as before
    assert "hunter2-secret" not in str(escaped)
    assert escaped.__cause__ is None
    assert escaped.__suppress_context__
