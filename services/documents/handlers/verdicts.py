"""Lambda entry point: GuardDuty Malware Protection verdicts on quarantined files.

GuardDuty puts one `GuardDuty Malware Protection Object Scan Result` event per scanned
object on the account's default bus; a rule sends those of this service's bucket to the
verdicts queue. Only the fields used are read (tolerant model); a verdict for another
bucket, or a body that is no such event, fails its record (retried, then the DLQ).
"""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

import aws_lambda_powertools.utilities.batch  # noqa: F401 - before pydantic: common/consumer.py
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import BaseModel, ConfigDict, Field

from common.consumer import sqs_batch_handler
from common.external_names import GUARDDUTY_SCAN_RESULT, GUARDDUTY_SOURCE
from common.observability import observability
from services.documents import SERVICE, dependencies
from services.documents.logic.intake import on_verdict

obs = observability(SERVICE)


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True, defer_build=True)


class _Threat(_Tolerant):
    name: str = ""


class _ScanResult(_Tolerant):
    status: str = Field(alias="scanResultStatus")
    threats: list[_Threat] | None = None


class _S3Object(_Tolerant):
    bucket: str = Field(alias="bucketName")
    key: str = Field(alias="objectKey")


class _Detail(_Tolerant):
    scan_status: str = Field(alias="scanStatus")
    s3: _S3Object = Field(alias="s3ObjectDetails")
    result: _ScanResult = Field(alias="scanResultDetails")


class _ScanEvent(_Tolerant):
    source: str
    detail_type: str = Field(alias="detail-type")
    detail: _Detail


def process(record: SQSRecord) -> None:
    event = _ScanEvent.model_validate(json.loads(record.body))
    if event.source != GUARDDUTY_SOURCE or event.detail_type != GUARDDUTY_SCAN_RESULT:
        raise ValueError(f"not a malware scan result: {event.source}/{event.detail_type}")
    bucket = dependencies.settings().files_bucket
    if event.detail.s3.bucket != bucket:
        raise ValueError(f"a verdict for another bucket: {event.detail.s3.bucket}")
    status = event.detail.result.status if event.detail.scan_status == "COMPLETED" else "FAILED"
    threats = [t.name for t in event.detail.result.threats or [] if t.name]
    outcome = on_verdict(
        dependencies.ports(), unquote_plus(event.detail.s3.key), status, threats, record.message_id
    )
    obs.metrics.add_metric(name=f"Verdict{outcome.value.title()}", unit=MetricUnit.Count, value=1)
    obs.logger.info("malware verdict", extra={"verdict": status, "outcome": outcome.value})


handler = sqs_batch_handler(process, obs)
