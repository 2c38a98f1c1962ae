"""Identity's dependencies, one `Provider` each: built on first use (once per cold start),
overridden in tests with `provider.override(fake)`. Routes take `Annotated[Ports,
Depends(ports)]`; `ports()` is assembled from the providers on every call, so overriding
any one of them (the clock, the directory) reaches every use case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from common.access import AccessSource
from common.access.dynamo import DynamoAccessSource
from common.settings import load_settings
from common.wiring import Provider, provider
from services.identity.adapters.cognito import CognitoDirectory
from services.identity.adapters.cursors import SecretKeyCursors
from services.identity.adapters.dynamo import ACCOUNT_PREFIX, DynamoIdentityRepository
from services.identity.adapters.mail import SesMailer
from services.identity.logic.ports import (
    Clock,
    Cursors,
    Directory,
    IdentityRepository,
    Mailer,
    Ports,
)
from services.identity.settings import IdentitySettings


@provider
def settings() -> IdentitySettings:
    return load_settings(IdentitySettings)


@provider
def repository() -> IdentityRepository:
    return DynamoIdentityRepository(settings().identity_table)


@provider
def access_source() -> AccessSource:
    """Identity's own table is its access source (same shape as the projections)."""
    return DynamoAccessSource(settings().identity_table, pk_prefix=ACCOUNT_PREFIX)


@provider
def directory() -> Directory:
    current = settings()
    return CognitoDirectory(current.user_pool_id, current.spa_client_id)


@provider
def mailer() -> Mailer:
    return SesMailer(settings().mail_sender)


@provider
def clock() -> Clock:
    return _utc_now


def _utc_now() -> datetime:
    return datetime.now(UTC)


@provider
def cursors() -> Cursors:
    return SecretKeyCursors(settings().identity_cursor_signing_key_secret_id)


def ports() -> Ports:
    return Ports(
        repository=repository(),
        access=access_source(),
        directory=directory(),
        mailer=mailer(),
        clock=clock(),
        cursors=cursors(),
        portal_url=settings().portal_url,
    )


PROVIDERS: tuple[Provider[Any], ...] = (
    settings,
    repository,
    access_source,
    directory,
    mailer,
    clock,
    cursors,
)
"""Every provider, for tests that rebuild the environment between cases (`reset()`)."""
