"""The consumer of a bucket notification (`common.topology.BucketNotification`): an SQS batch
of S3 event notifications in, one `handle(created object)` call per object, partial batch
failures out (Powertools BatchProcessor, like `common.consumer`).

Bodies are parsed with a tolerant model of only the fields used: moto's records lack
fields Powertools' S3Model requires, and S3 sends an `s3:TestEvent` (no records) when the
notification is configured, which is logged and dropped. Keys arrive URL-encoded
(`unquote_plus`). A body that is neither fails its record (retried, then the DLQ).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

import aws_lambda_powertools.utilities.batch  # noqa: F401 - before pydantic: common/consumer.py
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.consumer import ConsumerHandler, sqs_batch_handler
from common.observability import Observability

TEST_EVENT = "s3:TestEvent"
OBJECT_CREATED = "ObjectCreated:"


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class _S3Object(_Tolerant):
    key: str
    size: int | None = None


class _S3Bucket(_Tolerant):
    name: str


class _S3Entity(_Tolerant):
    bucket: _S3Bucket
    object: _S3Object


class _S3Record(_Tolerant):
    event_name: str = Field(alias="eventName")
    s3: _S3Entity


class _S3Notification(_Tolerant):
    records: tuple[_S3Record, ...] = Field(default=(), alias="Records")
    event: str | None = Field(default=None, alias="Event")


class CreatedObject(_Tolerant):
    """An object a notification says was created (key decoded)."""

    bucket: str
    key: str
    size: int | None
    event_name: str
    message_id: str = Field(description="The SQS message that carried the notification.")


class MalformedNotification(ValueError):
    """The SQS body is neither an S3 event notification nor an s3:TestEvent."""


def created_objects(body: str, message_id: str, logger: Logger) -> list[CreatedObject]:
    """The created objects in one SQS body ([] for the s3:TestEvent)."""
    try:
        notification = _S3Notification.model_validate_json(body)
    except ValidationError as exc:
        raise MalformedNotification(
            f"not an S3 event notification: {exc.error_count()} errors"
        ) from exc
    if notification.event == TEST_EVENT:
        logger.info("s3:TestEvent ignored", extra={"message_id": message_id})
        return []
    if not notification.records:
        raise MalformedNotification("an S3 event notification without records")
    found = []
    for record in notification.records:
        if not record.event_name.startswith(OBJECT_CREATED):
            logger.info("S3 event ignored", extra={"event_name": record.event_name})
            continue
        found.append(
            CreatedObject(
                bucket=record.s3.bucket.name,
                key=unquote_plus(record.s3.object.key),
                size=record.s3.object.size,
                event_name=record.event_name,
                message_id=message_id,
            )
        )
    return found


def object_consumer_handler(
    handle: Callable[[CreatedObject], None], obs: Observability
) -> ConsumerHandler:
    """The Lambda entry point of a bucket notification (ReportBatchItemFailures semantics).
    `handle` must be idempotent: S3 delivers at least once."""

    def process(record: SQSRecord) -> None:
        """A record that fails is logged here (with its message id): Powertools keeps
        failures to its own silenced logger."""
        obs.logger.append_keys(message_id=record.message_id)
        try:
            for created in created_objects(record.body, record.message_id, obs.logger):
                obs.logger.append_keys(object_key=created.key)
                handle(created)
        except Exception:
            obs.logger.exception("notification not handled; it will be retried")
            raise
        finally:
            obs.logger.remove_keys(["message_id", "object_key"])

    return sqs_batch_handler(process, obs)
