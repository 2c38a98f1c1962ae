"""Admin routes of the HTTP API: publishers and their API keys (SCTS admins only; logic
refuses anyone else with 403)."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from common.api import Caller
from common.openapi import errors
from services.provisioning import dependencies
from services.provisioning.adapters.publishers import ApiGatewayUsageKeys, DynamoPublisherStore
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.handlers.publisher_auth import CorrelationId
from services.provisioning.handlers.telemetry import obs
from services.provisioning.logic import publishers as admin
from services.provisioning.models import api as m
from services.provisioning.settings import ProvisioningSettings

router = Router()
TAGS = ["publishers"]

Store = Annotated[DynamoPublisherStore, Depends(dependencies.publisher_store)]
Settings = Annotated[ProvisioningSettings, Depends(dependencies.settings)]
Clock = Annotated[dependencies.Clock, Depends(dependencies.clock)]
PublisherId = Annotated[str, Path(pattern=r"^pub-[0-9a-f]{12}$", description="The publisher.")]
KeyPrefix = Annotated[
    str, Path(pattern=r"^[a-z0-9]{10}$", description="The key's public prefix (not a secret).")
]


def publisher_view(found: admin.PublisherWithKeys) -> m.PublisherView:
    return m.PublisherView.of(found.publisher, found.keys)


def issued_view(issued: admin.IssuedKeyFor) -> m.IssuedKeyView:
    return m.IssuedKeyView(
        publisher=publisher_view(issued.publisher),
        api_key=issued.api_key,
        key_prefix=issued.key_prefix,
    )


@router.post(
    "/v1/publishers",
    operation_id="registerPublisher",
    summary="Register a publisher; its API key is shown this once",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(403, 422, success=201, description="The publisher and its first API key"),
)
def register_publisher(
    body: m.RegisterPublisher,
    caller: Caller,
    store: Store,
    usage_keys: Annotated[ApiGatewayUsageKeys, Depends(dependencies.usage_keys)],
    accounts: Annotated[DynamoRecordStore, Depends(dependencies.record_store)],
    settings: Settings,
    clock: Clock,
    correlation_id: CorrelationId,
) -> m.IssuedKeyView:
    issued = admin.register_publisher(
        caller,
        settings.admin_group,
        store,
        usage_keys,
        accounts,
        name=body.name,
        account_ids=None if body.all_accounts else body.account_ids,
        now=clock(),
        correlation_id=correlation_id,
    )
    obs.logger.info(
        "publisher registered", extra={"new_publisher": issued.publisher.publisher.publisher_id}
    )
    return issued_view(issued)


@router.get(
    "/v1/publishers",
    operation_id="listPublishers",
    summary="Publishers and their keys (prefixes, never keys), all on one page",
    tags=TAGS,
    responses=errors(403, success=200, description="Every publisher"),
)
def list_publishers(caller: Caller, store: Store, settings: Settings) -> m.PublisherPage:
    found = admin.all_publishers(caller, settings.admin_group, store)
    return m.PublisherPage(items=[publisher_view(p) for p in found], next_cursor=None)


@router.get(
    "/v1/publishers/<publisher_id>",
    operation_id="getPublisher",
    summary="One publisher and its keys",
    tags=TAGS,
    responses=errors(403, 404, success=200, description="The publisher"),
)
def get_publisher(
    publisher_id: PublisherId, caller: Caller, store: Store, settings: Settings
) -> m.PublisherView:
    return publisher_view(admin.publisher(caller, settings.admin_group, store, publisher_id))


@router.post(
    "/v1/publishers/<publisher_id>/keys",
    operation_id="rotatePublisherKey",
    summary="Rotate: a new key; the old ones keep working for the overlap (default 24 h)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(403, 404, success=201, description="The new key, shown this once"),
)
def rotate_key(
    publisher_id: PublisherId,
    body: m.RotateKey,
    caller: Caller,
    store: Store,
    settings: Settings,
    clock: Clock,
    correlation_id: CorrelationId,
) -> m.IssuedKeyView:
    hours = settings.key_overlap_hours if body.overlap_hours is None else body.overlap_hours
    issued = admin.rotate(
        caller,
        settings.admin_group,
        store,
        publisher_id,
        overlap=timedelta(hours=hours),
        now=clock(),
        correlation_id=correlation_id,
    )
    return issued_view(issued)


@router.delete(
    "/v1/publishers/<publisher_id>/keys/<prefix>",
    operation_id="revokePublisherKey",
    summary="Revoke a key, at once",
    tags=TAGS,
    responses=errors(403, 404, success=204, description="Revoked"),
)
def revoke_key(
    publisher_id: PublisherId,
    prefix: KeyPrefix,
    caller: Caller,
    store: Store,
    settings: Settings,
    clock: Clock,
    correlation_id: CorrelationId,
) -> Response[None]:
    admin.revoke(caller, settings.admin_group, store, publisher_id, prefix, clock(), correlation_id)
    return Response(HTTPStatus.NO_CONTENT, None, None)
