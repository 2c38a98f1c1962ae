"""SCTS administrators' actions on publishers, recorded in the platform audit chain.

They happen in provisioning, which reports each with an event (`PublisherRegistered`,
`PublisherKeyIssued`, `PublisherKeyRevoked`); identity appends one entry per event to the
platform chain, so the staff audit trail (`GET /v1/audit`) lists them with the accounts
and CAMs. Delivery is at least once and in any order: the entry is committed together with
a mark of the event id (a second delivery finds the mark, or its commit is refused by it),
and it carries the time the action happened, by which the staff list sorts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from common.errors import Conflict
from common.principal import UserPrincipal
from contracts.envelope import EventEnvelope
from contracts.events.provisioning import (
    PublisherFact,
    PublisherKeyIssued,
    PublisherKeyRevoked,
    PublisherRegistered,
)
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.audit_log import PUBLISHER_TARGET
from services.identity.logic.commits import Planned, commit
from services.identity.logic.ports import Ports, PutPublisherName, RecordEvent

ACTIONS: dict[type[PublisherFact], str] = {
    PublisherRegistered: "publisher.register",
    PublisherKeyIssued: "publisher.key.issue",
    PublisherKeyRevoked: "publisher.key.revoke",
}


def publisher_target(data: PublisherFact) -> str:
    """`publisher:<id>` for a registration, `publisher:<id>:key:<prefix>` for a key."""
    target = f"{PUBLISHER_TARGET}:{data.publisher_id}"
    if isinstance(data, PublisherRegistered):
        return target
    return f"{target}:key:{data.key_prefix}"


def record_publisher_action(ports: Ports, envelope: EventEnvelope[Any]) -> bool:
    """Append the event's action to the platform chain once; False if already recorded."""
    data = envelope.data
    if not isinstance(data, PublisherFact) or type(data) not in ACTIONS:
        raise TypeError(f"not a publisher action: {envelope.detail_type}")
    event_id = str(envelope.event_id)
    if ports.repository.event_recorded(event_id):
        return False
    actor = Actor(
        principal=UserPrincipal(sub=data.actor, username=data.actor, claims={}),
        access_token="",
        request_digest=audit.request_hash("EVENT", envelope.source, event_id),
        correlation_id=envelope.correlation_id,
    )
    changes = (
        RecordEvent(event_id),
        PutPublisherName(publisher_id=data.publisher_id, name=data.name),
    )
    try:
        commit(
            replace(ports, clock=lambda: data.at),
            actor,
            audit.PLATFORM_CHAIN,
            ACTIONS[type(data)],
            publisher_target(data),
            lambda _sequence, _now: Planned(None, changes),
        )
    except Conflict:
        if ports.repository.event_recorded(event_id):
            return False  # another delivery of the same event recorded it meanwhile
        raise
    return True
