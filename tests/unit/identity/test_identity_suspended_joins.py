"""Joining a suspended account is refused and, like every refusal, audited: staff inviting
its first admin, an invitee accepting."""

from __future__ import annotations

import pytest

from common.access import AccountStatus
from common.api_errors import status_for
from common.errors import DomainError
from services.identity.logic import invitations
from services.identity.logic.roles import RoleName
from services.identity.models.domain import MembershipStatus

from .identity_fakes import MemoryRepository, actor, memory_ports
from .test_identity_authorization_races import account_with_a_cam_and_a_pending_first_admin

pytestmark = pytest.mark.unit


def suspended(repository: MemoryRepository) -> MemoryRepository:
    account = repository.accounts["acc_a"]
    repository.accounts["acc_a"] = account.model_copy(update={"status": AccountStatus.SUSPENDED})
    return repository


def refused_as_suspended(call: object) -> None:
    assert callable(call)
    with pytest.raises(DomainError) as refused:
        call()
    assert (status_for(refused.value), refused.value.code) == (403, "account_suspended")


def test_a_cam_inviting_into_a_suspended_account_is_refused_and_audited() -> None:
    repository = suspended(account_with_a_cam_and_a_pending_first_admin())
    ports = memory_ports(repository)
    ports.directory.mfa.add("cam")  # type: ignore[attr-defined]
    refused_as_suspended(
        lambda: invitations.invite(ports, actor("cam"), "acc_a", "new@a.example", RoleName.ADMIN)
    )
    last = repository.entries["acc_a"][-1]
    assert (last.action, last.actor, last.outcome.value) == (
        "denied:invitation.create",
        "cam",
        "denied",
    )
    assert ports.mailer.sent == []  # type: ignore[attr-defined]


def test_accepting_into_a_suspended_account_is_refused_and_audited() -> None:
    repository = suspended(account_with_a_cam_and_a_pending_first_admin())
    refused_as_suspended(
        lambda: invitations.accept_invitation(memory_ports(repository), actor("first"), "acc_a")
    )
    last = repository.entries["acc_a"][-1]
    assert (last.action, last.actor) == ("denied:invitation.accept", "first")
    assert repository.memberships[("acc_a", "first")].status is MembershipStatus.INVITED
