"""The portfolio's dependencies, one provider each, built on first use (once per cold start,
nothing at import time). Routes take them with `Annotated[Reads, Depends(reads)]`,
consumers call them; tests replace a provider with `.override(fake)`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import boto3

from common.access import AccessGuard
from common.access.dynamo import DynamoAccessSource
from common.secrets import read_secret
from common.settings import load_settings
from common.wiring import provider
from services.portfolio.adapters.read_model import DynamoReadModel
from services.portfolio.adapters.usage import DynamoUsageStore
from services.portfolio.logic.cursor import CursorSigner
from services.portfolio.logic.ports import ProjectionStore, ReadModel, UsageStore
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.usage import UsageWrites
from services.portfolio.settings import CursorSettings, PortfolioSettings


@provider
def settings() -> PortfolioSettings:
    return load_settings(PortfolioSettings)


@provider
def dynamodb() -> Any:
    """The data tables' client (the access guard keeps its own)."""
    return boto3.client("dynamodb")


@provider
def read_model() -> ReadModel:
    return DynamoReadModel(settings().read_model_table, settings().usage_table, dynamodb())


@provider
def usage_store() -> UsageStore:
    return DynamoUsageStore(settings().usage_table, settings().read_model_table, dynamodb())


@provider
def projection_store() -> ProjectionStore:
    """Imported here: only the projector writes the projection (the API never loads it)."""
    from services.portfolio.adapters.dynamo import DynamoProjectionStore

    return DynamoProjectionStore(settings().read_model_table, dynamodb())


@provider
def access_source() -> DynamoAccessSource:
    return DynamoAccessSource(settings().access_table)


@provider
def guard() -> AccessGuard:
    return AccessGuard(access_source())


@provider
def signer() -> CursorSigner:
    secret_id = load_settings(CursorSettings).cursor_signing_key_secret_id
    return CursorSigner(read_secret(secret_id).encode())


def today() -> date:
    return datetime.now(UTC).date()


def now() -> datetime:
    return datetime.now(UTC)


def reads() -> Reads:
    """The read use cases' ports (assembled per request from the providers above)."""
    return Reads(
        guard=guard(),
        store=read_model(),
        signer=signer,
        today=today,
        assignments=access_source(),
    )


def usage_writes() -> UsageWrites:
    return UsageWrites(guard=guard(), store=usage_store(), now=now)
