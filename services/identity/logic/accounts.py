"""Counterparty accounts: created by SCTS administrators and CAMs, suspended and
reactivated by SCTS administrators, seen by their members, assigned CAMs and SCTS
administrators."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from common.access import AccountStatus
from common.errors import NotFound
from contracts.envelope import EventData
from contracts.event_type import EventType
from contracts.events import identity as ev
from services.identity.logic.actor import Actor
from services.identity.logic.authorization import (
    member_of_suspended,
    refuse,
    refuse_platform,
    refuse_suspended,
    require_mfa,
    require_scts_admin,
)
from services.identity.logic.commits import Planned, commit
from services.identity.logic.errors import IdempotencyKeyReused, conflict
from services.identity.logic.members import sign_out_everywhere
from services.identity.logic.paging import ListPage, ListScope, PageRequest, page_of
from services.identity.logic.ports import (
    Change,
    Ports,
    PutAccount,
    PutCamAssignment,
    PutCreationReceipt,
)
from services.identity.models.domain import (
    Account,
    CamAssignment,
    CreationReceipt,
    MembershipStatus,
)

IDEMPOTENCY_WINDOW = timedelta(hours=24)


def new_account_id() -> str:
    return f"acc_{secrets.token_hex(8)}"


def account_or_404(ports: Ports, account_id: str) -> Account:
    account = ports.repository.get_account(account_id)
    if account is None:
        raise NotFound()
    return account


def list_accounts(ports: Ports, actor: Actor, page: PageRequest) -> ListPage[Account]:
    """Every account for SCTS administrators; otherwise those the caller is an active
    member of or assigned to as CAM (only the page's accounts are read)."""
    scope = ListScope.of("accounts", actor)
    if actor.scts_admin:
        return page_of(ports, scope, ports.repository.list_accounts(), _account_key, page)
    repo = ports.repository
    ids = {
        m.account_id
        for m in repo.memberships_of(actor.subject)
        if m.status is MembershipStatus.ACTIVE
    } | {a.account_id for a in repo.cam_assignments_of(actor.subject)}
    ids_page = page_of(ports, scope, sorted(ids), str, page)
    found = [repo.get_account(account_id) for account_id in ids_page.items]
    return ListPage([a for a in found if a is not None], ids_page.next_cursor)


def _account_key(account: Account) -> str:
    return account.account_id


def get_account(ports: Ports, actor: Actor, account_id: str) -> Account:
    facts = ports.access.facts(account_id, actor.subject)
    visible = facts.member_permissions is not None or facts.cam_assigned
    if not (actor.scts_admin or visible):
        raise refuse(ports, actor, "account.read", account_id, "account:read")
    if member_of_suspended(actor, facts):
        raise refuse_suspended(ports, actor, "account.read", account_id)
    return account_or_404(ports, account_id)


def create_account(
    ports: Ports, actor: Actor, name: str, idempotency_key: str | None = None
) -> Account:
    """A CAM who creates an account is assigned to it in the same change.

    With an `idempotency_key`, the caller's retry within `IDEMPOTENCY_WINDOW` answers the
    account the first request created (a different body with the key: 422). The receipt
    is written in the creation's transaction, so no crash between the two can let a retry
    create a second account; of two concurrent requests with one key, the second is 409.
    The caller's rights are decided again on each retry."""
    is_cam = ports.repository.get_cam(actor.subject) is not None
    if not (actor.scts_admin or is_cam):
        raise refuse_platform(ports, actor, "account.create")
    require_mfa(ports, actor, "account.create")
    fingerprint = hashlib.sha256(name.encode()).hexdigest()
    if idempotency_key is not None:
        answered = _answered_before(ports, actor, idempotency_key, fingerprint)
        if answered is not None:
            return answered
    account_id = new_account_id()

    def plan(seq: int, now: datetime) -> Planned[Account]:
        account = Account(
            account_id=account_id,
            name=name,
            status=AccountStatus.ACTIVE,
            created_at=now,
            created_by=actor.subject,
        )
        changes: list[Change] = [PutAccount(account, new=True)]
        events: list[tuple[EventType, EventData]] = [
            (
                ev.ACCOUNT_CREATED,
                ev.AccountCreatedData(
                    account_id=account_id, sequence=seq, name=name, created_by=actor.subject
                ),
            )
        ]
        if is_cam:
            assignment = CamAssignment(
                account_id=account_id,
                subject=actor.subject,
                assigned_at=now,
                assigned_by=actor.subject,
            )
            changes.append(PutCamAssignment(assignment))
            data = ev.CamAssignedData(account_id=account_id, sequence=seq, subject=actor.subject)
            events.append((ev.CAM_ASSIGNED, data))
        if idempotency_key is not None:
            receipt = CreationReceipt(
                caller=actor.subject,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                account=account,
                answered_at=now,
                expires_at=now + IDEMPOTENCY_WINDOW,
            )
            changes.append(PutCreationReceipt(receipt))
        return Planned(account, changes, events)

    return commit(ports, actor, account_id, "account.create", f"account:{account_id}", plan)


def _answered_before(
    ports: Ports, actor: Actor, idempotency_key: str, fingerprint: str
) -> Account | None:
    """The account this caller's key created within the window, if any."""
    receipt = ports.repository.creation_receipt(actor.subject, idempotency_key)
    if receipt is None or not receipt.live(ports.clock()):
        return None
    if receipt.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return receipt.account


def set_account_status(
    ports: Ports, actor: Actor, account_id: str, status: AccountStatus, reason: str
) -> Account:
    action = "account.suspend" if status is AccountStatus.SUSPENDED else "account.reactivate"
    require_scts_admin(ports, actor, action, account_id)

    def plan(seq: int, _now: datetime) -> Planned[Account]:
        account = account_or_404(ports, account_id)
        if account.status is status:
            raise conflict("no_change", f"The account is already {status.value}.")
        changed = account.model_copy(update={"status": status})
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
        return Planned(changed, [PutAccount(changed, new=False)], [event])

    return commit(ports, actor, account_id, action, f"account:{account_id}", plan)


def suspend_account(ports: Ports, actor: Actor, account_id: str, reason: str) -> Account:
    """Members are refused from now on (every service's guard answers 403 `suspended`),
    and signed out of Cognito. CAMs and SCTS administrators keep read access (staff look
    into a suspended account), and ingest keeps filing STX's facts into it, so nothing is
    missing on reactivation (THREAT_MODEL.md, "suspended accounts")."""
    suspended = set_account_status(ports, actor, account_id, AccountStatus.SUSPENDED, reason)
    active = [
        m
        for m in ports.repository.list_memberships(account_id)
        if m.status is MembershipStatus.ACTIVE
    ]
    sign_out_everywhere(ports, active)
    return suspended


def reactivate_account(ports: Ports, actor: Actor, account_id: str) -> Account:
    return set_account_status(ports, actor, account_id, AccountStatus.ACTIVE, "")
