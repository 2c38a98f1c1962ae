"""Lambda entry point for provisioning's ingest API (API Gateway REST API, payload 1.0):
the publisher routes (batches per kind, uploads). Parse, call one use case, map the result.

The gateway's REQUEST authorizer has already checked the key; the service checks it again
(zero trust: the authorizer's verdict is cross-checked, never trusted alone). The REST API
answers 401 itself to a refused key (gateway responses); this re-check answers 401 too.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from itertools import islice
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from pydantic import BaseModel, ConfigDict, Field, create_model

from common.api import ApiError, error_response, json_request_body
from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.provisioning.adapters.uploads import rejections_object_key
from services.provisioning.handlers.dependencies import (
    publisher_store,
    record_store,
    settings,
    upload_store,
)
from services.provisioning.handlers.record_metrics import add_record_metrics
from services.provisioning.logic import publishers as publisher_admin
from services.provisioning.logic.ingest import IngestContext, RecordResult, counts, ingest
from services.provisioning.logic.upload_receipt import ReceiptOutcome, receive_file
from services.provisioning.logic.uploads import UnsupportedFormat, UploadTooLarge, new_upload
from services.provisioning.models import api as m
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RECORD_MODELS, RecordKind
from services.provisioning.models.uploads import (
    MAX_UPLOAD_BYTES,
    Counts,
    Upload,
    UploadStatus,
)
from services.provisioning.settings import ProvisioningSettings
from services.provisioning.topology import INGEST, TOPOLOGY

obs = observability(TOPOLOGY.service)

PUBLISHER = "publisher"
CONTENT_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
REJECTED_SAMPLE = 100


def now() -> datetime:
    return datetime.now(UTC)


def _unauthorized(app: ApiGatewayResolver) -> Response[Any]:
    return error_response(app, HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")


def authorizer_publisher_id(app: ApiGatewayResolver) -> Any:
    """The publisher the REST API's authorizer allowed (its context lands flat in
    `requestContext.authorizer`); None when no authorizer ran (in-process calls)."""
    context = app.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    return context.get("publisher_id")


def publisher_check(app: ApiGatewayResolver) -> Response[Any] | None:
    """The key again, inside the service; a user's bearer token never opens these routes."""
    event = app.current_event
    if event.headers.get("authorization"):
        return _unauthorized(app)
    presented = event.headers.get("x-api-key")
    if not presented:
        return _unauthorized(app)
    publisher = publisher_admin.authenticate(publisher_store(), presented, now())
    if publisher is None:
        return _unauthorized(app)
    if authorizer_publisher_id(app) not in (None, publisher.publisher_id):
        return _unauthorized(app)
    limit = settings().publisher_requests_per_minute
    if not publisher_admin.within_rate(publisher_store(), publisher, limit, now()):
        return error_response(
            app,
            HTTPStatus.TOO_MANY_REQUESTS,
            "throttled",
            f"At most {limit} requests a minute.",
            headers={"Retry-After": "60"},
        )
    app.append_context(**{PUBLISHER: publisher})
    return None


app = service_resolver(
    TOPOLOGY, ProvisioningSettings, publisher_check=publisher_check, function=INGEST
)


def current_publisher() -> Publisher:
    found = app.context.get(PUBLISHER)
    if not isinstance(found, Publisher):
        raise ApiError(HTTPStatus.UNAUTHORIZED, "unauthorized", "Unauthorized")
    return found


def request_id() -> str:
    context = app.current_event.raw_event.get("requestContext", {})
    return str(context.get("requestId") or f"req-{secrets.token_hex(8)}")


def _result_view(kind: RecordKind, dry_run: bool, results: list[RecordResult]) -> dict[str, Any]:
    view = m.BatchResultView(
        kind=kind,
        dry_run=dry_run,
        counts=Counts().plus(counts(results)),
        results=[
            m.RecordResultView(
                index=r.index,
                reference=r.reference,
                status=r.outcome.value,
                errors=[m.FieldErrorView(field=e.field, reason=e.reason) for e in r.errors],
                reason=r.reason,
                warnings=r.warnings,
            )
            for r in results
        ],
    )
    return view.model_dump(mode="json")


