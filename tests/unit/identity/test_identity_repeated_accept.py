"""A retried acceptance that races the first one (both read the pending invitation, the
first commits) answers the active membership at the re-plan and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from contracts.events import identity as ev
from services.identity.logic import invitations
from services.identity.logic.ports import Commit
from services.identity.models.domain import MembershipStatus

from .identity_fakes import MemoryRepository, actor, memory_ports
from .test_identity_authorization_races import account_with_a_cam_and_a_pending_first_admin

pytestmark = pytest.mark.unit


@dataclass
class FirstCommitOvertaken(MemoryRepository):
    """Runs `meanwhile` before the first commit is tried, so that commit meets a moved chain."""

    meanwhile: Callable[[], object] | None = None

    def commit(self, commit: Commit) -> None:
        overtake, self.meanwhile = self.meanwhile, None
        if overtake is not None:
            overtake()
        super().commit(commit)


def test_a_retry_overtaken_by_the_first_acceptance_answers_it_and_writes_nothing() -> None:
    pending = account_with_a_cam_and_a_pending_first_admin()
    repository = FirstCommitOvertaken(
        accounts=pending.accounts,
        memberships=pending.memberships,
        cams=pending.cams,
        assignments=pending.assignments,
    )
    ports = memory_ports(repository)
    first: list[object] = []
    repository.meanwhile = lambda: first.append(
        invitations.accept_invitation(ports, actor("first"), "acc_a")
    )

    retried = invitations.accept_invitation(ports, actor("first"), "acc_a")

    assert retried == first[0]
    assert retried.status is MembershipStatus.ACTIVE
    granted = [e for e in repository.outbox if e.detail_type == ev.ACCESS_GRANTED.detail_type]
    assert len(granted) == 1
    assert [e.action for e in repository.entries["acc_a"]] == ["invitation.accept"]
