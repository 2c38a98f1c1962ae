"""Identity's use cases: who may do what, and what each change writes and publishes."""

from __future__ import annotations

import random
import secrets
import string
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from common.access import (
    AccessFacts,
    AccessGuard,
    AccessSource,
    AccountStatus,
    Action,
    Area,
    Denial,
    is_scts_admin,
    not_found,
    permission,
)
from common.api import ApiError
from common.errors import Conflict, DomainError, FieldProblem, Forbidden, NotFound
from common.principal import UserPrincipal
from contracts.envelope import EventData, EventEnvelope, new_event_id
from contracts.event_type import EventType
from contracts.events import identity as ev
from services.identity.logic import audit
from services.identity.logic.ports import (
    ChainMoved,
    Change,
    ChangeRejected,
    Commit,
    DeleteCamAssignment,
    DeleteMembership,
    Directory,
    DirectoryUser,
    IdentityRepository,
    Mailer,
    PutAccount,
    PutCam,
    PutCamAssignment,
    PutMembership,
    PutPreferences,
)
from services.identity.logic.roles import ADMIN_ROLE, RoleName
from services.identity.models.domain import (
    Account,
    AuditEntry,
    AuditOutcome,
    Cam,
    CamAssignment,
    Membership,
    MembershipStatus,
    Preferences,
    PreferenceValues,
)

MAX_COMMIT_ATTEMPTS = 60
INVITATION_TTL = timedelta(days=7)
SCTS_ADMIN_PERMISSIONS = frozenset({permission(Area.USERS, Action.READ)})
"""What SCTS administrators may do in any account through the guard: read members, audit."""

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Caller:
    """The verified caller of one request, plus what the audit needs about the request."""

    principal: UserPrincipal
    access_token: str
    request_digest: str
    correlation_id: str

    @property
    def subject(self) -> str:
        return self.principal.sub

    @property
    def username(self) -> str:
        return self.principal.username

    @property
    def scts_admin(self) -> bool:
        return is_scts_admin(self.principal)


@dataclass(frozen=True)
class Plan:
    changes: Sequence[Change]
    events: Sequence[tuple[EventType, EventData]]


@dataclass(frozen=True)
class MeView:
    subject: str
    username: str
    scts_admin: bool
    cam: bool
    memberships: list[tuple[Membership, Account]]
    invitations: list[tuple[Membership, Account]]
    cam_accounts: list[Account]


def conflict(code: str, message: str, field: str | None = None) -> DomainError:
    fields = [FieldProblem(f"body.{field}", message)] if field else []
    return Conflict(message, fields=fields, code=code)


