"""In-memory stand-ins for identity's ports (tests only): a repository that applies a
Commit with the DynamoDB adapter's conditions, the access facts it implies, a directory
and a mailbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from common.access import AccessFacts
from common.cursor import CursorSigner
from common.principal import SCTS_ADMINS_GROUP, UserPrincipal
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.audit import StoredEntry
from services.identity.logic.ports import (
    ChainMoved,
    Change,
    ChangeRejected,
    ClaimMembership,
    ClaimStaff,
    Commit,
    DeleteCamAssignment,
    DeleteMembership,
    DirectoryUser,
    Ports,
    PutAccount,
    PutCam,
    PutCamAssignment,
    PutCreationReceipt,
    PutMembership,
    PutPreferences,
    PutPublisherName,
    RecordEvent,
    ReleaseMembership,
)
from services.identity.models.domain import (
    Account,
    AuditEntry,
    Cam,
    CamAssignment,
    ChainHead,
    CreationReceipt,
    Membership,
    MembershipStatus,
    Preferences,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@dataclass
class MemoryRepository:
    accounts: dict[str, Account] = field(default_factory=dict)
    memberships: dict[tuple[str, str], Membership] = field(default_factory=dict)
    cams: dict[str, Cam] = field(default_factory=dict)
    assignments: dict[tuple[str, str], CamAssignment] = field(default_factory=dict)
    preferences: dict[str, Preferences] = field(default_factory=dict)
    heads: dict[str, ChainHead] = field(default_factory=dict)
    entries: dict[str, list[AuditEntry]] = field(default_factory=dict)
    outbox: list[Any] = field(default_factory=list)
    recorded_events: set[str] = field(default_factory=set)
    publishers: dict[str, str] = field(default_factory=dict)
    receipts: dict[tuple[str, str], CreationReceipt] = field(default_factory=dict)
    staff: set[str] = field(default_factory=set)
    """People whose standing says staff (`ClaimStaff`)."""
    member_of: dict[str, set[str]] = field(default_factory=dict)
    """The accounts each person's standing says they are an active member of."""
    commits_tried: int = 0
    moves_left: int = 0
    """Answer this many commits with ChainMoved first (another writer got there)."""

    def commit(self, commit: Commit) -> None:
        self.commits_tried += 1
        if self.moves_left:
            self.moves_left -= 1
            raise ChainMoved
        if self.heads.get(commit.chain) != commit.expected_head:
            raise ChainMoved
        for change in commit.changes:
            self._check(change)
        for change in commit.changes:
            self._apply(change)
        self.heads[commit.chain] = ChainHead(seq=commit.entry.seq, hash=commit.entry.hash)
        self.entries.setdefault(commit.chain, []).append(commit.entry)
        self.outbox.extend(commit.events)

    def _check(self, change: Change) -> None:
        match change:
            case PutAccount(account=a, new=new) if (a.account_id in self.accounts) == new:
                raise ChangeRejected("account")
            case PutMembership(membership=m, new=new) if (
                (m.account_id, m.subject) in self.memberships
            ) == new:
                raise ChangeRejected("membership")
            case DeleteMembership(account_id=a, subject=s) if (a, s) not in self.memberships:
                raise ChangeRejected("membership")
            case DeleteCamAssignment(account_id=a, subject=s) if (a, s) not in self.assignments:
                raise ChangeRejected("assignment")
            case RecordEvent(event_id=e) if e in self.recorded_events:
                raise ChangeRejected("event")
            case ClaimMembership(subject=s) if s in self.staff:
                raise ChangeRejected("standing")
            case ClaimStaff(subject=s) if self.member_of.get(s):
                raise ChangeRejected("standing")
            case PutCreationReceipt(receipt=r):
                kept = self.receipts.get((r.caller, r.idempotency_key))
                if kept is not None and kept.live(r.answered_at):
                    raise ChangeRejected("receipt")

    def _apply(self, change: Change) -> None:
        match change:
            case PutAccount(account=a):
                self.accounts[a.account_id] = a
            case PutMembership(membership=m):
                self.memberships[(m.account_id, m.subject)] = m
            case DeleteMembership(account_id=a, subject=s):
                del self.memberships[(a, s)]
            case PutCamAssignment(assignment=x):
                self.assignments[(x.account_id, x.subject)] = x
            case DeleteCamAssignment(account_id=a, subject=s):
                del self.assignments[(a, s)]
            case PutCam(cam=c):
                self.cams[c.subject] = c
            case PutPreferences(preferences=p):
                self.preferences[p.subject] = p
            case RecordEvent(event_id=e):
                self.recorded_events.add(e)
            case PutPublisherName(publisher_id=p, name=n):
                self.publishers[p] = n
            case ClaimMembership(subject=s, account_id=a):
                self.member_of.setdefault(s, set()).add(a)
            case ReleaseMembership(subject=s, account_id=a):
                self.member_of.get(s, set()).discard(a)
            case ClaimStaff(subject=s):
                self.staff.add(s)
            case PutCreationReceipt(receipt=r):
                self.receipts[(r.caller, r.idempotency_key)] = r

    def creation_receipt(self, caller: str, idempotency_key: str) -> CreationReceipt | None:
        return self.receipts.get((caller, idempotency_key))

    def chain_head(self, chain: str) -> ChainHead | None:
        return self.heads.get(chain)

    def event_recorded(self, event_id: str) -> bool:
        return event_id in self.recorded_events

    def publisher_name(self, publisher_id: str) -> str | None:
        return self.publishers.get(publisher_id)

    def get_account(self, account_id: str) -> Account | None:
        return self.accounts.get(account_id)

    def list_accounts(self) -> list[Account]:
        return [self.accounts[k] for k in sorted(self.accounts)]

    def get_membership(self, account_id: str, subject: str) -> Membership | None:
        return self.memberships.get((account_id, subject))

    def list_memberships(self, account_id: str) -> list[Membership]:
        return [m for (a, _), m in sorted(self.memberships.items()) if a == account_id]

    def memberships_of(self, subject: str) -> list[Membership]:
        return [m for (_, s), m in sorted(self.memberships.items()) if s == subject]

    def get_cam(self, subject: str) -> Cam | None:
        return self.cams.get(subject)

    def list_cams(self) -> list[Cam]:
        return [self.cams[k] for k in sorted(self.cams)]

    def get_cam_assignment(self, account_id: str, subject: str) -> CamAssignment | None:
        return self.assignments.get((account_id, subject))

    def cam_assignments_of_account(self, account_id: str) -> list[CamAssignment]:
        return [x for (a, _), x in sorted(self.assignments.items()) if a == account_id]

    def cam_assignments_of(self, subject: str) -> list[CamAssignment]:
        return [x for (_, s), x in sorted(self.assignments.items()) if s == subject]

    def get_preferences(self, subject: str) -> Preferences | None:
        return self.preferences.get(subject)

    def audit_page(self, chain: str, limit: int, before_seq: int | None) -> list[AuditEntry]:
        newest_first = sorted(self.entries.get(chain, []), key=lambda e: -e.seq)
        return [e for e in newest_first if before_seq is None or e.seq < before_seq][:limit]

    def staff_audit_page(self, limit: int, before: str | None) -> list[AuditEntry]:
        staff = [
            e for chain in self.entries.values() for e in chain if audit.is_staff_action(e.action)
        ]
        newest_first = sorted(staff, key=audit.staff_position, reverse=True)
        return [e for e in newest_first if before is None or audit.staff_position(e) < before][
            :limit
        ]

    def audit_entries(self, chain: str) -> list[StoredEntry]:
        return [StoredEntry(e.seq, audit.stored_fields(e)) for e in self.entries.get(chain, [])]


