"""Invitations: an account's admins invite anyone; an assigned CAM or an SCTS administrator
invites the first admin (and manages that pending invitation until an admin is active).
The invitee accepts after their first login; the membership becomes active.

Nobody enters an account on their own say-so (issue 11, THREAT_MODEL.md):
- the inviter is never the invitee (an admin cannot re-invite itself into another role, a
  CAM cannot invite its own email as the first admin);
- staff (CAMs, SCTS administrators) never become members: they are refused as invitees,
  and refused again when accepting (an invitation made before they became staff);
- an invitation is accepted only by the person it was made for: it is bound to the
  Cognito user of the invited email (whose temporary password is mailed to that address).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from common.access import SCTS_ADMINS_GROUP, AccountStatus
from common.errors import NotFound
from contracts.events import identity as ev
from services.identity.logic import mails
from services.identity.logic.accounts import account_or_404
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import (
    MANAGE_USERS,
    guard,
    refuse,
    refuse_suspended,
    require_mfa,
    require_users_read,
    still_manages_users,
)
from services.identity.logic.commits import Planned, commit
from services.identity.logic.errors import InvitationExpired, conflict
from services.identity.logic.members import has_active_admin, membership_or_404, subject_key
from services.identity.logic.paging import ListPage, ListScope, PageRequest, page_of
from services.identity.logic.ports import (
    Change,
    ClaimMembership,
    DeleteMembership,
    DirectoryUser,
    Ports,
    PutMembership,
)
from services.identity.logic.roles import ADMIN_ROLE, RoleName
from services.identity.models.domain import Account, Membership, MembershipStatus

INVITATION_TTL = timedelta(days=7)


def require_may_invite(
    ports: Ports, actor: Actor, action: str, account_id: str, role: RoleName
) -> None:
    """Account admins invite anyone; CAMs (assigned) and SCTS admins only the first admin,
    until an admin has accepted (an expired invitation must not lock the account out).
    TOTP enrolled."""
    still_may_invite(ports, actor, action, account_id, role)
    require_mfa(ports, actor, action, account_id)


def still_may_invite(
    ports: Ports, actor: Actor, action: str, account_id: str, role: RoleName
) -> None:
    """`require_may_invite` without TOTP: also decided inside the change's plan, at the chain
    head, so an admin removed meanwhile or a CAM whose first admin has just accepted
    commits nothing."""
    facts = ports.access.facts(account_id, actor.subject)
    first_admin_inviter = actor.scts_admin or facts.cam_assigned
    if first_admin_inviter and facts.member_permissions is None:
        if role is not ADMIN_ROLE or has_active_admin(ports, account_id):
            raise refuse(ports, actor, action, account_id, MANAGE_USERS)
        if facts.account_status is None and ports.repository.get_account(account_id) is None:
            raise refuse(ports, actor, action, account_id, MANAGE_USERS)
        return
    still_manages_users(ports, actor, action, account_id)


def list_invitations(
    ports: Ports, actor: Actor, account_id: str, page: PageRequest
) -> ListPage[Membership]:
    require_users_read(ports, actor, "invitations.list", account_id)
    pending = [
        m
        for m in ports.repository.list_memberships(account_id)
        if m.status is MembershipStatus.INVITED
    ]
    return page_of(
        ports, ListScope.of("invitations", actor, account_id), pending, subject_key, page
    )


def invite(ports: Ports, actor: Actor, account_id: str, email: str, role: RoleName) -> Membership:
    email = email.strip().lower()
    require_may_invite(ports, actor, "invitation.create", account_id, role)
    account = active_account(ports, actor, "invitation.create", account_id)
    directory = ports.directory
    user = directory.find_user(email)
    if user is not None:
        _refuse_self_or_staff(ports, actor, account_id, user)
    if user is not None and ports.repository.get_membership(account_id, user.subject) is not None:
        raise conflict(
            "already_member", "This person is already a member or invited.", field="email"
        )
    password = mails.temporary_password()
    if user is None:
        user = directory.create_user(email, password)
    elif user.must_change_password:
        directory.set_temporary_password(user.username, password)
    else:
        password = ""
    invited = _commit_invitation(ports, actor, account, user, role, new=True)
    _send(ports, account, invited, password)
    return invited


def resend_invitation(ports: Ports, actor: Actor, account_id: str, subject: str) -> Membership:
    """A new temporary password (if the person has not chosen one) and 7 more days."""
    current = ports.repository.get_membership(account_id, subject)
    role = current.role if current else RoleName.VIEWER
    require_may_invite(ports, actor, "invitation.resend", account_id, role)
    if current is None or current.status is not MembershipStatus.INVITED:
        raise NotFound("No such invitation.")
    account = active_account(ports, actor, "invitation.resend", account_id)
    user = ports.directory.find_user(current.email)
    if user is None:
        raise NotFound("No such invitation.")
    _refuse_staff(ports, user)
    password = ""
    if user.must_change_password:
        password = mails.temporary_password()
        ports.directory.set_temporary_password(user.username, password)
    invited = _commit_invitation(ports, actor, account, user, current.role, new=False)
    _send(ports, account, invited, password)
    return invited


def revoke_invitation(ports: Ports, actor: Actor, account_id: str, subject: str) -> None:
    current = ports.repository.get_membership(account_id, subject)
    role = current.role if current else RoleName.VIEWER
    require_may_invite(ports, actor, "invitation.revoke", account_id, role)

    def plan(seq: int, _now: datetime) -> Planned[None]:
        still_may_invite(ports, actor, "invitation.revoke", account_id, role)
        membership_or_404(ports, account_id, subject, MembershipStatus.INVITED)
        data = ev.InvitationRevokedData(account_id=account_id, sequence=seq, subject=subject)
        changes = [DeleteMembership(account_id, subject)]
        return Planned(None, changes, [(ev.INVITATION_REVOKED, data)])

    commit(ports, actor, account_id, "invitation.revoke", f"invitation:{subject}", plan)


def is_staff(ports: Ports, user: DirectoryUser) -> bool:
    """CAMs and SCTS administrators: they read accounts as staff, never as members."""
    if ports.repository.get_cam(user.subject) is not None:
        return True
    return SCTS_ADMINS_GROUP in ports.directory.groups_of(user.username)


def _refuse_self_or_staff(
    ports: Ports, actor: Actor, account_id: str, invitee: DirectoryUser
) -> None:
    if invitee.subject == actor.subject:
        raise guard(ports, actor, "invitation.create").refuse(
            actor.principal, account_id, MANAGE_USERS, "You cannot invite yourself."
        )
    _refuse_staff(ports, invitee)


def _refuse_staff(ports: Ports, invitee: DirectoryUser) -> None:
    """Staff are not invited, nor invited again (an invitation made before they became
    staff): a resend would also reset the temporary password of their staff sign-in."""
    if is_staff(ports, invitee):
        raise conflict(
            "staff_cannot_be_member",
            "CAMs and SCTS administrators cannot be members of an account.",
            field="email",
        )


def active_account(ports: Ports, actor: Actor, action: str, account_id: str) -> Account:
    """The account, if it is active: nobody joins a suspended account (403, audited, as the
    guard answers its members), and no invitation to it is sent again."""
    account = account_or_404(ports, account_id)
    if account.status is not AccountStatus.ACTIVE:
        raise refuse_suspended(ports, actor, action, account_id)
    return account


def accept_invitation(ports: Ports, actor: Actor, account_id: str) -> Membership:
    """The invitee's first login: the membership becomes active (AccessGranted). Only the
    invitee's own invitation is found: anyone else's answer is 404. Accepting again (a
    client retrying after a lost response) answers the active membership and writes
    nothing (`accepted_before`). Staff holding an invitation (made before they became
    staff) are refused, also when the person is made a CAM at the same moment
    (`ClaimMembership`: the loser of the race gets a 409)."""
    pending = ports.repository.get_membership(account_id, actor.subject)
    if pending is not None and (
        actor.scts_admin or ports.repository.get_cam(actor.subject) is not None
    ):
        raise guard(ports, actor, "invitation.accept").refuse(
            actor.principal,
            account_id,
            "membership",
            "CAMs and SCTS administrators cannot become members of an account.",
        )

    def plan(seq: int, now: datetime) -> Planned[Membership]:
        member = ports.repository.get_membership(account_id, actor.subject)
        if member is not None and accepted_before(ports, member):
            return Planned.done_before(member)
        if member is None or member.status is not MembershipStatus.INVITED:
            raise NotFound("No such invitation.")
        active_account(ports, actor, "invitation.accept", account_id)
        if member.expired(now):
            raise InvitationExpired()
        active = member.model_copy(
            update={"status": MembershipStatus.ACTIVE, "activated_at": now, "expires_at": None}
        )
        data = ev.AccessGrantedData(
            account_id=account_id,
            sequence=seq,
            subject=actor.subject,
            email=member.email,
            role=member.role.value,
            permissions=active.permissions,
        )
        changes: list[Change] = [
            PutMembership(active, new=False),
            ClaimMembership(actor.subject, account_id),
        ]
        return Planned(active, changes, [(ev.ACCESS_GRANTED, data)])

    return commit(ports, actor, account_id, "invitation.accept", f"member:{actor.subject}", plan)


def accepted_before(ports: Ports, member: Membership) -> bool:
    """An active membership in an active account: what the person's acceptance answered.
    Decided in the plan, so a retry racing the first acceptance finds it at the re-plan.
    In a suspended account a repeated acceptance stays 404 (as before), never the 403
    and audit entry a pending invitee gets."""
    if member.status is not MembershipStatus.ACTIVE:
        return False
    account = ports.repository.get_account(member.account_id)
    return account is not None and account.status is AccountStatus.ACTIVE


def _commit_invitation(
    ports: Ports, actor: Actor, account: Account, user: DirectoryUser, role: RoleName, *, new: bool
) -> Membership:
    action = "invitation.create" if new else "invitation.resend"

    def plan(seq: int, now: datetime) -> Planned[Membership]:
        still_may_invite(ports, actor, action, account.account_id, role)
        active_account(ports, actor, action, account.account_id)  # not suspended meanwhile
        existing = ports.repository.get_membership(account.account_id, user.subject)
        if new and existing is not None:
            raise conflict(
                "already_member", "This person is already a member or invited.", field="email"
            )
        if not new and (existing is None or existing.status is not MembershipStatus.INVITED):
            raise NotFound("No such invitation.")
        membership = Membership(
            account_id=account.account_id,
            subject=user.subject,
            email=user.email,
            role=role,
            status=MembershipStatus.INVITED,
            invited_by=actor.subject,
            invited_at=now,
            expires_at=now + INVITATION_TTL,
        )
        data = ev.MemberInvitedData(
            account_id=account.account_id,
            sequence=seq,
            subject=user.subject,
            email=user.email,
            role=role.value,
            expires_at=membership.expires_at or now,
        )
        changes = [PutMembership(membership, new=new)]
        return Planned(membership, changes, [(ev.MEMBER_INVITED, data)])

    return commit(ports, actor, account.account_id, action, f"invitation:{user.subject}", plan)


def _send(ports: Ports, account: Account, invited: Membership, password: str) -> None:
    text = mails.invitation(account, invited, password, ports.portal_url)
    ports.mailer.send(invited.email, mails.invitation_subject(account), text)
