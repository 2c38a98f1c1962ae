"""The one write path of every identity use case: plan against the audit chain's head,
then commit state changes, the audit entry and the events (outbox) in one transaction;
retry from the start when another writer moved the chain first.

Every change of an account is a link of its audit chain, so changes of one account are
serialized by the chain head's condition, and each event's `sequence` is the link's
position: consumers order identity's facts by it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from common.access import Denial
from common.errors import NotFound, Unavailable
from contracts.envelope import EventData
from contracts.event_type import EventType
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.errors import conflict
from services.identity.logic.ports import ChainMoved, Change, ChangeRejected, Commit, Ports
from services.identity.models.domain import AuditOutcome

MAX_COMMIT_ATTEMPTS = 60
T = TypeVar("T")


@dataclass(frozen=True)
class Planned(Generic[T]):
    """What one attempt of a use case would write, and what it returns if it commits."""

    result: T
    changes: Sequence[Change] = ()
    events: Sequence[tuple[EventType, EventData]] = ()
    already_done: bool = False
    """The change was made before (a request retried after a lost response): answer
    `result` and write nothing, not even an audit entry."""

    @classmethod
    def done_before(cls, result: T) -> Planned[T]:
        return cls(result, already_done=True)


Planner = Callable[[int, datetime], Planned[T]]
"""(the chain position this change takes, now) -> the plan; may raise a domain error."""


def nothing(_sequence: int, _now: datetime) -> Planned[None]:
    """The plan of a change that only leaves its audit entry (a denial, an MFA enrolment)."""
    return Planned(None)


def account_of(chain: str) -> str | None:
    return None if chain == audit.PLATFORM_CHAIN else chain


def commit(
    ports: Ports,
    actor: Actor,
    chain: str,
    action: str,
    target: str,
    plan: Planner[T],
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> T:
    """Run `plan` against the chain head and commit it with its audit entry and events."""
    for attempt in range(MAX_COMMIT_ATTEMPTS):
        head = ports.repository.chain_head(chain)
        now = ports.clock()
        planned = plan((head.seq if head else 0) + 1, now)
        if planned.already_done:
            return planned.result
        entry = audit.new_entry(
            chain=chain,
            head=head,
            actor=actor.subject,
            action=action,
            target=target,
            account_id=account_of(chain),
            at=now,
            request_digest=actor.request_digest,
            outcome=outcome,
        )
        events = [
            event_type.new(
                data,
                account_id=account_of(chain),
                correlation_id=actor.correlation_id,
                causation_id=actor.correlation_id,
                occurred_at=now,
            )
            for event_type, data in planned.events
        ]
        try:
            ports.repository.commit(Commit(chain, head, entry, planned.changes, events))
        except ChainMoved:
            time.sleep(random.uniform(0, 0.005 * min(attempt + 1, 10)))  # noqa: S311
            continue
        except ChangeRejected as exc:
            raise conflict("conflict", "The object changed meanwhile; retry.") from exc
        return planned.result
    raise Unavailable("Too many concurrent changes; retry.", retry_after_seconds=1)


def record_denial(ports: Ports, actor: Actor, action: str, denial: Denial) -> None:
    """Append a refused request to the chain it belongs to: the account's chain when the
    caller may know the account (a member, its CAM, an SCTS administrator: answered 403),
    the platform chain otherwise (answered 404: an outsider's probe, or an unknown id), so
    an outsider can neither flood another tenant's audit log nor show its id there."""
    inside = denial.account_known and not isinstance(denial.error, NotFound)
    chain = denial.account_id if inside else audit.PLATFORM_CHAIN
    commit(
        ports,
        actor,
        chain,
        f"denied:{action}",
        f"account:{denial.account_id}:{denial.permission}",
        nothing,
        AuditOutcome.DENIED,
    )
