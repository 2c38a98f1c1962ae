"""The provisioning service's dependencies, one `Provider` each (`common.wiring`).

Each is built on first use, once per cold start (nothing at import time). Routes take them
with `Annotated[X, Depends(provider)]`, consumers and the authorizer call them; tests
replace them with `provider.override(fake)`.

The record and upload stores are imported by their providers: with them, most of the
service's logic and models load, and the authorizer, which every ingest request waits for,
needs the publisher store alone. A handler that uses one of them without loading its module
otherwise imports it itself (`handlers/accounts.py`), so its init pays, not its first event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

from common.settings import load_settings
from common.wiring import provider
from services.provisioning.adapters.publishers import ApiGatewayUsageKeys, DynamoPublisherStore
from services.provisioning.settings import ProvisioningSettings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from services.provisioning.adapters.records import DynamoRecordStore
    from services.provisioning.adapters.uploads import DynamoUploadStore

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@provider
def settings() -> ProvisioningSettings:
    return load_settings(ProvisioningSettings)


@provider
def clock() -> Clock:
    """The time every use case reads (tests pin it with `clock.override(...)`)."""
    return utc_now


@provider
def dynamodb() -> Any:
    return boto3.client("dynamodb")


@provider
def s3() -> Any:
    return boto3.client("s3", config=Config(signature_version="s3v4"))


@provider
def record_store() -> DynamoRecordStore:
    from services.provisioning.adapters.records import DynamoRecordStore

    current = settings()
    return DynamoRecordStore(dynamodb(), s3(), current.records_table, current.files_bucket)


@provider
def publisher_store() -> DynamoPublisherStore:
    current = settings()
    return DynamoPublisherStore(dynamodb(), current.publishers_table, current.records_table)


@provider
def usage_keys() -> ApiGatewayUsageKeys:
    plan = settings().ingest_usage_plan_id
    if plan is None:
        raise RuntimeError("SCTS_INGEST_USAGE_PLAN_ID is not set on this function")
    return ApiGatewayUsageKeys(boto3.client("apigateway"), plan)


@provider
def upload_store() -> DynamoUploadStore:
    from services.provisioning.adapters.uploads import DynamoUploadStore

    current = settings()
    return DynamoUploadStore(dynamodb(), s3(), current.records_table, current.files_bucket)


@provider
def idempotency_store() -> DynamoDBPersistenceLayer:
    """Where batches sent with an Idempotency-Key keep their first answer (imported here:
    only the ingest function needs Powertools idempotency, the others start without it)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


ALL = (
    settings,
    clock,
    dynamodb,
    s3,
    record_store,
    publisher_store,
    usage_keys,
    upload_store,
    idempotency_store,
)
"""Every provider, for tests that rebuild them after changing the environment."""
