"""The notifications service's dependencies, one `Provider` each: built on first use (once
per cold start), overridden in tests with `provider.override(fake)`. `ports()` assembles
them on every call, so overriding one (the clock, the mailer) reaches every use case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from common.access import AccessRoster, AccessSource
from common.access.dynamo import DynamoAccessSource
from common.settings import load_settings
from common.wiring import Provider, provider
from services.notifications.adapters.dynamo import DynamoStore
from services.notifications.adapters.mail import SesRawMailer
from services.notifications.adapters.queues import SqsStageQueues
from services.notifications.adapters.secrets import SecretCursors, SecretHmac
from services.notifications.logic.ports import (
    Clock,
    Cursors,
    Links,
    Mailer,
    Ports,
    PushSender,
    Signer,
    StageQueues,
    Store,
)
from services.notifications.settings import NotificationsSettings


@provider
def settings() -> NotificationsSettings:
    return load_settings(NotificationsSettings)


@provider
def store() -> Store:
    return DynamoStore(settings().notifications_table)


@provider
def access_source() -> AccessSource:
    """The access projection (the shared consumer keeps it): one person's facts."""
    return DynamoAccessSource(settings().access_table)


@provider
def roster() -> AccessRoster:
    """The same projection, an account's people at once."""
    return DynamoAccessSource(settings().access_table)


@provider
def queues() -> StageQueues:
    current = settings()
    return SqsStageQueues(
        {
            "render": current.render_queue,
            "email": current.email_queue,
            "push": current.push_queue,
            "record": current.record_queue,
        }
    )


@provider
def clock() -> Clock:
    return _utc_now


def _utc_now() -> datetime:
    return datetime.now(UTC)


@provider
def cursors() -> Cursors:
    return SecretCursors(settings().notifications_cursor_key_secret_id)


@provider
def unsubscribe_signer() -> Signer:
    return SecretHmac(settings().notifications_unsubscribe_key_secret_id)


@provider
def mailer() -> Mailer:
    current = settings()
    return SesRawMailer(current.mail_sender, current.mail_configuration_set)


@provider
def push_sender() -> PushSender:
    # Imported here: pywebpush brings requests, aiohttp and cryptography, which only the
    # functions that send (or serve the public key) need.
    from services.notifications.adapters.push import WebPushSender

    current = settings()
    return WebPushSender(
        current.notifications_vapid_key_secret_id, current.mail_sender, current.push_origins
    )


def ports() -> Ports:
    current = settings()
    return Ports(
        store=store(),
        access=access_source(),
        roster=roster(),
        queues=queues(),
        clock=clock(),
        links=Links(current.portal_url, current.http_api_url, current.mail_sender),
        cursors=cursors(),
        unsubscribe=unsubscribe_signer(),
        mailer=mailer(),
        push=push_sender(),
        extra={"push_origins": current.push_origins},
    )


PROVIDERS: tuple[Provider[Any], ...] = (
    settings,
    store,
    access_source,
    roster,
    queues,
    clock,
    cursors,
    unsubscribe_signer,
    mailer,
    push_sender,
)
"""Every provider, for tests that rebuild the environment between cases (`reset()`)."""
