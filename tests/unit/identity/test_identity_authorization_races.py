"""Rights are decided at the chain head, like the change itself: a caller who loses them
between the first check and the commit (removed, or a CAM whose first admin has just
accepted) commits nothing. Each test takes the rights away at the last moment before the
plan, in the directory call that precedes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest

from common.api_errors import status_for
from common.errors import DomainError
from services.identity.logic import accounts, invitations, members
from services.identity.logic.ports import DirectoryUser, Ports
from services.identity.logic.roles import RoleName
from services.identity.models.domain import Cam, CamAssignment, Membership, MembershipStatus

from .identity_fakes import NOW, Mailbox, MemoryDirectory, MemoryRepository, actor, memory_ports
from .test_identity_use_cases import account, member, repository_with_account_a

pytestmark = pytest.mark.unit


@dataclass
class InterruptingDirectory(MemoryDirectory):
    """Runs `meanwhile` once, the first time `trigger` (a username or an email) is looked up."""

    trigger: str = ""
    meanwhile: Callable[[], object] = lambda: None
    interrupted: list[str] = field(default_factory=list)

    def _interrupt(self, key: str) -> None:
        if key == self.trigger and not self.interrupted:
            self.interrupted.append(key)
            self.meanwhile()

    def mfa_satisfied(self, username: str) -> bool:
        self._interrupt(username)
        return super().mfa_satisfied(username)

    def find_user(self, email: str) -> DirectoryUser | None:
        self._interrupt(email)
        return super().find_user(email)


def interrupted_ports(repository: MemoryRepository, trigger: str) -> Ports:
    directory = InterruptingDirectory(trigger=trigger)
    directory.mfa.update({"admin-a", "admin-b", "cam"})
    return replace(memory_ports(repository), directory=directory)


def meanwhile(ports: Ports, change: Callable[[], object]) -> None:
    assert isinstance(ports.directory, InterruptingDirectory)
    ports.directory.meanwhile = change


def refusal_status(call: Callable[[], object]) -> int:
    with pytest.raises(DomainError) as refused:
        call()
    return status_for(refused.value)


def test_an_admin_removed_meanwhile_cannot_promote_anyone() -> None:
    repository = repository_with_account_a(member("admin-b", RoleName.ADMIN), member("v1"))
    ports = interrupted_ports(repository, "admin-a")
    meanwhile(ports, lambda: members.remove_member(ports, actor("admin-b"), "acc_a", "admin-a"))
    status = refusal_status(
        lambda: members.change_role(ports, actor("admin-a"), "acc_a", "v1", RoleName.ADMIN)
    )
    assert status == 404
    assert repository.memberships[("acc_a", "v1")].role is RoleName.VIEWER


def test_an_admin_removed_meanwhile_cannot_invite() -> None:
    repository = repository_with_account_a(member("admin-b", RoleName.ADMIN))
    ports = interrupted_ports(repository, "friend@x.example")
    meanwhile(ports, lambda: members.remove_member(ports, actor("admin-b"), "acc_a", "admin-a"))
    status = refusal_status(
        lambda: invitations.invite(
            ports, actor("admin-a"), "acc_a", "friend@x.example", RoleName.ADMIN
        )
    )
    assert status == 404
    assert [m.subject for m in repository.list_memberships("acc_a")] == ["admin-b"]


def account_with_a_cam_and_a_pending_first_admin() -> MemoryRepository:
    first = Membership(
        account_id="acc_a",
        subject="first",
        email="first@a.example",
        role=RoleName.ADMIN,
        status=MembershipStatus.INVITED,
        invited_by="root",
        invited_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )
    cam = Cam(subject="cam", email="c@stx.example", name="C", created_at=NOW, created_by="root")
    assigned = CamAssignment(account_id="acc_a", subject="cam", assigned_at=NOW, assigned_by="root")
    return MemoryRepository(
        accounts={"acc_a": account()},
        memberships={("acc_a", "first"): first},
        cams={"cam": cam},
        assignments={("acc_a", "cam"): assigned},
    )


def test_a_cam_cannot_invite_an_admin_once_the_first_admin_accepted() -> None:
    repository = account_with_a_cam_and_a_pending_first_admin()
    ports = interrupted_ports(repository, "second@a.example")
    meanwhile(ports, lambda: invitations.accept_invitation(ports, actor("first"), "acc_a"))
    status = refusal_status(
        lambda: invitations.invite(ports, actor("cam"), "acc_a", "second@a.example", RoleName.ADMIN)
    )
    assert status == 403
    assert [m.subject for m in repository.list_memberships("acc_a")] == ["first"]


def test_a_cam_cannot_invite_into_an_account_suspended_meanwhile() -> None:
    """Suspension is decided at the chain head too: a first-admin invitation by staff,
    checked against an active account, commits nothing (and mails nothing) once an SCTS
    administrator has suspended it meanwhile."""
    repository = account_with_a_cam_and_a_pending_first_admin()
    ports = interrupted_ports(repository, "second@a.example")
    assert isinstance(ports.directory, InterruptingDirectory)
    ports.directory.mfa.add("root")
    meanwhile(
        ports,
        lambda: accounts.suspend_account(ports, actor("root", scts_admin=True), "acc_a", "fraud"),
    )
    status = refusal_status(
        lambda: invitations.invite(ports, actor("cam"), "acc_a", "second@a.example", RoleName.ADMIN)
    )
    assert status == 403
    assert [m.subject for m in repository.list_memberships("acc_a")] == ["first"]
    assert isinstance(ports.mailer, Mailbox)
    assert ports.mailer.sent == []
