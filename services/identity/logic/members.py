"""An account's members: listed by who may read its users, their roles changed and
removed by its admins (TOTP enrolled); an account always keeps one admin."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from common.errors import NotFound
from contracts.events import identity as ev
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import (
    require_manage_users,
    require_users_read,
    still_manages_users,
)
from services.identity.logic.commits import Planned, commit
from services.identity.logic.errors import conflict
from services.identity.logic.paging import ListPage, ListScope, PageRequest, page_of
from services.identity.logic.ports import (
    Change,
    DeleteMembership,
    Ports,
    PutMembership,
    ReleaseMembership,
)
from services.identity.logic.roles import ADMIN_ROLE, RoleName
from services.identity.models.domain import Membership, MembershipStatus


def membership_or_404(
    ports: Ports, account_id: str, subject: str, status: MembershipStatus
) -> Membership:
    """The member (ACTIVE) or the pending invitation (INVITED), else 404."""
    member = ports.repository.get_membership(account_id, subject)
    if member is None or member.status is not status:
        what = "member" if status is MembershipStatus.ACTIVE else "invitation"
        raise NotFound(f"No such {what}.")
    return member


def subject_key(member: Membership) -> str:
    return member.subject


def list_members(
    ports: Ports, actor: Actor, account_id: str, page: PageRequest
) -> ListPage[Membership]:
    """Members and pending invitations, by subject."""
    require_users_read(ports, actor, "members.list", account_id)
    scope = ListScope.of("members", actor, account_id)
    return page_of(ports, scope, ports.repository.list_memberships(account_id), subject_key, page)


def has_active_admin(ports: Ports, account_id: str, besides: str | None = None) -> bool:
    return any(
        m.role is ADMIN_ROLE and m.status is MembershipStatus.ACTIVE and m.subject != besides
        for m in ports.repository.list_memberships(account_id)
    )


def keep_an_admin(ports: Ports, account_id: str, leaving: str) -> None:
    if not has_active_admin(ports, account_id, besides=leaving):
        raise conflict(
            "last_admin", "An account must keep at least one admin; appoint another first."
        )


def change_role(
    ports: Ports, actor: Actor, account_id: str, subject: str, role: RoleName
) -> Membership:
    require_manage_users(ports, actor, "member.change_role", account_id)

    def plan(seq: int, _now: datetime) -> Planned[Membership]:
        still_manages_users(ports, actor, "member.change_role", account_id)
        member = membership_or_404(ports, account_id, subject, MembershipStatus.ACTIVE)
        if member.role is role:
            raise conflict("no_change", f"The member already has role {role.value}.")
        if member.role is ADMIN_ROLE:
            keep_an_admin(ports, account_id, subject)
        updated = member.model_copy(update={"role": role})
        data = ev.AccessChangedData(
            account_id=account_id,
            sequence=seq,
            subject=subject,
            role=role.value,
            permissions=updated.permissions,
        )
        return Planned(updated, [PutMembership(updated, new=False)], [(ev.ACCESS_CHANGED, data)])

    return commit(ports, actor, account_id, "member.change_role", f"member:{subject}", plan)


def remove_member(ports: Ports, actor: Actor, account_id: str, subject: str) -> None:
    require_manage_users(ports, actor, "member.remove", account_id)

    removed: list[Membership] = []

    def plan(seq: int, _now: datetime) -> Planned[None]:
        still_manages_users(ports, actor, "member.remove", account_id)
        member = membership_or_404(ports, account_id, subject, MembershipStatus.ACTIVE)
        if member.role is ADMIN_ROLE:
            keep_an_admin(ports, account_id, subject)
        removed[:] = [member]
        data = ev.AccessRevokedData(account_id=account_id, sequence=seq, subject=subject)
        changes: list[Change] = [
            DeleteMembership(account_id, subject),
            ReleaseMembership(subject, account_id),
        ]
        return Planned(None, changes, [(ev.ACCESS_REVOKED, data)])

    commit(ports, actor, account_id, "member.remove", f"member:{subject}", plan)
    sign_out_everywhere(ports, removed)


def sign_out_everywhere(ports: Ports, people: Iterable[Membership]) -> None:
    """Revoke every refresh token of people who lost access (Cognito global sign-out),
    after the fact is committed. Their access tokens still verify for up to 15 minutes, but
    every service authorizes each request from its own projection of the membership, which
    no longer grants anything; this ends the session for good (it signs the person out of
    their other accounts too: they sign in again)."""
    for person in people:
        user = ports.directory.find_user(person.email)
        if user is not None and user.subject == person.subject:
            ports.directory.sign_out_everywhere(user.username)
