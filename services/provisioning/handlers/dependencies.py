"""Adapters built on first use, once per cold start (nothing at import time)."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from services.provisioning.adapters.publishers import ApiGatewayUsageKeys, DynamoPublisherStore
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.adapters.uploads import DynamoUploadStore
from services.provisioning.settings import ProvisioningSettings


@cache
def settings() -> ProvisioningSettings:
    return ProvisioningSettings()


@cache
def dynamodb() -> Any:
    return boto3.client("dynamodb")


@cache
def s3() -> Any:
    return boto3.client("s3", config=Config(signature_version="s3v4"))


@cache
def record_store() -> DynamoRecordStore:
    current = settings()
    return DynamoRecordStore(dynamodb(), s3(), current.records_table, current.files_bucket)


@cache
def publisher_store() -> DynamoPublisherStore:
    return DynamoPublisherStore(dynamodb(), settings().publishers_table)


@cache
def usage_keys() -> ApiGatewayUsageKeys:
    plan = settings().ingest_usage_plan_id
    if plan is None:
        raise RuntimeError("SCTS_INGEST_USAGE_PLAN_ID is not set on this function")
    return ApiGatewayUsageKeys(boto3.client("apigateway"), plan)


@cache
def upload_store() -> DynamoUploadStore:
    current = settings()
    return DynamoUploadStore(dynamodb(), s3(), current.records_table, current.files_bucket)
