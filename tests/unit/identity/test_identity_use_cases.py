"""Identity's use cases on in-memory ports: the one write path (retry, give up, conflict),
refusals (403 where the caller sees the account, 404 elsewhere, always audited), events
built from the catalog, and pages whose cursors continue only their own list."""

from __future__ import annotations

import pytest

from common.access import AccountStatus
from common.api_errors import status_for
from common.errors import Conflict, DomainError, InvalidInput, Unavailable
from services.identity.logic import accounts, audit, commits, members
from services.identity.logic.commits import Planned, commit
from services.identity.logic.paging import PageRequest
from services.identity.logic.ports import DirectoryUser, PutAccount
from services.identity.logic.roles import RoleName
from services.identity.models.domain import Account, Membership, MembershipStatus

from .identity_fakes import NOW, MemoryRepository, actor, memory_ports

pytestmark = pytest.mark.unit

ROOT = actor("root", scts_admin=True)
ADMIN = actor("admin-a")


def account(account_id: str = "acc_a") -> Account:
    return Account(
        account_id=account_id,
        name="A",
        status=AccountStatus.ACTIVE,
        created_at=NOW,
        created_by="root",
    )


def member(subject: str, role: RoleName = RoleName.VIEWER, account_id: str = "acc_a") -> Membership:
    return Membership(
        account_id=account_id,
        subject=subject,
        email=f"{subject}@a.example",
        role=role,
        status=MembershipStatus.ACTIVE,
        invited_by="root",
        invited_at=NOW,
    )


def repository_with_account_a(*people: Membership) -> MemoryRepository:
    repository = MemoryRepository(accounts={"acc_a": account()})
    for person in (member("admin-a", RoleName.ADMIN), *people):
        repository.memberships[(person.account_id, person.subject)] = person
    return repository


def test_a_moved_chain_is_planned_again_and_committed_once() -> None:
    repository = MemoryRepository(moves_left=2)
    ports = memory_ports(repository)
    plans: list[int] = []

    def plan(seq: int, _now: object) -> Planned[str]:
        plans.append(seq)
        return Planned("done", [PutAccount(account(), new=True)])

    assert commit(ports, ROOT, "acc_a", "account.create", "account:acc_a", plan) == "done"
    assert (len(plans), repository.commits_tried, len(repository.entries["acc_a"])) == (3, 3, 1)


def test_a_chain_that_keeps_moving_is_503_and_writes_nothing() -> None:
    repository = MemoryRepository(moves_left=10**6)
    with pytest.raises(Unavailable) as busy:
        commit(memory_ports(repository), ROOT, "acc_a", "x", "y", commits.nothing)
    assert busy.value.retry_after_seconds >= 1
    assert (repository.commits_tried, repository.entries) == (commits.MAX_COMMIT_ATTEMPTS, {})


def test_a_state_condition_that_fails_is_a_409() -> None:
    repository = MemoryRepository(accounts={"acc_a": account()})

    def plan(_seq: int, _now: object) -> Planned[None]:
        return Planned(None, [PutAccount(account(), new=True)])

    with pytest.raises(Conflict):
        commit(memory_ports(repository), ROOT, "acc_a", "x", "y", plan)
    assert repository.outbox == []


def test_events_are_built_from_the_catalog_with_the_request_as_correlation() -> None:
    repository = MemoryRepository()
    ports = memory_ports(repository)
    ports.directory.mfa.add("root")  # type: ignore[attr-defined]
    created = accounts.create_account(ports, ROOT, "Nordic Green")
    [event] = repository.outbox
    assert (event.detail_type, event.version, event.account_id) == (
        "AccountCreated",
        1,
        created.account_id,
    )
    assert (event.correlation_id, event.causation_id, event.occurred_at) == (
        "req-root",
        "req-root",
        NOW,
    )
    assert (event.data.sequence, event.data.created_by) == (1, "root")


def test_scts_admins_are_refused_with_403_in_an_account_they_see_and_it_is_audited() -> None:
    repository = repository_with_account_a(member("v1"))
    ports = memory_ports(repository)
    ports.directory.mfa.add("root")  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as refused:
        members.change_role(ports, ROOT, "acc_a", "v1", RoleName.TRADER)
    assert status_for(refused.value) == 403
    last = repository.entries["acc_a"][-1]
    assert (last.action, last.outcome.value, last.actor) == (
        "denied:member.change_role",
        "denied",
        "root",
    )


