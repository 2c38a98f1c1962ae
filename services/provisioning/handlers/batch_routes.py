"""Publisher routes of the ingest API: a batch of records of one kind, judged one by one.

The body is documented with the kind's record model (`json_request_body`) but parsed here,
record by record, so one bad record is a rejection in its own result, never a 422 for the
batch. What refuses a whole batch is HTTP-level: a body that is not JSON (400), not
`{"records": [...]}` (422), over 1 MB or 500 records (413), or an Idempotency-Key reused
with another body (422) or still running (409).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Request
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.utilities.idempotency import (
    BasePersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, create_model

from common.api import ApiError, json_request_body
from common.errors import FieldProblem, InvalidInput, TooLarge
from common.json_safety import REPEATED_REASON, JsonObject, parse_json
from common.openapi import errors
from services.provisioning import dependencies
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.handlers.publisher_auth import CallingPublisher, CorrelationId
from services.provisioning.handlers.telemetry import add_record_metrics, obs
from services.provisioning.logic.ingest import IngestContext, RecordResult, counts, ingest
from services.provisioning.models import api as m
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RECORD_MODELS, RecordKind
from services.provisioning.models.uploads import Counts

router = Router()
TAGS = ["batches"]
MAX_IDEMPOTENCY_KEY_CHARS = 128
IDEMPOTENCY_KEY_PREFIX = "provisioning-batch"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=(
            "Makes the request safely repeatable for the idempotency window: the same key with "
            f"the same body answers the first answer again. At most {MAX_IDEMPOTENCY_KEY_CHARS} "
            "characters (else 400)."
        ),
    ),
]


def result_view(kind: RecordKind, dry_run: bool, results: list[RecordResult]) -> m.BatchResultView:
    return m.BatchResultView(
        kind=kind,
        dry_run=dry_run,
        counts=m.CountsView.of(Counts().plus(counts(results))),
        results=[
            m.RecordResultView(
                index=r.index,
                reference=r.reference,
                status=r.outcome,
                errors=[m.FieldErrorView(field=e.field, reason=e.reason) for e in r.errors],
                reason=r.reason,
                warnings=list(r.warnings),
            )
            for r in results
        ],
    )


def _batch_shape_problems(parsed: Any) -> list[FieldProblem]:
    """What is wrong with the body's shape, each member named (empty: it is a batch)."""
    if not isinstance(parsed, dict):
        return [FieldProblem("body", 'must be a JSON object: {"records": [...]}')]
    problems = [
        FieldProblem(f"body.{name}", "unknown field: a batch has only records")
        for name in sorted(set(parsed) - {"records"})
    ]
    if isinstance(parsed, JsonObject):
        problems.extend(FieldProblem(f"body.{name}", REPEATED_REASON) for name in parsed.repeated)
    if "records" not in parsed:
        problems.insert(0, FieldProblem("body.records", "required: a list of records"))
    elif not isinstance(parsed["records"], list):
        problems.insert(0, FieldProblem("body.records", "must be a list of records"))
    return problems


def batch_records(body: bytes) -> list[Any]:
    """The records of a batch body, or the refusal of the whole batch."""
    if len(body) > m.MAX_BATCH_BYTES:
        raise TooLarge(f"A batch is at most {m.MAX_BATCH_BYTES} bytes; upload larger files.")
    try:
        parsed = parse_json(body)
    except ValueError as exc:
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            "invalid_json",
            "The body is not valid JSON (or nests too deep, or carries a number too long).",
            [FieldProblem("body", "is not valid JSON")],
        ) from exc
    problems = _batch_shape_problems(parsed)
    if problems:
        raise InvalidInput(problems, 'The body must be {"records": [...]}.')
    records: list[Any] = parsed["records"]
    if len(records) > m.MAX_BATCH_RECORDS:
        raise TooLarge(
            f"A batch is at most {m.MAX_BATCH_RECORDS} records; upload larger files.",
            code="too_many_records",
        )
    return records


def run_batch(
    request: dict[str, Any],
    records: list[Any],
    publisher: Publisher,
    store: DynamoRecordStore,
    clock: dependencies.Clock,
) -> dict[str, Any]:
    """Ingest the batch; its answer as JSON (what an Idempotency-Key replays)."""
    kind = RecordKind(request["kind"])
    dry_run = bool(request["dry_run"])
    context = IngestContext(
        publisher=publisher, correlation_id=request["correlation_id"], clock=clock
    )
    results = ingest(kind, enumerate(records), store, context, dry_run=dry_run)
    found = counts(results)
    if not dry_run:
        add_record_metrics(obs.metrics, publisher.publisher_id, kind, found)
    obs.logger.info(
        "batch ingested",
        extra={
            "publisher_id": publisher.publisher_id,
            "kind": kind.value,
            "dry_run": dry_run,
            **found,
        },
    )
    return result_view(kind, dry_run, results).model_dump(mode="json")


