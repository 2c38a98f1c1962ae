"""Publisher routes of the ingest API: file uploads (a presigned PUT, then streamed
processing; progress, counts and rejected rows)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from common.openapi import errors
from services.provisioning import dependencies
from services.provisioning.adapters.uploads import DynamoUploadStore
from services.provisioning.handlers.publisher_auth import CallingPublisher, CorrelationId
from services.provisioning.logic import upload_requests as uploads
from services.provisioning.models import api as m
from services.provisioning.settings import ProvisioningSettings

router = Router()
TAGS = ["uploads"]

Desk = Annotated[DynamoUploadStore, Depends(dependencies.upload_store)]
Clock = Annotated[dependencies.Clock, Depends(dependencies.clock)]
UploadId = Annotated[str, Path(pattern=r"^upl-[0-9a-f]{20}$", description="The upload.")]


@router.post(
    "/v1/uploads",
    operation_id="createUpload",
    summary="A presigned URL to PUT a CSV or JSON Lines file (100 MB)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(413, 422, success=201, description="Where and how to PUT the file"),
)
def create_upload(
    body: m.CreateUpload,
    publisher: CallingPublisher,
    desk: Desk,
    settings: Annotated[ProvisioningSettings, Depends(dependencies.settings)],
    clock: Clock,
) -> m.UploadTicket:
    opened = uploads.open_upload(
        desk,
        publisher,
        body.kind,
        body.format,
        dry_run=body.dry_run,
        size_bytes=body.size_bytes,
        url_seconds=settings.upload_url_seconds,
        now=clock(),
    )
    return m.UploadTicket(
        upload_id=opened.upload.upload_id,
        upload_url=opened.upload_url,
        method="PUT",
        headers=m.UploadHeaders(content_type=opened.content_type),
        expires_in=opened.expires_in,
    )


@router.post(
    "/v1/uploads/<upload_id>/complete",
    operation_id="completeUpload",
    summary="The file is uploaded: validate and apply it (asynchronously)",
    description=(
        "Optional: the bucket notification queues a landed file itself (whichever runs "
        "first wins). Fails fast with 409 when nothing was uploaded yet."
    ),
    tags=TAGS,
    status_code=HTTPStatus.ACCEPTED,
    responses=errors(404, 409, 413, success=202, description="Queued for processing"),
)
def complete_upload(
    upload_id: UploadId,
    publisher: CallingPublisher,
    correlation_id: CorrelationId,
    desk: Desk,
    clock: Clock,
) -> m.UploadView:
    upload = uploads.complete_upload(
        desk, publisher, upload_id, correlation_id=correlation_id, clock=clock
    )
    return m.UploadView.of(upload, [])


@router.get(
    "/v1/uploads/<upload_id>",
    operation_id="getUpload",
    summary="Progress, counts and the first rejected rows",
    tags=TAGS,
    responses=errors(404, success=200, description="The upload"),
)
def get_upload(upload_id: UploadId, publisher: CallingPublisher, desk: Desk) -> m.UploadView:
    progress = uploads.upload_progress(desk, publisher, upload_id)
    return m.UploadView.of(progress.upload, progress.rejected_sample)


@router.get(
    "/v1/uploads/<upload_id>/rejections",
    operation_id="getUploadRejections",
    summary="All rejected rows as CSV (row, reference, field, reason): a redirect to the file",
    tags=TAGS,
    responses=errors(
        404,
        409,
        success=303,
        description="The CSV is at the Location (a short-lived presigned URL)",
        headers={"Location": "Presigned URL of the CSV (text/csv)."},
    ),
)
def download_rejections(
    upload_id: UploadId, publisher: CallingPublisher, desk: Desk
) -> Response[None]:
    url = uploads.rejections_url(desk, publisher, upload_id)
    return Response(HTTPStatus.SEE_OTHER, None, None, headers={"Location": url})