@dataclass
class MemoryAccess:
    """The access facts identity's own table gives, read from the memory repository."""

    repository: MemoryRepository

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        account = self.repository.accounts.get(account_id)
        member = self.repository.memberships.get((account_id, subject))
        active = member is not None and member.status is MembershipStatus.ACTIVE
        return AccessFacts(
            account_status=account.status if account else None,
            member_permissions=frozenset(member.permissions) if member and active else None,
            cam_assigned=(account_id, subject) in self.repository.assignments,
        )


@dataclass
class MemoryDirectory:
    users: dict[str, DirectoryUser] = field(default_factory=dict)
    mfa: set[str] = field(default_factory=set)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    signed_out: list[str] = field(default_factory=list)

    def groups_of(self, username: str) -> frozenset[str]:
        return self.groups.get(username, frozenset())

    def sign_out_everywhere(self, username: str) -> None:
        self.signed_out.append(username)

    def find_user(self, email: str) -> DirectoryUser | None:
        return self.users.get(email)

    def email_of(self, subject: str) -> str | None:
        return next((u.email for u in self.users.values() if u.subject == subject), None)

    def create_user(self, email: str, temporary_password: str) -> DirectoryUser:
        user = DirectoryUser(email, f"sub-{email}", email, must_change_password=True)
        self.users[email] = user
        return user

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        return None

    def mfa_satisfied(self, username: str) -> bool:
        return username in self.mfa

    def start_totp(self, access_token: str) -> str:
        return "SECRET"

    def verify_totp(self, access_token: str, code: str, device_name: str) -> bool:
        return code == "123456"

    def forgot_password(self, username: str) -> None:
        return None

    def confirm_forgot_password(self, username: str, code: str, new_password: str) -> None:
        return None


@dataclass
class Mailbox:
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, text: str) -> None:
        self.sent.append((to, subject, text))


def memory_ports(repository: MemoryRepository | None = None) -> Ports:
    repository = repository or MemoryRepository()
    return Ports(
        repository=repository,
        access=MemoryAccess(repository),
        directory=MemoryDirectory(),
        mailer=Mailbox(),
        clock=lambda: NOW,
        cursors=CursorSigner(b"unit-test-cursor-key-of-32-bytes!"),
    )


def actor(sub: str, *, scts_admin: bool = False) -> Actor:
    groups = [SCTS_ADMINS_GROUP] if scts_admin else []
    principal = UserPrincipal(sub=sub, username=sub, claims={"cognito:groups": groups})
    return Actor(principal, access_token="", request_digest="0" * 64, correlation_id=f"req-{sub}")
