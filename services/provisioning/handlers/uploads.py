"""Consumer of UploadReceived: streams the uploaded file and applies it row by row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from contracts.events.provisioning import UploadReceived
from services.provisioning.handlers.dependencies import (
    publisher_store,
    record_store,
    upload_store,
)
from services.provisioning.logic.ingest import IngestContext
from services.provisioning.logic.uploads import process
from services.provisioning.models.uploads import UploadStatus
from services.provisioning.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)


def now() -> datetime:
    return datetime.now(UTC)


def process_upload(envelope: EventEnvelope[Any]) -> None:
    """Idempotent: a finished upload is left alone; an interrupted one resumes (a dry run
    starts again from its first row: it wrote nothing, see `logic.uploads`)."""
    data = envelope.data
    if not isinstance(data, UploadReceived):
        return
    uploads = upload_store()
    upload = uploads.get(data.upload_id)
    if upload is None or upload.status in (UploadStatus.COMPLETED, UploadStatus.FAILED):
        return
    publisher = publisher_store().get(upload.publisher_id)
    if publisher is None:
        uploads.save(
            upload.model_copy(
                update={
                    "status": UploadStatus.FAILED,
                    "error": "publisher gone",
                    "updated_at": now(),
                }
            )
        )
        return
    context = IngestContext(publisher=publisher, correlation_id=envelope.correlation_id, clock=now)
    totals = process(upload, uploads.lines(upload.object_key), record_store(), uploads, context)
    latest = uploads.get(upload.upload_id) or upload
    uploads.write_rejections_csv(latest)
    uploads.save(
        latest.model_copy(
            update={"status": UploadStatus.COMPLETED, "counts": totals, "updated_at": now()}
        )
    )
    if not upload.dry_run:
        obs.metrics.add_dimension(name="publisher", value=publisher.publisher_id)
        obs.metrics.add_dimension(name="kind", value=upload.kind.value)
        for outcome, number in totals.model_dump().items():
            obs.metrics.add_metric(name=f"records_{outcome}", unit=MetricUnit.Count, value=number)
    obs.logger.info(
        "upload processed", extra={"upload_id": upload.upload_id, **totals.model_dump()}
    )


handler = consumer_handler(CATALOG, process_upload, obs)