def _run_batch(request: dict[str, Any], records: list[Any], publisher: Publisher) -> dict[str, Any]:
    kind = RecordKind(request["kind"])
    dry_run = bool(request["dry_run"])
    context = IngestContext(
        publisher=publisher, correlation_id=request["correlation_id"], clock=now
    )
    results = ingest(kind, enumerate(records), record_store(), context, dry_run=dry_run)
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
    return _result_view(kind, dry_run, results)


@cache
def idempotent_batch() -> Callable[..., dict[str, Any]]:
    """`_run_batch` made repeatable by the Idempotency-Key header (Powertools idempotency).

    The key is scoped to the publisher and kind; the same key with another body is refused.
    """
    current = settings()
    config = IdempotencyConfig(
        event_key_jmespath="[publisher_id, kind, idempotency_key]",
        payload_validation_jmespath="[body_sha256, dry_run]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=current.idempotency_hours * 3600,
    )
    persistence = DynamoDBPersistenceLayer(table_name=current.idempotency_table)
    return idempotent_function(  # type: ignore[no-any-return]
        data_keyword_argument="request",
        config=config,
        persistence_store=persistence,
        key_prefix="provisioning-batch",
    )(_run_batch)


def _batch_records(body: bytes) -> list[Any]:
    if len(body) > m.MAX_BATCH_BYTES:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            f"A batch is at most {m.MAX_BATCH_BYTES} bytes; upload larger files.",
        )
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise ApiError(HTTPStatus.BAD_REQUEST, "invalid_json", "The body is not JSON.") from exc
    records = parsed.get("records") if isinstance(parsed, dict) else None
    if not isinstance(records, list) or set(parsed) != {"records"}:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            'The body must be {"records": [...]}.',
            fields=[{"path": "records", "reason": "a list of records is required"}],
        )
    if len(records) > m.MAX_BATCH_RECORDS:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "too_many_records",
            f"A batch is at most {m.MAX_BATCH_RECORDS} records; upload larger files.",
        )
    return records


def _json_content_type() -> None:
    content_type = app.current_event.headers.get("content-type") or ""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the batch as application/json.",
        )


def _ingest(kind: RecordKind, dry_run: bool) -> dict[str, Any]:
    _json_content_type()
    event = app.current_event
    raw = event.decoded_body or ""
    body = raw.encode() if isinstance(raw, str) else raw
    records = _batch_records(body)
    publisher = current_publisher()
    request = {
        "publisher_id": publisher.publisher_id,
        "kind": kind.value,
        "dry_run": dry_run,
        "correlation_id": request_id(),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "idempotency_key": event.headers.get("idempotency-key"),
    }
    if not request["idempotency_key"]:
        return _run_batch(request=request, records=records, publisher=publisher)
    if len(str(request["idempotency_key"])) > 128:
        raise ApiError(HTTPStatus.BAD_REQUEST, "invalid_header", "Idempotency-Key: 128 chars max.")
    try:
        return idempotent_batch()(request=request, records=records, publisher=publisher)
    except IdempotencyValidationError as exc:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request.",
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise ApiError(
            HTTPStatus.CONFLICT, "in_progress", "A request with this Idempotency-Key is running."
        ) from exc


DryRun = Annotated[bool, Query(description="Validate and judge every record; write nothing.")]


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


def _ingest_route(kind: RecordKind) -> None:
    def ingest_records(dry_run: DryRun = False) -> dict[str, Any]:
        return _ingest(kind, dry_run)

    ingest_records.__name__ = f"ingest_{kind.value}"
    app.post(
        f"/v1/{kind.value}",
        summary=f"Push up to {m.MAX_BATCH_RECORDS} {kind.value} records (1 MB)",
        description=(
            'Body: {"records": [...]} as application/json. One result per record: '
            "accepted, duplicate, or rejected with field and reason. Valid records are "
            "applied even if others are rejected. Idempotency-Key makes the request "
            "safely repeatable."
        ),
        responses={200: {"description": "Per-record results"}},
        openapi_extensions=json_request_body(
            batch_body_schema(kind),
            f"Up to {m.MAX_BATCH_RECORDS} {kind.value} records; each is judged on its own.",
        ),
    )(ingest_records)


