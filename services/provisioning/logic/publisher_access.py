"""Which publisher a presented API key belongs to, and whether it may call now.

Run twice per publisher request: by the ingest API's authorizer (`authenticate`) and again
inside the service (`admit`; zero trust: the authorizer's verdict is cross-checked, never
trusted alone).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from common.errors import RateLimited, Unauthenticated
from services.provisioning.logic.keys import key_matches, prefix_of
from services.provisioning.logic.ports import KeyStore, PublisherStore
from services.provisioning.models.publishers import Publisher

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` is refreshed at most this often per key (one write, not one per call)."""
RATE_WINDOW_SECONDS = 60


def authenticate(store: KeyStore, presented: str, now: datetime) -> Publisher | None:
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


def admit(
    store: PublisherStore,
    presented: str,
    vouched_for: str | None,
    requests_per_minute: int,
    now: datetime,
) -> Publisher:
    """The calling publisher, if its key is good, names the publisher the gateway's
    authorizer allowed (`vouched_for`; None when no authorizer ran) and the publisher has
    requests left this minute."""
    publisher = authenticate(store, presented, now)
    if publisher is None or vouched_for not in (None, publisher.publisher_id):
        raise Unauthenticated()
    if not within_rate(store, publisher, requests_per_minute, now):
        raise RateLimited(f"At most {requests_per_minute} requests a minute.", RATE_WINDOW_SECONDS)
    return publisher
