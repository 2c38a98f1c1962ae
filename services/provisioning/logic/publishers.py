"""Publisher administration (SCTS admins only) and API-key authentication."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from services.provisioning.logic.keys import IssuedKey, issue_key, key_matches, prefix_of
from services.provisioning.models.publishers import ApiKey, Publisher, UsageKey

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` is refreshed at most this often per key (one write, not one per call)."""


class PublisherStore(Protocol):
    def create(self, publisher: Publisher, key: ApiKey) -> None: ...

    def get(self, publisher_id: str) -> Publisher | None: ...

    def all_publishers(self) -> list[Publisher]: ...

    def keys(self, publisher_id: str) -> list[ApiKey]: ...

    def key(self, prefix: str) -> ApiKey | None:
        """The key with this prefix, read consistently (revocation is immediate)."""
        ...

    def rotate(self, new_key: ApiKey, expire: Collection[str], at: datetime) -> None:
        """Store `new_key` and let the keys `expire` (prefixes) stop working at `at`."""
        ...

    def revoke(self, publisher_id: str, prefix: str, at: datetime) -> bool: ...

    def touch(self, prefix: str, at: datetime) -> None: ...

    def take_request(self, publisher_id: str, window: str, limit: int) -> bool:
        """Count one request in the publisher's window; False once `limit` is reached."""
        ...


class UsageKeys(Protocol):
    """The publishers' API keys in the ingest API's usage plan (their gateway throttle)."""

    def create(self, publisher_id: str) -> UsageKey:
        """A new enabled API key named `publisher_id`, already added to the usage plan."""
        ...

    def delete(self, key_id: str) -> None: ...


class KnownAccounts(Protocol):
    def known_accounts(self, account_ids: Collection[str]) -> set[str]:
        """The ids among `account_ids` that identity announced."""
        ...


class NotFound(LookupError):
    pass


class UnknownAccounts(ValueError):
    """A publisher may only feed accounts the portal knows."""

    def __init__(self, account_ids: list[str]) -> None:
        super().__init__(f"unknown accounts: {', '.join(account_ids)}")
        self.account_ids = account_ids


@dataclass(frozen=True)
class Registered:
    publisher: Publisher
    api_key: str
    key_prefix: str


def register(
    store: PublisherStore,
    usage_keys: UsageKeys,
    accounts: KnownAccounts,
    name: str,
    account_ids: Collection[str] | None,
    created_by: str,
    now: datetime,
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
        issued = issue_key(publisher.publisher_id, now)
        store.create(publisher, issued.record)
    except BaseException:
        usage_keys.delete(usage_key.key_id)
        raise
    return Registered(publisher, issued.plaintext, issued.record.prefix)


def rotate(
    store: PublisherStore, publisher_id: str, overlap: timedelta, now: datetime
) -> IssuedKey:
    """A new key; the publisher's other live keys keep working for `overlap`, then stop."""
    if store.get(publisher_id) is None:
        raise NotFound(publisher_id)
    issued = issue_key(publisher_id, now)
    ends = now + overlap
    expire = [
        k.prefix
        for k in store.keys(publisher_id)
        if k.usable_at(now) and (k.expires_at is None or k.expires_at > ends)
    ]
    store.rotate(issued.record, expire, ends)
    return issued


def revoke(store: PublisherStore, publisher_id: str, prefix: str, now: datetime) -> None:
    if not store.revoke(publisher_id, prefix, now):
        raise NotFound(prefix)


def authenticate(store: PublisherStore, presented: str, now: datetime) -> Publisher | None:
    """The publisher a presented key belongs to, or None (unknown, revoked, expired)."""
    prefix = prefix_of(presented)
    if prefix is None:
        return None
    stored = store.key(prefix)
    if stored is None or not key_matches(presented, stored, now):
        return None
    publisher = store.get(stored.publisher_id)
    if publisher is None:
        return None
    if stored.last_used_at is None or now - stored.last_used_at >= LAST_USED_RESOLUTION:
        store.touch(prefix, now)
    return publisher


def within_rate(store: PublisherStore, publisher: Publisher, limit: int, now: datetime) -> bool:
    """Each publisher has its own budget of requests per minute (fixed window)."""
    return store.take_request(publisher.publisher_id, now.strftime("%Y%m%d%H%M"), limit)
