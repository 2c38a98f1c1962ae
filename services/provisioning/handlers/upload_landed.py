"""Consumer of the files bucket's upload notification: a publisher's file landed, so its
upload is queued for processing (the same step as `POST /v1/uploads/{id}/complete`)."""

from __future__ import annotations

from common.object_consumer import CreatedObject, object_consumer_handler
from services.provisioning.dependencies import clock, upload_store
from services.provisioning.handlers.telemetry import obs
from services.provisioning.logic.upload_receipt import ReceiptOutcome, receive_object


def upload_landed(created: CreatedObject) -> None:
    receipt = receive_object(
        created.key,
        upload_store(),
        correlation_id=created.message_id,
        causation_id=created.message_id,
        clock=clock(),
    )
    upload_id = receipt.upload.upload_id if receipt.upload else None
    if receipt.outcome is ReceiptOutcome.UNKNOWN_OBJECT:
        obs.logger.warning("object names no upload: ignored", extra={"key": created.key})
    elif receipt.outcome is ReceiptOutcome.TOO_LARGE:
        obs.logger.warning("uploaded file too large: upload failed", extra={"upload_id": upload_id})
    else:
        obs.logger.info(
            "upload file landed", extra={"upload_id": upload_id, "outcome": receipt.outcome.value}
        )


handler = object_consumer_handler(upload_landed, obs)