def temporary_password(length: int = 16) -> str:
    """A random password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    symbols = "!@#%^*-_+="
    alphabet = string.ascii_letters + string.digits + symbols
    required = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice(symbols),
    ]
    chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class IdentityService:
    def __init__(
        self,
        repository: IdentityRepository,
        access: AccessSource,
        directory: Directory,
        mailer: Mailer,
        clock: Clock,
        *,
        portal_url: str = "",
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self._repo = repository
        self._access = access
        self._directory = directory
        self._mailer = mailer
        self._now = clock
        self._portal_url = portal_url
        self._new_id = new_id or (lambda: f"acc_{secrets.token_hex(8)}")

    # ---- the write path: plan against the chain head, commit atomically, retry if moved

    def _mutate(
        self,
        caller: Caller,
        chain: str,
        action: str,
        target: str,
        plan: Callable[[int, datetime], Plan],
        outcome: AuditOutcome = AuditOutcome.ALLOWED,
    ) -> AuditEntry:
        for attempt in range(MAX_COMMIT_ATTEMPTS):
            head = self._repo.chain_head(chain)
            now = self._now()
            sequence = (head.seq if head else 0) + 1
            planned = plan(sequence, now)
            entry = audit.new_entry(
                chain=chain,
                head=head,
                actor=caller.subject,
                action=action,
                target=target,
                account_id=None if chain == audit.PLATFORM_CHAIN else chain,
                at=now,
                request_digest=caller.request_digest,
                outcome=outcome,
            )
            events = [
                self._envelope(event_type, data, caller, now, chain)
                for event_type, data in planned.events
            ]
            try:
                self._repo.commit(Commit(chain, head, entry, planned.changes, events))
            except ChainMoved:
                time.sleep(random.uniform(0, 0.005 * min(attempt + 1, 10)))  # noqa: S311
                continue
            except ChangeRejected as exc:
                raise conflict("conflict", "The object changed meanwhile; retry.") from exc
            return entry
        raise ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "busy", "Too many concurrent changes.")

    def _envelope(
        self, event_type: EventType, data: EventData, caller: Caller, now: datetime, chain: str
    ) -> EventEnvelope[Any]:
        return event_type.envelope_model()(
            event_id=new_event_id(),
            detail_type=event_type.detail_type,
            version=event_type.version,
            source=event_type.source,
            occurred_at=now,
            account_id=None if chain == audit.PLATFORM_CHAIN else chain,
            correlation_id=caller.correlation_id,
            causation_id=caller.correlation_id,
            data=data,
        )

    def record_denial(self, caller: Caller, action: str, denial: Denial) -> None:
        """Append a denied request to the account's chain (or the platform chain when the
        account does not exist, so probing unknown ids cannot create chains)."""
        chain = denial.account_id if denial.account_known else audit.PLATFORM_CHAIN
        self._mutate(
            caller,
            chain,
            f"denied:{action}",
            f"account:{denial.account_id}:{denial.permission}",
            lambda _seq, _now: Plan((), ()),
            AuditOutcome.DENIED,
        )

    def _deny(self, caller: Caller, action: str, account_id: str, wanted: str) -> DomainError:
        """404 (no existence leak) or 403 for a caller who is not allowed; audited."""
        facts = self._access.facts(account_id, caller.subject)
        visible = _visible(facts) or (caller.scts_admin and facts.account_known)
        error = self._forbidden(action) if visible else not_found()
        self.record_denial(
            caller,
            action,
            Denial(account_id, caller.subject, wanted, error, facts.account_known),
        )
        return error

    def _guard(self, caller: Caller, action: str) -> AccessGuard:
        return AccessGuard(
            self._access,
            scts_admin_permissions=SCTS_ADMIN_PERMISSIONS,
            on_denied=lambda denial: self.record_denial(caller, action, denial),
        )

    def _require(
        self, caller: Caller, action: str, account_id: str, area: Area, act: Action
    ) -> None:
        try:
            self._guard(caller, action).require(caller.principal, account_id, area, act)
        except NotFound as exc:
            if self._scts_admin_sees(caller, account_id):
                raise self._forbidden(action) from exc
            raise

    def _scts_admin_sees(self, caller: Caller, account_id: str) -> bool:
        """SCTS administrators see every existing account (they list and read them all), so a
        refusal there is a 403: a 404 would claim the account they just read does not exist."""
        return caller.scts_admin and self._access.facts(account_id, caller.subject).account_known

    @staticmethod
    def _forbidden(action: str) -> DomainError:
        return Forbidden(f"You may not {action} in this account.")

    def _require_mfa(self, caller: Caller) -> None:
        """Admins, CAMs and SCTS administrators change nothing before enrolling TOTP."""
        if not self._directory.mfa_satisfied(caller.username):
            raise ApiError(
                HTTPStatus.FORBIDDEN,
                "mfa_required",
                "Enrol an authenticator app (POST /v1/me/mfa/totp) before making changes.",
            )

    def _require_scts_admin(self, caller: Caller, action: str, account_id: str | None) -> None:
        if caller.scts_admin:
            self._require_mfa(caller)
            return
        if account_id is None:
            raise self._deny_global(caller, action, "Only SCTS administrators may do this.")
        raise self._deny(caller, action, account_id, action)

    def _account_or_404(self, account_id: str) -> Account:
        account = self._repo.get_account(account_id)
        if account is None:
            raise not_found()
        return account

    def _membership_or_404(
        self, account_id: str, subject: str, status: MembershipStatus
    ) -> Membership:
        """The member (ACTIVE) or the pending invitation (INVITED), else 404."""
        member = self._repo.get_membership(account_id, subject)
        if member is None or member.status is not status:
            what = "member" if status is MembershipStatus.ACTIVE else "invitation"
            raise ApiError(HTTPStatus.NOT_FOUND, "not_found", f"No such {what}.")
        return member

    # ---- me, preferences

    def me(self, caller: Caller) -> MeView:
        now = self._now()
        memberships: list[tuple[Membership, Account]] = []
        invitations: list[tuple[Membership, Account]] = []
        for membership in self._repo.memberships_of(caller.subject):
            account = self._repo.get_account(membership.account_id)
            if account is None:
                continue
            if membership.status is MembershipStatus.ACTIVE:
                memberships.append((membership, account))
            elif not membership.expired(now):
                invitations.append((membership, account))
        cam_accounts = [
            account
            for assignment in self._repo.cam_assignments_of(caller.subject)
            if (account := self._repo.get_account(assignment.account_id)) is not None
        ]
        return MeView(
            subject=caller.subject,
            username=caller.username,
            scts_admin=caller.scts_admin,
            cam=self._repo.get_cam(caller.subject) is not None,
            memberships=memberships,
            invitations=invitations,
            cam_accounts=cam_accounts,
        )

    def preferences(self, subject: str) -> Preferences:
        return self._repo.get_preferences(subject) or Preferences(
            subject=subject, values=PreferenceValues(), version=0
        )

    def set_preferences(self, caller: Caller, values: PreferenceValues) -> Preferences:
        saved: list[Preferences] = []

        def plan(_seq: int, now: datetime) -> Plan:
            current = self.preferences(caller.subject)
            updated = Preferences(
                subject=caller.subject, values=values, version=current.version + 1
            )
            saved.append(updated)
            data = ev.PreferencesChangedData(
                subject=caller.subject,
                version=updated.version,
                changed_at=now,
                **values.model_dump(),
            )
            return Plan([PutPreferences(updated)], [(ev.PREFERENCES_CHANGED, data)])

        self._mutate(caller, audit.PLATFORM_CHAIN, "preferences.update", caller.subject, plan)
        return saved[-1]

    # ---- MFA and recovery (Cognito does the work; identity records who did what)

    def start_totp(self, caller: Caller) -> tuple[str, str]:
        secret = self._directory.start_totp(caller.access_token)
        uri = (
            f"otpauth://totp/SCTS:{quote(caller.username)}?secret={secret}&issuer=SCTS"
            "&algorithm=SHA1&digits=6&period=30"
        )
        return secret, uri

    def verify_totp(self, caller: Caller, code: str, device_name: str) -> None:
        if not self._directory.verify_totp(caller.access_token, code, device_name):
            raise ApiError(
                HTTPStatus.BAD_REQUEST, "invalid_code", "The code is not valid; try the next one."
            )
        self._mutate(
            caller,
            audit.PLATFORM_CHAIN,
            "mfa.enrol",
            caller.subject,
            lambda _seq, _now: Plan((), ()),
        )

    def forgot_password(self, username: str) -> None:
        self._directory.forgot_password(username.strip().lower())

    def confirm_forgot_password(self, username: str, code: str, new_password: str) -> None:
        self._directory.confirm_forgot_password(username.strip().lower(), code, new_password)

    # ---- accounts

    def create_account(self, caller: Caller, name: str) -> Account:
        is_cam = self._repo.get_cam(caller.subject) is not None
        if not (caller.scts_admin or is_cam):
            raise self._deny_global(caller, "account.create")
        self._require_mfa(caller)
        account_id = self._new_id()
        created: list[Account] = []

        def plan(seq: int, now: datetime) -> Plan:
            account = Account(
                account_id=account_id,
                name=name,
                status=AccountStatus.ACTIVE,
                created_at=now,
                created_by=caller.subject,
            )
            created.append(account)
            changes: list[Change] = [PutAccount(account, new=True)]
            events: list[tuple[EventType, EventData]] = [
                (
                    ev.ACCOUNT_CREATED,
                    ev.AccountCreatedData(
                        account_id=account_id, sequence=seq, name=name, created_by=caller.subject
                    ),
                )
            ]
            if is_cam:
                changes.append(
                    PutCamAssignment(
                        CamAssignment(
                            account_id=account_id,
                            subject=caller.subject,
                            assigned_at=now,
                            assigned_by=caller.subject,
                        )
                    )
                )
                events.append(
                    (
                        ev.CAM_ASSIGNED,
                        ev.CamAssignedData(
                            account_id=account_id, sequence=seq, subject=caller.subject
                        ),
                    )
                )
            return Plan(changes, events)

        self._mutate(caller, account_id, "account.create", f"account:{account_id}", plan)
        return created[-1]

    def _deny_global(
        self, caller: Caller, action: str, message: str = "You may not do this."
    ) -> DomainError:
        """403 for an action that belongs to no account; audited on the platform chain."""
        error = Forbidden(message)
        self.record_denial(caller, action, Denial("-", caller.subject, action, error, False))
        return error

    def list_accounts(self, caller: Caller) -> list[Account]:
        if caller.scts_admin:
            return self._repo.list_accounts()
        ids = {
            m.account_id
            for m in self._repo.memberships_of(caller.subject)
            if m.status is MembershipStatus.ACTIVE
        } | {a.account_id for a in self._repo.cam_assignments_of(caller.subject)}
        accounts = [self._repo.get_account(account_id) for account_id in sorted(ids)]
        return [a for a in accounts if a is not None]

    def get_account(self, caller: Caller, account_id: str) -> Account:
        facts = self._access.facts(account_id, caller.subject)
        if not (caller.scts_admin or _visible(facts)):
            raise self._deny(caller, "account.read", account_id, "account:read")
        return self._account_or_404(account_id)

    def set_account_status(
        self, caller: Caller, account_id: str, status: AccountStatus, reason: str
    ) -> Account:
        action = "account.suspend" if status is AccountStatus.SUSPENDED else "account.reactivate"
        self._require_scts_admin(caller, action, account_id)
        updated: list[Account] = []

        def plan(seq: int, _now: datetime) -> Plan:
            account = self._account_or_404(account_id)
            if account.status is status:
                raise conflict("no_change", f"The account is already {status.value}.")
            changed = account.model_copy(update={"status": status})
            updated.append(changed)
            event: tuple[EventType, EventData] = (
                (
                    ev.ACCOUNT_SUSPENDED,
                    ev.AccountSuspendedData(account_id=account_id, sequence=seq, reason=reason),
                )
                if status is AccountStatus.SUSPENDED
                else (
                    ev.ACCOUNT_REACTIVATED,
                    ev.AccountReactivatedData(account_id=account_id, sequence=seq),
                )
            )
            return Plan([PutAccount(changed, new=False)], [event])

        self._mutate(caller, account_id, action, f"account:{account_id}", plan)
        return updated[-1]

    # ---- memberships

    def list_members(self, caller: Caller, account_id: str) -> list[Membership]:
        self._require(caller, "members.list", account_id, Area.USERS, Action.READ)
        return self._repo.list_memberships(account_id)

    def _require_manage_users(self, caller: Caller, action: str, account_id: str) -> None:
        self._require(caller, action, account_id, Area.USERS, Action.MANAGE)
        self._require_mfa(caller)

    def change_role(
        self, caller: Caller, account_id: str, subject: str, role: RoleName
    ) -> Membership:
        self._require_manage_users(caller, "member.change_role", account_id)
        changed: list[Membership] = []

        def plan(seq: int, _now: datetime) -> Plan:
            member = self._membership_or_404(account_id, subject, MembershipStatus.ACTIVE)
            if member.role is role:
                raise conflict("no_change", f"The member already has role {role.value}.")
            if member.role is ADMIN_ROLE:
                self._keep_an_admin(account_id, subject)
            updated = member.model_copy(update={"role": role})
            changed.append(updated)
            data = ev.AccessChangedData(
                account_id=account_id,
                sequence=seq,
                subject=subject,
                role=role.value,
                permissions=updated.permissions,
            )
            return Plan([PutMembership(updated, new=False)], [(ev.ACCESS_CHANGED, data)])

        self._mutate(caller, account_id, "member.change_role", f"member:{subject}", plan)
        return changed[-1]

    def _keep_an_admin(self, account_id: str, leaving: str) -> None:
        others = [
            m
            for m in self._repo.list_memberships(account_id)
            if m.role is ADMIN_ROLE and m.status is MembershipStatus.ACTIVE and m.subject != leaving
        ]
        if not others:
            raise conflict(
                "last_admin", "An account must keep at least one admin; appoint another first."
            )

    def remove_member(self, caller: Caller, account_id: str, subject: str) -> None:
        self._require_manage_users(caller, "member.remove", account_id)

        def plan(seq: int, _now: datetime) -> Plan:
            member = self._membership_or_404(account_id, subject, MembershipStatus.ACTIVE)
            if member.role is ADMIN_ROLE:
                self._keep_an_admin(account_id, subject)
            data = ev.AccessRevokedData(account_id=account_id, sequence=seq, subject=subject)
            return Plan([DeleteMembership(account_id, subject)], [(ev.ACCESS_REVOKED, data)])

        self._mutate(caller, account_id, "member.remove", f"member:{subject}", plan)

    # ---- invitations

    def _require_may_invite(
        self, caller: Caller, action: str, account_id: str, role: RoleName
    ) -> None:
        """Account admins invite anyone; CAMs (assigned) and SCTS admins only the first admin."""
        facts = self._access.facts(account_id, caller.subject)
        first_admin_inviter = caller.scts_admin or facts.cam_assigned
        if first_admin_inviter and facts.member_permissions is None:
            if role is not ADMIN_ROLE or self._has_active_admin(account_id):
                raise self._deny(caller, action, account_id, "users:manage")
            if facts.account_status is None and self._repo.get_account(account_id) is None:
                raise self._deny(caller, action, account_id, "users:manage")
            self._require_mfa(caller)
            return
        self._require_manage_users(caller, action, account_id)

    def _has_active_admin(self, account_id: str) -> bool:
        """Until an admin has accepted, the first-admin inviter manages the pending invitations
        (resend, revoke, invite another): an expired one must not lock the account out."""
        return any(
            m.role is ADMIN_ROLE and m.status is MembershipStatus.ACTIVE
            for m in self._repo.list_memberships(account_id)
        )

    def list_invitations(self, caller: Caller, account_id: str) -> list[Membership]:
        self._require(caller, "invitations.list", account_id, Area.USERS, Action.READ)
        return [
            m
            for m in self._repo.list_memberships(account_id)
            if m.status is MembershipStatus.INVITED
        ]

    def invite(self, caller: Caller, account_id: str, email: str, role: RoleName) -> Membership:
        email = email.strip().lower()
        self._require_may_invite(caller, "invitation.create", account_id, role)
        account = self._account_or_404(account_id)
        if account.status is not AccountStatus.ACTIVE:
            raise conflict("account_suspended", "The account is suspended.")
        user = self._directory.find_user(email)
        if user is not None and self._repo.get_membership(account_id, user.subject) is not None:
            raise conflict(
                "already_member", "This person is already a member or invited.", field="email"
            )
        password = temporary_password()
        if user is None:
            user = self._directory.create_user(email, password)
        elif user.must_change_password:
            self._directory.set_temporary_password(user.username, password)
        else:
            password = ""
        invited = self._commit_invitation(caller, account, user, role, new=True)
        self._send_invitation(account, invited, password)
        return invited

    def _commit_invitation(
        self, caller: Caller, account: Account, user: DirectoryUser, role: RoleName, *, new: bool
    ) -> Membership:
        saved: list[Membership] = []
        action = "invitation.create" if new else "invitation.resend"

        def plan(seq: int, now: datetime) -> Plan:
            existing = self._repo.get_membership(account.account_id, user.subject)
            if new and existing is not None:
                raise conflict(
                    "already_member", "This person is already a member or invited.", field="email"
                )
            if not new and (existing is None or existing.status is not MembershipStatus.INVITED):
                raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such invitation.")
            membership = Membership(
                account_id=account.account_id,
                subject=user.subject,
                email=user.email,
                role=role,
                status=MembershipStatus.INVITED,
                invited_by=caller.subject,
                invited_at=now,
                expires_at=now + INVITATION_TTL,
            )
            saved.append(membership)
            data = ev.MemberInvitedData(
                account_id=account.account_id,
                sequence=seq,
                subject=user.subject,
                email=user.email,
                role=role.value,
                expires_at=membership.expires_at or now,
            )
            return Plan([PutMembership(membership, new=new)], [(ev.MEMBER_INVITED, data)])

        self._mutate(caller, account.account_id, action, f"invitation:{user.subject}", plan)
        return saved[-1]

    def _send_invitation(self, account: Account, invited: Membership, password: str) -> None:
        expires = invited.expires_at.date().isoformat() if invited.expires_at else ""
        lines = [
            f"You have been invited to the SCTS portal account {account.name!r} "
            f"as {invited.role.value}.",
            "",
            f"Sign in at {self._portal_url or 'the SCTS portal'} with:",
            f"  username: {invited.email}",
        ]
        if password:
            lines.append(f"  temporary password: {password}")
            lines.append("You will be asked to choose a new password.")
        else:
            lines.append("  and your existing password.")
        lines += ["", f"The invitation expires on {expires} (UTC)."]
        self._mailer.send(
            invited.email, f"Invitation to {account.name} on the SCTS portal", "\n".join(lines)
        )

    def resend_invitation(self, caller: Caller, account_id: str, subject: str) -> Membership:
        current = self._repo.get_membership(account_id, subject)
        role = current.role if current else RoleName.VIEWER
        self._require_may_invite(caller, "invitation.resend", account_id, role)
        if current is None or current.status is not MembershipStatus.INVITED:
            raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such invitation.")
        account = self._account_or_404(account_id)
        user = self._directory.find_user(current.email)
        if user is None:
            raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such invitation.")
        password = ""
        if user.must_change_password:
            password = temporary_password()
            self._directory.set_temporary_password(user.username, password)
        invited = self._commit_invitation(caller, account, user, current.role, new=False)
        self._send_invitation(account, invited, password)
        return invited

    def revoke_invitation(self, caller: Caller, account_id: str, subject: str) -> None:
        current = self._repo.get_membership(account_id, subject)
        role = current.role if current else RoleName.VIEWER
        self._require_may_invite(caller, "invitation.revoke", account_id, role)

        def plan(seq: int, _now: datetime) -> Plan:
            self._membership_or_404(account_id, subject, MembershipStatus.INVITED)
            data = ev.InvitationRevokedData(account_id=account_id, sequence=seq, subject=subject)
            return Plan([DeleteMembership(account_id, subject)], [(ev.INVITATION_REVOKED, data)])

        self._mutate(caller, account_id, "invitation.revoke", f"invitation:{subject}", plan)

    def accept_invitation(self, caller: Caller, account_id: str) -> Membership:
        """The invitee's first login: the membership becomes active (AccessGranted)."""
        accepted: list[Membership] = []

        def plan(seq: int, now: datetime) -> Plan:
            member = self._membership_or_404(account_id, caller.subject, MembershipStatus.INVITED)
            if member.expired(now):
                raise ApiError(
                    HTTPStatus.GONE,
                    "invitation_expired",
                    "The invitation has expired; ask for a new one.",
                )
            active = member.model_copy(
                update={"status": MembershipStatus.ACTIVE, "activated_at": now, "expires_at": None}
            )
            accepted.append(active)
            data = ev.AccessGrantedData(
                account_id=account_id,
                sequence=seq,
                subject=caller.subject,
                email=member.email,
                role=member.role.value,
                permissions=active.permissions,
            )
            return Plan([PutMembership(active, new=False)], [(ev.ACCESS_GRANTED, data)])

        self._mutate(caller, account_id, "invitation.accept", f"member:{caller.subject}", plan)
        return accepted[-1]

    # ---- CAMs

    def create_cam(self, caller: Caller, email: str, name: str) -> Cam:
        self._require_scts_admin(caller, "cam.create", None)
        email = email.strip().lower()
        user = self._directory.find_user(email)
        password = ""
        if user is None:
            password = temporary_password()
            user = self._directory.create_user(email, password)
        if self._repo.get_cam(user.subject) is not None:
            raise conflict("already_cam", "This person is already a CAM.", field="email")
        created: list[Cam] = []

        def plan(_seq: int, now: datetime) -> Plan:
            cam = Cam(
                subject=user.subject,
                email=email,
                name=name,
                created_at=now,
                created_by=caller.subject,
            )
            created.append(cam)
            return Plan([PutCam(cam)], ())

        self._mutate(caller, audit.PLATFORM_CHAIN, "cam.create", f"cam:{user.subject}", plan)
        lines = [f"You are now a Corporate Account Manager on the SCTS portal, {name}."]
        if password:
            lines += [f"  username: {email}", f"  temporary password: {password}"]
        self._mailer.send(email, "Your SCTS portal account manager access", "\n".join(lines))
        return created[-1]

    def list_cams(self, caller: Caller) -> list[Cam]:
        self._require_scts_admin_read(caller, "cam.list")
        return self._repo.list_cams()

    def _require_scts_admin_read(self, caller: Caller, action: str) -> None:
        if not caller.scts_admin:
            raise self._deny_global(caller, action)

    def list_account_cams(self, caller: Caller, account_id: str) -> list[CamAssignment]:
        self._require(caller, "cams.list", account_id, Area.USERS, Action.READ)
        return self._repo.cam_assignments_of_account(account_id)

    def assign_cam(self, caller: Caller, account_id: str, subject: str) -> CamAssignment:
        self._require_scts_admin(caller, "cam.assign", account_id)
        saved: list[CamAssignment] = []

        def plan(seq: int, now: datetime) -> Plan:
            self._account_or_404(account_id)
            if self._repo.get_cam(subject) is None:
                raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such CAM.")
            if self._repo.get_cam_assignment(account_id, subject) is not None:
                raise conflict("already_assigned", "The CAM is already assigned to this account.")
            assignment = CamAssignment(
                account_id=account_id, subject=subject, assigned_at=now, assigned_by=caller.subject
            )
            saved.append(assignment)
            data = ev.CamAssignedData(account_id=account_id, sequence=seq, subject=subject)
            return Plan([PutCamAssignment(assignment)], [(ev.CAM_ASSIGNED, data)])

        self._mutate(caller, account_id, "cam.assign", f"cam:{subject}", plan)
        return saved[-1]

    def unassign_cam(self, caller: Caller, account_id: str, subject: str) -> None:
        self._require_scts_admin(caller, "cam.unassign", account_id)

        def plan(seq: int, _now: datetime) -> Plan:
            self._account_or_404(account_id)
            if self._repo.get_cam_assignment(account_id, subject) is None:
                raise ApiError(HTTPStatus.NOT_FOUND, "not_found", "No such assignment.")
            data = ev.CamUnassignedData(account_id=account_id, sequence=seq, subject=subject)
            return Plan([DeleteCamAssignment(account_id, subject)], [(ev.CAM_UNASSIGNED, data)])

        self._mutate(caller, account_id, "cam.unassign", f"cam:{subject}", plan)

    # ---- audit

    def audit_page(
        self, caller: Caller, account_id: str, limit: int, before_seq: int | None
    ) -> list[AuditEntry]:
        self._require(caller, "audit.list", account_id, Area.USERS, Action.READ)
        return self._repo.audit_page(account_id, limit, before_seq)

    def verify_audit(self, caller: Caller, account_id: str) -> audit.Verification:
        self._require(caller, "audit.verify", account_id, Area.USERS, Action.READ)
        head = self._repo.chain_head(account_id)
        return audit.verify_chain(self._repo.audit_entries(account_id), head)


def _visible(facts: AccessFacts) -> bool:
    return facts.member_permissions is not None or facts.cam_assigned
