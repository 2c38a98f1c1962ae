"""Consumer of UploadReceived: streams the uploaded file and applies it row by row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
from services.provisioning.handlers.record_metrics import add_record_metrics
from services.provisioning.logic.uploads import run_upload
from services.provisioning.models.uploads import UploadStatus
from services.provisioning.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)


def now() -> datetime:
    return datetime.now(UTC)


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
        clock=now,
    )
    if upload is None or upload.status is not UploadStatus.COMPLETED:
        return
    totals = upload.counts.model_dump()
    if not upload.dry_run:
        add_record_metrics(obs.metrics, upload.publisher_id, upload.kind, totals)
    obs.logger.info("upload processed", extra={"upload_id": upload.upload_id, **totals})


handler = consumer_handler(CATALOG, process_upload, obs)
