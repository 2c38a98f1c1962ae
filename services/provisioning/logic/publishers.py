"""Publisher administration: SCTS admins register publishers and manage their keys.

Every use case here first checks that the verified caller is in the SCTS admin group
(`require_admin`); the publisher's own key checks live in `logic.publisher_access`.
Each change is reported by an event (`PublisherRegistered`, `PublisherKeyIssued`,
`PublisherKeyRevoked`) the store writes in the same transaction (outbox): identity records
them in the staff audit trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from common.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from common.principal import UserPrincipal
from contracts.envelope import EventEnvelope
from contracts.event_type import EventType
from contracts.events import provisioning as events
from services.provisioning.logic.keys import issue_key
from services.provisioning.logic.ports import KnownAccounts, PublisherStore, UsageKeys
from services.provisioning.models.publishers import ApiKey, Publisher


class UnknownAccounts(InvalidInput):
    """A publisher may only feed accounts the portal knows."""

    def __init__(self, account_ids: list[str]) -> None:
        super().__init__(
            [FieldProblem("body.account_ids", f"unknown accounts: {', '.join(account_ids)}")],
            "Publishers may only feed accounts the portal knows.",
        )
        self.account_ids = account_ids


@dataclass(frozen=True)
class PublisherWithKeys:
    """A publisher and every key it was given (never the keys themselves)."""

    publisher: Publisher
    keys: list[ApiKey]


@dataclass(frozen=True)
class Registered:
    publisher: Publisher
    api_key: str
    key_prefix: str


@dataclass(frozen=True)
class IssuedKeyFor:
    """A new key, shown this once, and the publisher as it is now."""

    publisher: PublisherWithKeys
    api_key: str
    key_prefix: str


def publisher_event(
    event_type: EventType,
    publisher: Publisher,
    key_prefix: str,
    actor: str,
    now: datetime,
    correlation_id: str,
    **extra: Any,
) -> EventEnvelope[Any]:
    """The event reporting an admin's action on `publisher` (its key only by prefix)."""
    data = event_type.data_model.model_validate(
        {
            "publisher_id": publisher.publisher_id,
            "name": publisher.name,
            "all_accounts": publisher.account_ids is None,
            "account_ids": sorted(publisher.account_ids or ()),
            "key_prefix": key_prefix,
            "actor": actor,
            "at": now,
            **extra,
        }
    )
    return event_type.new(
        data,
        account_id=None,
        correlation_id=correlation_id,
        causation_id=correlation_id,
        occurred_at=now,
    )


def require_admin(caller: UserPrincipal, admin_group: str) -> str:
    """The caller's sub, if the verified access token puts them in the SCTS admin group."""
    if admin_group not in caller.groups:
        raise Forbidden("Only SCTS administrators may do this.")
    return caller.sub


def register(
    store: PublisherStore,
    usage_keys: UsageKeys,
    accounts: KnownAccounts,
    name: str,
    account_ids: Collection[str] | None,
    created_by: str,
    now: datetime,
    correlation_id: str,
) -> Registered:
    """A new publisher and its first key (the only time the key is ever shown).

    Unknown accounts are refused before anything is written. Its usage-plan key is created
    first and deleted again if storing the publisher fails, so a failure leaves neither a
    publisher without a throttle nor a stray API key.
    """
    if account_ids is not None:
        unknown = sorted(set(account_ids) - accounts.known_accounts(account_ids))
        if unknown:
            raise UnknownAccounts(unknown)
    publisher_id = f"pub-{secrets.token_hex(6)}"
    usage_key = usage_keys.create(publisher_id)
    try:
        publisher = Publisher(
            publisher_id=publisher_id,
            name=name,
            account_ids=None if account_ids is None else frozenset(account_ids),
            created_at=now,
            created_by=created_by,
            usage_key=usage_key,
        )
        issued = issue_key(publisher.publisher_id, now, created_by)
        prefix = issued.record.prefix
        event = publisher_event(
            events.PUBLISHER_REGISTERED, publisher, prefix, created_by, now, correlation_id
        )
        store.create(publisher, issued.record, event)
    except BaseException:
        usage_keys.delete(usage_key.key_id)
        raise
    return Registered(publisher, issued.plaintext, issued.record.prefix)


def register_publisher(
    caller: UserPrincipal,
    admin_group: str,
    store: PublisherStore,
    usage_keys: UsageKeys,
    accounts: KnownAccounts,
    *,
    name: str,
    account_ids: Collection[str] | None,
    now: datetime,
    correlation_id: str,
) -> IssuedKeyFor:
    """`register`, by an SCTS admin: the publisher with its first key."""
    admin = require_admin(caller, admin_group)
    registered = register(
        store, usage_keys, accounts, name, account_ids, admin, now, correlation_id
    )
    return IssuedKeyFor(
        PublisherWithKeys(registered.publisher, store.keys(registered.publisher.publisher_id)),
        registered.api_key,
        registered.key_prefix,
    )


def _with_keys(store: PublisherStore, publisher_id: str) -> PublisherWithKeys:
    found = store.get(publisher_id)
    if found is None:
        raise NotFound("No such publisher.")
    return PublisherWithKeys(found, store.keys(publisher_id))


def publisher(
    caller: UserPrincipal, admin_group: str, store: PublisherStore, publisher_id: str
) -> PublisherWithKeys:
    require_admin(caller, admin_group)
    return _with_keys(store, publisher_id)


def all_publishers(
    caller: UserPrincipal, admin_group: str, store: PublisherStore
) -> list[PublisherWithKeys]:
    """Every publisher with its keys: publishers are few (one per STX system)."""
    require_admin(caller, admin_group)
    return [PublisherWithKeys(p, store.keys(p.publisher_id)) for p in store.all_publishers()]


def rotate(
    caller: UserPrincipal,
    admin_group: str,
    store: PublisherStore,
    publisher_id: str,
    *,
    overlap: timedelta,
    now: datetime,
    correlation_id: str,
) -> IssuedKeyFor:
    """A new key; the publisher's other live keys keep working for `overlap`, then stop."""
    admin = require_admin(caller, admin_group)
    found = store.get(publisher_id)
    if found is None:
        raise NotFound("No such publisher.")
    issued = issue_key(publisher_id, now, admin)
    ends = now + overlap
    expire = [
        k.prefix
        for k in store.keys(publisher_id)
        if k.usable_at(now) and (k.expires_at is None or k.expires_at > ends)
    ]
    event = publisher_event(
        events.PUBLISHER_KEY_ISSUED,
        found,
        issued.record.prefix,
        admin,
        now,
        correlation_id,
        overlap_ends_at=ends,
    )
    store.rotate(issued.record, expire, ends, event)
    return IssuedKeyFor(_with_keys(store, publisher_id), issued.plaintext, issued.record.prefix)


def revoke(
    caller: UserPrincipal,
    admin_group: str,
    store: PublisherStore,
    publisher_id: str,
    prefix: str,
    now: datetime,
    correlation_id: str,
) -> None:
    """Revoke a key at once; another publisher's key is indistinguishable from none.
    Only the first revocation is reported (a repeated one changes nothing)."""
    admin = require_admin(caller, admin_group)
    found = store.get(publisher_id)
    if found is None:
        raise NotFound("No such key.")
    event = publisher_event(events.PUBLISHER_KEY_REVOKED, found, prefix, admin, now, correlation_id)
    if not store.revoke(publisher_id, prefix, now, admin, event):
        raise NotFound("No such key.")
