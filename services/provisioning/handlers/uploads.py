"""Consumer of UploadReceived: streams the uploaded file and applies it row by row. A
delivery while another execution holds the upload raises UploadBusy: its message fails
and SQS delivers it again after the visibility timeout (`logic/upload_claims.py`)."""

from __future__ import annotations

from typing import Any

from common.consumer import consumer_handler
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from contracts.events.provisioning import UploadReceived
from services.provisioning.dependencies import (
    clock,
    publisher_store,
    record_store,
    settings,
    upload_store,
)
from services.provisioning.handlers.telemetry import add_record_metrics, obs
from services.provisioning.logic.uploads import run_upload
from services.provisioning.models.uploads import UploadStatus


def process_upload(envelope: EventEnvelope[Any]) -> None:
    data = envelope.data
    if not isinstance(data, UploadReceived):
        return
    upload = run_upload(
        data.upload_id,
        upload_store(),
        publisher_store(),
        record_store(),
        correlation_id=envelope.correlation_id,
        clock=clock(),
        chunk_rows=settings().upload_chunk_rows,
    )
    if upload is None or upload.status is not UploadStatus.COMPLETED:
        return
    totals = upload.counts.model_dump()
    if not upload.dry_run:
        add_record_metrics(obs.metrics, upload.publisher_id, upload.kind, totals)
    obs.logger.info("upload processed", extra={"upload_id": upload.upload_id, **totals})


handler = consumer_handler(CATALOG, process_upload, obs)
