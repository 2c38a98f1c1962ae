"""The one authorization check every service runs on every account-scoped request.

Facts come from an `AccessSource`: the consuming service's own projection table (built by
`AccessProjection` from identity's events), or identity's own table. The answer never
leaks existence: unknown account, other account, revoked member -> 404; a member whose
role lacks the permission -> 403; a CAM gets read-only access to assigned accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from common.access.permissions import Action, Area, permission
from common.errors import AccountSuspended, DomainError, Forbidden, NotFound
from common.principal import UserPrincipal, is_scts_admin


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class AccessFacts:
    """What the source knows about one person in one account."""

    account_status: AccountStatus | None = None
    """None when the source has no account record."""
    member_permissions: frozenset[str] | None = None
    """The active member's permissions; None when not an active member."""
    cam_assigned: bool = False

    @property
    def account_known(self) -> bool:
        return (
            self.account_status is not None
            or self.member_permissions is not None
            or self.cam_assigned
        )


class AccessSource(Protocol):
    def facts(self, account_id: str, subject: str) -> AccessFacts: ...


@dataclass(frozen=True)
class AccountRoster:
    """Who may do what in one account right now: its active members with their permissions
    and its assigned CAMs (revoked members and unassigned CAMs are left out)."""

    account_status: AccountStatus | None
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)
    cams: frozenset[str] = frozenset()

    def members_with(self, *wanted: str) -> list[str]:
        """Active members whose permissions include every one of `wanted`, in subject
        order; nobody while the account is suspended or unknown."""
        if self.account_status is not AccountStatus.ACTIVE:
            return []
        return sorted(s for s, granted in self.members.items() if set(wanted) <= set(granted))

    def assigned_cams(self) -> list[str]:
        if self.account_status is not AccountStatus.ACTIVE:
            return []
        return sorted(self.cams)


@dataclass(frozen=True)
class AssignedAccount:
    account_id: str
    name: str | None
    """None until the account's creation has reached the projection."""


@dataclass(frozen=True)
class AssignedAccounts:
    """One page of the accounts a CAM is assigned to, in account id order."""

    accounts: list[AssignedAccount]
    more: bool
    """More assigned accounts follow the last one."""


class CamAssignments(Protocol):
    """Lists the accounts a CAM is assigned to (a projection with the `bycam` index)."""

    def assigned_accounts(
        self, subject: str, limit: int, after: str | None = None
    ) -> AssignedAccounts: ...

    def account_names(self, account_ids: list[str]) -> dict[str, str]:
        """The names of those accounts the projection knows (AccountCreated's `name`)."""
        ...


class AccessRoster(Protocol):
    """Lists an account's people (the projection read whole: one query per account)."""

    def roster(self, account_id: str) -> AccountRoster: ...


CAM_PERMISSIONS = frozenset(permission(area, Action.READ) for area in Area)
"""A CAM reads everything in an assigned account and changes nothing."""


class GrantKind(StrEnum):
    MEMBER = "member"
    CAM = "cam"
    SCTS_ADMIN = "scts_admin"


@dataclass(frozen=True)
class Access:
    """Why a request was let through."""

    account_id: str
    subject: str
    kind: GrantKind
    permissions: frozenset[str] = field(default_factory=frozenset)
    """Everything the caller may do here: what a response's fields are checked against
    (`common.access.fields`)."""

    def covers(self, area: Area, action: Action = Action.READ) -> bool:
        return permission(area, action) in self.permissions


@dataclass(frozen=True)
class Denial:
    """A refused request, handed to the guard's `on_denied` hook (identity audits them)."""

    account_id: str
    subject: str
    permission: str
    error: DomainError
    account_known: bool


def not_found() -> NotFound:
    return NotFound()


class AccessGuard:
    """`require(principal, account_id, area, action)`: allowed, or NotFound / Forbidden.

    `scts_admin_permissions` lists what SCTS administrators may do in any existing
    account through this guard (identity: reading members and the audit log; other
    services: nothing unless they say so).

    `scts_admins_see_accounts` (opt-in) is for a service where SCTS administrators list
    and read every existing account (identity): refusing them anything in an existing
    account is then 403, since a 404 would deny an account they have just seen. Unknown
    accounts stay 404 for them as for everyone.
    """

    def __init__(
        self,
        source: AccessSource,
        *,
        scts_admin_permissions: frozenset[str] = frozenset(),
        scts_admins_see_accounts: bool = False,
        on_denied: Callable[[Denial], None] | None = None,
    ) -> None:
        self._source = source
        self._scts_admin_permissions = scts_admin_permissions
        self._scts_admins_see_accounts = scts_admins_see_accounts
        self._on_denied = on_denied

    def require(
        self, principal: UserPrincipal, account_id: str, area: Area, action: Action
    ) -> Access:
        return self.require_any(principal, account_id, (area,), action)

    def require_any(
        self, principal: UserPrincipal, account_id: str, areas: Iterable[Area], action: Action
    ) -> Access:
        """Allowed if the caller may `action` at least one of `areas` (a view made of
        sections, e.g. a dashboard); the returned `Access` says which fields it may carry."""
        wanted = frozenset(permission(area, action) for area in areas)
        named = " or ".join(sorted(wanted))
        facts = self._source.facts(account_id, principal.sub)
        if (
            facts.account_known
            and wanted & self._scts_admin_permissions
            and is_scts_admin(principal)
        ):
            return Access(
                account_id, principal.sub, GrantKind.SCTS_ADMIN, self._scts_admin_permissions
            )
        if facts.member_permissions is not None:
            if facts.account_status is AccountStatus.SUSPENDED:
                error: DomainError = AccountSuspended()
            elif wanted & facts.member_permissions:
                return Access(account_id, principal.sub, GrantKind.MEMBER, facts.member_permissions)
            else:
                error = Forbidden(f"Your role in this account does not allow {named}.")
        elif facts.cam_assigned:
            if action is Action.READ:
                return Access(account_id, principal.sub, GrantKind.CAM, CAM_PERMISSIONS)
            error = Forbidden("Account managers have read-only access.")
        elif self._sees_account(principal, facts):
            error = Forbidden(f"You may not use {named} in this account.")
        else:
            error = not_found()
        raise self._deny(principal, account_id, named, facts, error)

    def refuse(
        self, principal: UserPrincipal, account_id: str, wanted: str, message: str
    ) -> DomainError:
        """The refusal of a rule outside the permission vocabulary (e.g. only SCTS
        administrators suspend accounts), answered as `require` answers: 403 with `message`
        to a caller who may know the account, 404 to anyone else; reported to `on_denied`.
        The caller raises what it returns."""
        facts = self._source.facts(account_id, principal.sub)
        visible = (
            facts.member_permissions is not None
            or facts.cam_assigned
            or self._sees_account(principal, facts)
        )
        error: DomainError = Forbidden(message) if visible else not_found()
        return self._deny(principal, account_id, wanted, facts, error)

    def _sees_account(self, principal: UserPrincipal, facts: AccessFacts) -> bool:
        return self._scts_admins_see_accounts and facts.account_known and is_scts_admin(principal)

    def _deny(
        self,
        principal: UserPrincipal,
        account_id: str,
        wanted: str,
        facts: AccessFacts,
        error: DomainError,
    ) -> DomainError:
        if self._on_denied is not None:
            self._on_denied(
                Denial(
                    account_id=account_id,
                    subject=principal.sub,
                    permission=wanted,
                    error=error,
                    account_known=facts.account_known,
                )
            )
        return error
