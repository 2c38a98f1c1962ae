"""Who may do what in identity, decided by the shared guard over identity's own table.

Every refusal is audited (`commits.record_denial`). Inside an account the caller may know
of (member, assigned CAM, or SCTS administrator: they list every account) a refusal is
403; anywhere else 404, so existence never leaks. Platform actions (CAMs, creating
accounts) refuse with 403 on the platform chain.
"""

from __future__ import annotations

from common.access import (
    Access,
    AccessFacts,
    AccessGuard,
    AccountStatus,
    Action,
    Area,
    Denial,
    permission,
)
from common.errors import AccountSuspended, DomainError, Forbidden
from services.identity.logic.actor import Actor
from services.identity.logic.commits import record_denial
from services.identity.logic.errors import MfaRequired
from services.identity.logic.ports import Ports

SCTS_ADMIN_PERMISSIONS = frozenset({permission(Area.USERS, Action.READ)})
"""What SCTS administrators may do in any account through the guard: read members, audit."""
MANAGE_USERS = permission(Area.USERS, Action.MANAGE)
MFA = "mfa"
"""What a refusal for want of TOTP names as wanted (audit target `account:<id>:mfa`)."""


def guard(ports: Ports, actor: Actor, action: str) -> AccessGuard:
    """The shared guard, auditing its refusals of `action` by `actor`."""
    return AccessGuard(
        ports.access,
        scts_admin_permissions=SCTS_ADMIN_PERMISSIONS,
        scts_admins_see_accounts=True,
        on_denied=lambda denial: record_denial(ports, actor, action, denial),
    )


def require(
    ports: Ports, actor: Actor, action: str, account_id: str, area: Area, act: Action
) -> Access:
    return guard(ports, actor, action).require(actor.principal, account_id, area, act)


def refuse(ports: Ports, actor: Actor, action: str, account_id: str, wanted: str) -> DomainError:
    """The audited refusal of `action` in an account (403 or 404, as the guard answers)."""
    return guard(ports, actor, action).refuse(
        actor.principal, account_id, wanted, f"You may not {action} in this account."
    )


def member_of_suspended(actor: Actor, facts: AccessFacts) -> bool:
    """A member (not staff) of a suspended account: refused everything there, as the guard
    refuses them (CAMs and SCTS administrators keep reading it)."""
    staff = actor.scts_admin or facts.cam_assigned
    return not staff and facts.account_status is AccountStatus.SUSPENDED


def refuse_suspended(ports: Ports, actor: Actor, action: str, account_id: str) -> DomainError:
    """The audited `account_suspended` refusal of `action` (403, in the account's chain)."""
    error = AccountSuspended()
    record_denial(ports, actor, action, Denial(account_id, actor.subject, action, error, True))
    return error


def refuse_platform(
    ports: Ports, actor: Actor, action: str, message: str = "You may not do this."
) -> DomainError:
    """403 for an action that belongs to no account; audited on the platform chain."""
    error = Forbidden(message)
    record_denial(ports, actor, action, Denial("-", actor.subject, action, error, False))
    return error


def require_mfa(ports: Ports, actor: Actor, action: str, account_id: str | None = None) -> None:
    """Admins, CAMs and SCTS administrators change nothing before enrolling TOTP. The
    refusal is audited as every other: in the account's chain when the account exists (the
    caller has passed its checks, so may know it), else in the platform chain."""
    if ports.directory.mfa_satisfied(actor.username):
        return
    error = MfaRequired()
    known = account_id is not None and ports.access.facts(account_id, actor.subject).account_known
    denial = Denial(account_id or "-", actor.subject, MFA, error, known)
    record_denial(ports, actor, action, denial)
    raise error


def require_manage_users(ports: Ports, actor: Actor, action: str, account_id: str) -> None:
    still_manages_users(ports, actor, action, account_id)
    require_mfa(ports, actor, action, account_id)


def still_manages_users(ports: Ports, actor: Actor, action: str, account_id: str) -> None:
    """users:manage, decided again inside a change's plan: at the chain head the change
    commits against, so a caller removed or demoted meanwhile changes nothing."""
    require(ports, actor, action, account_id, Area.USERS, Action.MANAGE)


def require_users_read(ports: Ports, actor: Actor, action: str, account_id: str) -> None:
    require(ports, actor, action, account_id, Area.USERS, Action.READ)


def require_scts_admin(ports: Ports, actor: Actor, action: str, account_id: str | None) -> None:
    """SCTS administrators (TOTP enrolled) only; inside an account, others get the
    account's answer (403 if they know it, else 404)."""
    if actor.scts_admin:
        require_mfa(ports, actor, action, account_id)
        return
    if account_id is None:
        raise refuse_platform(ports, actor, action, "Only SCTS administrators may do this.")
    raise refuse(ports, actor, action, account_id, action)


def require_scts_admin_read(ports: Ports, actor: Actor, action: str) -> None:
    if not actor.scts_admin:
        raise refuse_platform(ports, actor, action)
