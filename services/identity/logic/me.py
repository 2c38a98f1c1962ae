"""The caller's own things: who they are and where, their preferences, their TOTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from contracts.events import identity as ev
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.commits import Planned, commit
from services.identity.logic.errors import CodeRejected
from services.identity.logic.ports import Ports, PutPreferences
from services.identity.models.domain import (
    Account,
    Membership,
    MembershipStatus,
    Preferences,
    PreferenceValues,
)


@dataclass(frozen=True)
class MeView:
    subject: str
    username: str
    scts_admin: bool
    cam: bool
    memberships: list[tuple[Membership, Account]]
    invitations: list[tuple[Membership, Account]]
    """Pending and not expired."""
    cam_accounts: list[Account]


@dataclass(frozen=True)
class TotpStart:
    secret: str
    otpauth_uri: str


def me(ports: Ports, actor: Actor) -> MeView:
    repo = ports.repository
    now = ports.clock()
    memberships: list[tuple[Membership, Account]] = []
    invitations: list[tuple[Membership, Account]] = []
    for membership in repo.memberships_of(actor.subject):
        account = repo.get_account(membership.account_id)
        if account is None:
            continue
        if membership.status is MembershipStatus.ACTIVE:
            memberships.append((membership, account))
        elif not membership.expired(now):
            invitations.append((membership, account))
    cam_accounts = [
        account
        for assignment in repo.cam_assignments_of(actor.subject)
        if (account := repo.get_account(assignment.account_id)) is not None
    ]
    return MeView(
        subject=actor.subject,
        username=actor.username,
        scts_admin=actor.scts_admin,
        cam=repo.get_cam(actor.subject) is not None,
        memberships=memberships,
        invitations=invitations,
        cam_accounts=cam_accounts,
    )


def preferences(ports: Ports, actor: Actor) -> Preferences:
    """The saved preferences, or the defaults (version 0) until the first save."""
    return _current(ports, actor.subject)


def _current(ports: Ports, subject: str) -> Preferences:
    return ports.repository.get_preferences(subject) or Preferences(
        subject=subject, values=PreferenceValues(), version=0
    )


def set_preferences(ports: Ports, actor: Actor, values: PreferenceValues) -> Preferences:
    def plan(_seq: int, now: datetime) -> Planned[Preferences]:
        current = _current(ports, actor.subject)
        updated = Preferences(subject=actor.subject, values=values, version=current.version + 1)
        data = ev.PreferencesChangedData(
            subject=actor.subject,
            version=updated.version,
            changed_at=now,
            **values.model_dump(),
        )
        return Planned(updated, [PutPreferences(updated)], [(ev.PREFERENCES_CHANGED, data)])

    return commit(ports, actor, audit.PLATFORM_CHAIN, "preferences.update", actor.subject, plan)


def start_totp(ports: Ports, actor: Actor) -> TotpStart:
    """Cognito's secret for the caller's authenticator app, and the URI a QR code shows."""
    secret = ports.directory.start_totp(actor.access_token)
    uri = (
        f"otpauth://totp/SCTS:{quote(actor.username)}?secret={secret}&issuer=SCTS"
        "&algorithm=SHA1&digits=6&period=30"
    )
    return TotpStart(secret, uri)


def verify_totp(ports: Ports, actor: Actor, code: str, device_name: str) -> None:
    if not ports.directory.verify_totp(actor.access_token, code, device_name):
        raise CodeRejected("The code is not valid; try the next one.")

    def plan(_seq: int, _now: datetime) -> Planned[None]:
        enabled = ev.MfaEnabledData(subject=actor.subject)
        return Planned(None, events=[(ev.MFA_ENABLED, enabled)])

    commit(ports, actor, audit.PLATFORM_CHAIN, "mfa.enrol", actor.subject, plan)