for _kind in RecordKind:
    _ingest_route(_kind)


def _too_large() -> ApiError:
    return ApiError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "too_large",
        f"An upload is at most {MAX_UPLOAD_BYTES} bytes.",
    )


def _own_upload(upload_id: str) -> Upload:
    """The caller's upload; another publisher's is indistinguishable from none (404)."""
    found = upload_store().get(upload_id)
    if found is None or found.publisher_id != current_publisher().publisher_id:
        raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such upload.")
    return found


@app.post("/v1/uploads", summary="A presigned URL to PUT a CSV or JSON Lines file (100 MB)")
def create_upload(body: m.CreateUpload) -> Response[m.UploadTicket]:
    try:
        upload = new_upload(
            current_publisher().publisher_id,
            body.kind,
            body.format,
            dry_run=body.dry_run,
            size_bytes=body.size_bytes,
            now=now(),
        )
    except UploadTooLarge as exc:
        raise _too_large() from exc
    except UnsupportedFormat as exc:
        raise ApiError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            str(exc),
            fields=[{"path": "format", "reason": str(exc)}],
        ) from exc
    upload_store().create(upload)
    content_type = CONTENT_TYPES[upload.format]
    expires = settings().upload_url_seconds
    ticket = m.UploadTicket(
        upload_id=upload.upload_id,
        upload_url=upload_store().upload_url(upload.object_key, content_type, expires),
        headers={"Content-Type": content_type},
        expires_in=expires,
    )
    return Response(HTTPStatus.CREATED, content_types.APPLICATION_JSON, ticket)


@app.post(
    "/v1/uploads/<upload_id>/complete",
    summary="The file is uploaded: validate and apply it (asynchronously)",
)
def complete_upload(upload_id: str) -> Response[m.UploadView]:
    """Optional since the bucket notification queues a landed file itself: the same
    conditional step (`logic.upload_receipt`), so whichever runs first wins; this call
    fails fast (409) when nothing was uploaded."""
    receipt = receive_file(
        _own_upload(upload_id),
        upload_store(),
        correlation_id=request_id(),
        causation_id=request_id(),
        clock=now,
    )
    if receipt.outcome is ReceiptOutcome.NO_FILE:
        raise ApiError(HTTPStatus.CONFLICT, "no_file", "Nothing was uploaded to the URL yet.")
    if receipt.outcome is ReceiptOutcome.TOO_LARGE:
        raise _too_large()
    assert receipt.upload is not None
    return Response(
        HTTPStatus.ACCEPTED, content_types.APPLICATION_JSON, m.UploadView.of(receipt.upload, [])
    )


@app.get("/v1/uploads/<upload_id>", summary="Progress, counts and the first rejected rows")
def get_upload(upload_id: str) -> m.UploadView:
    upload = _own_upload(upload_id)
    sample = list(islice(upload_store().rejected_rows(upload_id), REJECTED_SAMPLE))
    return m.UploadView.of(upload, sample)


@app.get(
    "/v1/uploads/<upload_id>/rejections",
    summary="All rejected rows as CSV (row, reference, field, reason): a redirect to the file",
)
def download_rejections(upload_id: str) -> Response[Any]:
    upload = _own_upload(upload_id)
    if upload.status is not UploadStatus.COMPLETED:
        raise ApiError(HTTPStatus.CONFLICT, "not_finished", "The upload is still being processed.")

    url = upload_store().download_url(rejections_object_key(upload.publisher_id, upload_id), 300)
    return Response(HTTPStatus.SEE_OTHER, None, None, headers={"Location": url})


handler = http_handler(app, obs)
