"""A change refused for want of TOTP (`mfa_required`) is audited like every other refusal:
in the account's chain when the caller may know the account, else in the platform chain
(and a staff action's refusal is listed in the staff audit trail)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from common.api_errors import status_for
from common.errors import DomainError
from services.identity.logic import accounts, audit, cams, invitations, members
from services.identity.logic.roles import RoleName
from services.identity.models.domain import AuditEntry, Cam

from .identity_fakes import NOW, MemoryRepository, actor, memory_ports
from .test_identity_use_cases import member, repository_with_account_a

pytestmark = pytest.mark.unit

ROOT = actor("root", scts_admin=True)
ADMIN = actor("admin-a")
CAM = actor("cam")


def refused_for_mfa(call: Callable[[], object]) -> None:
    with pytest.raises(DomainError) as refused:
        call()
    assert (status_for(refused.value), refused.value.code) == (403, "mfa_required")


def newest(repository: MemoryRepository, chain: str) -> AuditEntry:
    return repository.entries[chain][-1]


def test_an_admin_without_totp_changing_a_role_is_audited_in_the_accounts_chain() -> None:
    repository = repository_with_account_a(member("v1"))
    ports = memory_ports(repository)
    refused_for_mfa(lambda: members.change_role(ports, ADMIN, "acc_a", "v1", RoleName.TRADER))
    last = newest(repository, "acc_a")
    assert (last.action, last.outcome.value, last.actor, last.target) == (
        "denied:member.change_role",
        "denied",
        "admin-a",
        "account:acc_a:mfa",
    )
    assert repository.memberships[("acc_a", "v1")].role is RoleName.VIEWER


def test_an_admin_without_totp_inviting_is_audited_in_the_accounts_chain() -> None:
    repository = repository_with_account_a()
    ports = memory_ports(repository)
    refused_for_mfa(
        lambda: invitations.invite(ports, ADMIN, "acc_a", "new@a.example", RoleName.VIEWER)
    )
    assert newest(repository, "acc_a").action == "denied:invitation.create"
    assert ports.mailer.sent == []  # type: ignore[attr-defined]


def test_an_scts_admin_without_totp_is_audited_and_listed_as_a_staff_refusal() -> None:
    repository = repository_with_account_a()
    ports = memory_ports(repository)
    refused_for_mfa(lambda: cams.create_cam(ports, ROOT, "cam@stx.example", "Cam"))
    refused_for_mfa(lambda: accounts.suspend_account(ports, ROOT, "acc_a", "unpaid"))
    assert newest(repository, audit.PLATFORM_CHAIN).action == "denied:cam.create"
    assert newest(repository, "acc_a").action == "denied:account.suspend"
    staff = repository.staff_audit_page(10, None)
    assert {e.action for e in staff} == {"denied:cam.create", "denied:account.suspend"}


def test_a_cam_without_totp_creating_an_account_is_audited_in_the_platform_chain() -> None:
    repository = MemoryRepository()
    repository.cams["cam"] = Cam(
        subject="cam", email="c@stx.example", name="C", created_at=NOW, created_by="root"
    )
    refused_for_mfa(lambda: accounts.create_account(memory_ports(repository), CAM, "New"))
    last = newest(repository, audit.PLATFORM_CHAIN)
    assert (last.action, last.actor, last.target) == (
        "denied:account.create",
        "cam",
        "account:-:mfa",
    )
    assert repository.accounts == {}