def idempotent(
    persistence: BasePersistenceLayer, hours: int, lambda_context: LambdaContext
) -> Callable[..., dict[str, Any]]:
    """`run_batch` made repeatable by the Idempotency-Key header (Powertools idempotency).

    The key is scoped to the publisher and kind; the same key with another body is refused.
    A request in progress holds its key only until its invocation would time out, so a
    killed invocation does not block the key's retries for the whole window.
    """
    config = IdempotencyConfig(
        event_key_jmespath="[publisher_id, kind, idempotency_key]",
        payload_validation_jmespath="[body_sha256, dry_run]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=hours * 3600,
    )
    config.register_lambda_context(lambda_context)
    return idempotent_function(  # type: ignore[no-any-return]
        data_keyword_argument="request",
        config=config,
        persistence_store=persistence,
        key_prefix=IDEMPOTENCY_KEY_PREFIX,
    )(run_batch)


def ingest_batch(
    kind: RecordKind,
    query: m.BatchQuery,
    idempotency_key: str | None,
    request: Request,
    publisher: Publisher,
    correlation_id: str,
    store: DynamoRecordStore,
) -> m.BatchResultView:
    raw = request.resolved_event.decoded_body or ""
    body = raw.encode() if isinstance(raw, str) else raw
    records = batch_records(body)
    batch = {
        "publisher_id": publisher.publisher_id,
        "kind": kind.value,
        "dry_run": query.dry_run,
        "correlation_id": correlation_id,
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "idempotency_key": idempotency_key,
    }
    clock = dependencies.clock()
    if not idempotency_key:
        answer = run_batch(batch, records, publisher, store, clock)
        return m.BatchResultView.model_validate(answer)
    if len(idempotency_key) > MAX_IDEMPOTENCY_KEY_CHARS:
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            "invalid_header",
            f"Idempotency-Key: {MAX_IDEMPOTENCY_KEY_CHARS} chars max.",
            [FieldProblem("header.idempotency-key", "is longer than 128 characters")],
        )
    settings = dependencies.settings()
    run = idempotent(
        dependencies.idempotency_store(), settings.idempotency_hours, router.lambda_context
    )
    try:
        answer = run(request=batch, records=records, publisher=publisher, store=store, clock=clock)
    except IdempotencyValidationError as exc:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request.",
            [FieldProblem("header.idempotency-key", "was used with a different body")],
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise ApiError(
            HTTPStatus.CONFLICT, "in_progress", "A request with this Idempotency-Key is running."
        ) from exc
    return m.BatchResultView.model_validate(answer)


def batch_body_schema(kind: RecordKind) -> dict[str, Any]:
    """JSON Schema of `{"records": [<kind's record>]}` (at most MAX_BATCH_RECORDS).

    Documentation only: the route parses the body itself, so one bad record is reported in
    its per-record result instead of Powertools refusing the whole batch with 422.
    """
    record: Any = RECORD_MODELS[kind]
    batch: type[BaseModel] = create_model(
        f"{record.__name__}Batch",
        __config__=ConfigDict(extra="forbid"),
        records=(list[record], Field(max_length=m.MAX_BATCH_RECORDS)),
    )
    return batch.model_json_schema()


def _route(kind: RecordKind) -> None:
    def ingest_records(
        query: Annotated[m.BatchQuery, Query()],
        request: Request,
        publisher: CallingPublisher,
        correlation_id: CorrelationId,
        store: Annotated[DynamoRecordStore, Depends(dependencies.record_store)],
        idempotency_key: IdempotencyKey = None,
    ) -> m.BatchResultView:
        return ingest_batch(kind, query, idempotency_key, request, publisher, correlation_id, store)

    ingest_records.__name__ = f"ingest_{kind.value}"
    router.post(
        f"/v1/{kind.value}",
        operation_id=f"ingest{kind.value.title()}",
        summary=f"Push up to {m.MAX_BATCH_RECORDS} {kind.value} records (1 MB)",
        description=(
            'Body: {"records": [...]} as application/json. One result per record: '
            "accepted, duplicate, or rejected with field and reason. Valid records are "
            "applied even if others are rejected. Idempotency-Key makes the request "
            "safely repeatable."
        ),
        tags=TAGS,
        responses=errors(409, 413, success=200, description="One result per record, in order"),
        openapi_extensions=json_request_body(
            batch_body_schema(kind),
            f"Up to {m.MAX_BATCH_RECORDS} {kind.value} records; each is judged on its own.",
        ),
    )(ingest_records)


for _kind in RecordKind:
    _route(_kind)