def test_an_unknown_account_is_404_and_audited_on_the_platform_chain() -> None:
    repository = repository_with_account_a()
    with pytest.raises(DomainError) as refused:
        members.list_members(memory_ports(repository), ADMIN, "acc_zz", PageRequest(50))
    assert status_for(refused.value) == 404
    assert "acc_zz" not in repository.entries
    [denied] = repository.entries[audit.PLATFORM_CHAIN]
    assert denied.target == "account:acc_zz:users:read"


def test_an_outsiders_probe_of_an_account_stays_out_of_its_chain() -> None:
    """Issue 11 #9: a refused probe of another tenant's account is evidence about the
    prober, kept on the platform chain; the victim's chain (and its admins) never see it."""
    repository = repository_with_account_a()
    before = list(repository.entries.get("acc_a", []))
    outsider = actor("admin-b")
    for _ in range(3):
        with pytest.raises(DomainError) as refused:
            members.list_members(memory_ports(repository), outsider, "acc_a", PageRequest(50))
        assert status_for(refused.value) == 404
    assert repository.entries.get("acc_a", []) == before
    probes = [e for e in repository.entries[audit.PLATFORM_CHAIN] if e.actor == "admin-b"]
    assert [(e.action, e.target) for e in probes] == [
        ("denied:members.list", "account:acc_a:users:read")
    ] * 3


def test_a_page_continues_its_own_list_only() -> None:
    repository = repository_with_account_a(member("v1"), member("v2"), member("v3"))
    ports = memory_ports(repository)
    first = members.list_members(ports, ADMIN, "acc_a", PageRequest(2))
    assert [m.subject for m in first.items] == ["admin-a", "v1"]
    assert first.next_cursor is not None
    rest = members.list_members(ports, ADMIN, "acc_a", PageRequest(2, first.next_cursor))
    assert ([m.subject for m in rest.items], rest.next_cursor) == (["v2", "v3"], None)
    root_first = accounts.list_accounts(ports, ROOT, PageRequest(1))
    for foreign in (first.next_cursor, "forged.cursor"):
        with pytest.raises(InvalidInput) as refused:
            accounts.list_accounts(ports, ROOT, PageRequest(1, foreign))
        assert [f.path for f in refused.value.fields] == ["query.cursor"]
    assert root_first.next_cursor is None


def test_the_last_admin_stays() -> None:
    ports = memory_ports(repository_with_account_a(member("v1")))
    ports.directory.mfa.add("admin-a")  # type: ignore[attr-defined]
    with pytest.raises(Conflict) as kept:
        members.remove_member(ports, ADMIN, "acc_a", "admin-a")
    assert kept.value.code == "last_admin"
    members.remove_member(ports, ADMIN, "acc_a", "v1")


def test_a_removed_member_is_signed_out_everywhere() -> None:
    repository = repository_with_account_a(member("v1"), member("v2"))
    ports = memory_ports(repository)
    ports.directory.mfa.add("admin-a")  # type: ignore[attr-defined]
    for subject in ("v1", "v2"):
        person = DirectoryUser(f"user-{subject}", subject, f"{subject}@a.example", False)
        ports.directory.users[person.email] = person  # type: ignore[attr-defined]
    members.remove_member(ports, ADMIN, "acc_a", "v1")
    assert ports.directory.signed_out == ["user-v1"]  # type: ignore[attr-defined]


def test_suspending_an_account_signs_its_active_members_out() -> None:
    invited = member("v3").model_copy(update={"status": MembershipStatus.INVITED})
    repository = repository_with_account_a(member("v1"), invited)
    ports = memory_ports(repository)
    ports.directory.mfa.add("root")  # type: ignore[attr-defined]
    for subject in ("admin-a", "v1", "v3"):
        person = DirectoryUser(f"user-{subject}", subject, f"{subject}@a.example", False)
        ports.directory.users[person.email] = person  # type: ignore[attr-defined]
    accounts.suspend_account(ports, ROOT, "acc_a", "unpaid")
    assert sorted(ports.directory.signed_out) == ["user-admin-a", "user-v1"]  # type: ignore[attr-defined]
