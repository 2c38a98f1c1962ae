"""The building block every event consumer uses: an SQS batch of EventBridge events in,
one `handle(envelope)` call per event, partial batch failures out.

The queue is fed by an EventBridge rule, so each SQS body is an EventBridge event whose
`detail` is our envelope (the envelope is parsed through the Catalog, the only place that
knows the data models). A record that fails (malformed, unknown type, or `handle` raising)
is reported in `batchItemFailures`: it alone is retried and, after the subscription's
max receives, lands in the DLQ. `handle` must be idempotent on `envelope.event_id`
(delivery is at least once).

Import order matters once: Powertools' batch utility imports every event-source parser
model (about a hundred pydantic models, ~20 ms of a cold start) if pydantic is already
imported when the utility is, only for type hints; our records are parsed by the catalog.
So a consumer module imports `aws_lambda_powertools.utilities.batch` among its third-party
imports, before anything imports pydantic, and `tests/unit/test_cold_imports.py` fails
when a handler loads the parser models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from common.observability import Observability
from contracts.catalog import Catalog
from contracts.envelope import EventEnvelope

EnvelopeHandler = Callable[[EventEnvelope[Any]], None]
ConsumerHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


class MalformedEvent(ValueError):
    """The SQS body is not an EventBridge event carrying an envelope."""


class WholeBatchFailed(BatchProcessingError):
    """Every record of the batch failed (each is logged, redacted): the invocation fails so
    the queue retries the batch, but without the records' exceptions, which Powertools'
    own error carries (their tracebacks) to the Lambda runtime's raw output and the trace."""

    def __init__(self, records: int) -> None:
        super().__init__(f"all {records} records failed; see the log", child_exceptions=[])


def envelope_from_body(catalog: Catalog, body: str) -> EventEnvelope[Any]:
    """The envelope inside an EventBridge event delivered to SQS.

    Only `detail`, `source` and `detail-type` are read (`Catalog.parse_eventbridge`): moto
    omits `account`, and the envelope (not EventBridge metadata) is the contract.
    """
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise MalformedEvent("body is not JSON") from exc
    if not isinstance(event, dict) or not isinstance(event.get("detail"), dict):
        raise MalformedEvent("body has no EventBridge detail")
    return catalog.parse_eventbridge(event)


def record_processor(
    catalog: Catalog, handle: EnvelopeHandler, logger: Logger
) -> Callable[[SQSRecord], None]:
    """Per-record work: parse, tag the logs with the event's correlation id, handle.

    A record that cannot be read fails like one whose handling fails, and is logged alike
    (with its SQS message id): Powertools keeps failures to its own silenced logger."""

    def process(record: SQSRecord) -> None:
        logger.set_correlation_id(None)  # never the previous record's
        logger.append_keys(message_id=record.message_id)
        try:
            envelope = envelope_from_body(catalog, record.body)
            logger.set_correlation_id(envelope.correlation_id)
            logger.append_keys(event_id=str(envelope.event_id), detail_type=envelope.detail_type)
            handle(envelope)
        except Exception:
            logger.exception("event not handled; it will be retried")
            raise
        finally:
            logger.remove_keys(["message_id", "event_id", "detail_type"])

    return process


def consumer_handler(
    catalog: Catalog, handle: EnvelopeHandler, obs: Observability
) -> ConsumerHandler:
    """The Lambda entry point of a subscription (ReportBatchItemFailures semantics)."""
    return sqs_batch_handler(record_processor(catalog, handle, obs.logger), obs)


class BatchWork(Protocol):
    """One invocation's work: `handle` each event, then `finish` once."""

    def handle(self, envelope: EventEnvelope[Any]) -> None: ...

    def finish(self) -> None:
        """What one call can do for the whole batch (a maximum kept once rather than per
        event). Runs after every record was tried; if it raises, the invocation fails and
        the whole batch is retried, so it must be idempotent, like `handle`."""
        ...


def batch_consumer_handler(
    catalog: Catalog, start: Callable[[], BatchWork], obs: Observability
) -> ConsumerHandler:
    """A subscription's entry point whose work spans the batch: `start` makes it anew for
    each invocation, so nothing carries over from one batch to the next."""

    def begin() -> tuple[Callable[[SQSRecord], None], Callable[[], None]]:
        work = start()
        return record_processor(catalog, work.handle, obs.logger), work.finish

    return _entry_point(begin, obs)


def sqs_batch_handler(process: Callable[[SQSRecord], None], obs: Observability) -> ConsumerHandler:
    """A Lambda entry point over an SQS batch: each record through `process`; the records
    that raise are reported as failures (partial batch response), so only they retry."""
    return _entry_point(lambda: (process, _nothing), obs)


def _nothing() -> None:
    """No work after the batch."""


def _entry_point(
    begin: Callable[[], tuple[Callable[[SQSRecord], None], Callable[[], None]]],
    obs: Observability,
) -> ConsumerHandler:
    @obs.logger.inject_lambda_context
    @obs.tracer.capture_lambda_handler
    @obs.metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        process, finish = begin()
        processor = BatchProcessor(event_type=EventType.SQS)
        try:
            response = dict(process_partial_response(event, process, processor, context))
        except BatchProcessingError:
            records = len(event.get("Records") or [])
            raise WholeBatchFailed(records) from None
        finish()
        return response

    return handler
