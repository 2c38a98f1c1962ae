"""What the identity logic needs from the outside world; adapters/ implements these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from common.access import AccessSource
from contracts.envelope import EventEnvelope
from services.identity.logic.audit import StoredEntry
from services.identity.models.domain import (
    Account,
    AuditEntry,
    Cam,
    CamAssignment,
    ChainHead,
    CreationReceipt,
    Membership,
    Preferences,
)


@dataclass(frozen=True)
class PutAccount:
    account: Account
    new: bool


@dataclass(frozen=True)
class PutMembership:
    membership: Membership
    new: bool


@dataclass(frozen=True)
class DeleteMembership:
    account_id: str
    subject: str


@dataclass(frozen=True)
class PutCamAssignment:
    assignment: CamAssignment


@dataclass(frozen=True)
class DeleteCamAssignment:
    account_id: str
    subject: str


@dataclass(frozen=True)
class PutCam:
    cam: Cam


@dataclass(frozen=True)
class PutPreferences:
    preferences: Preferences


@dataclass(frozen=True)
class ClaimMembership:
    """The person becomes an active member of the account, noted on the person's standing
    item (not the account's): refused (`ChangeRejected`) if that item says they are staff.
    A CAM's creation (platform chain) and an acceptance (the account's chain) commit on
    different chains; both writing this one item is what orders them."""

    subject: str
    account_id: str


@dataclass(frozen=True)
class ReleaseMembership:
    """The person is no longer an active member of the account (their standing item
    forgets it, so someone removed from every account may become staff)."""

    subject: str
    account_id: str


@dataclass(frozen=True)
class ClaimStaff:
    """The person becomes staff (a CAM): refused (`ChangeRejected`) if their standing item
    names an account they are an active member of (`ClaimMembership`)."""

    subject: str


@dataclass(frozen=True)
class PutCreationReceipt:
    """Keep the first answer to a creation sent with an Idempotency-Key: refused
    (`ChangeRejected`) while a live receipt of the caller's key exists (a concurrent
    request with the same key committed first)."""

    receipt: CreationReceipt


@dataclass(frozen=True)
class RecordEvent:
    """Mark another service's event as recorded: a second delivery of it is refused."""

    event_id: str


@dataclass(frozen=True)
class PutPublisherName:
    """The publisher's name as provisioning announced it (for the staff audit's targets)."""

    publisher_id: str
    name: str


Change = (
    PutAccount
    | PutMembership
    | DeleteMembership
    | PutCamAssignment
    | DeleteCamAssignment
    | PutCam
    | PutPreferences
    | ClaimMembership
    | ReleaseMembership
    | ClaimStaff
    | RecordEvent
    | PutPublisherName
    | PutCreationReceipt
)


@dataclass(frozen=True)
class Commit:
    """Everything one mutation writes, atomically: state, events (outbox), audit entry.

    `expected_head` is the chain head the plan was made against; the write succeeds only
    if the head is still there, so mutations of one account are serialized.
    """

    chain: str
    expected_head: ChainHead | None
    entry: AuditEntry
    changes: Sequence[Change] = ()
    events: Sequence[EventEnvelope[Any]] = field(default_factory=list)


class ChainMoved(Exception):
    """Another writer appended to the chain first: re-plan and retry."""


class ChangeRejected(Exception):
    """A state condition failed (item exists / vanished) although the chain did not move."""


class IdentityRepository(Protocol):
    def chain_head(self, chain: str) -> ChainHead | None: ...
    def commit(self, commit: Commit) -> None: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def list_accounts(self) -> list[Account]: ...
    def get_membership(self, account_id: str, subject: str) -> Membership | None: ...
    def list_memberships(self, account_id: str) -> list[Membership]: ...
    def memberships_of(self, subject: str) -> list[Membership]: ...
    def get_cam(self, subject: str) -> Cam | None: ...
    def list_cams(self) -> list[Cam]: ...
    def get_cam_assignment(self, account_id: str, subject: str) -> CamAssignment | None: ...
    def cam_assignments_of_account(self, account_id: str) -> list[CamAssignment]: ...
    def cam_assignments_of(self, subject: str) -> list[CamAssignment]: ...
    def get_preferences(self, subject: str) -> Preferences | None: ...
    def audit_page(self, chain: str, limit: int, before_seq: int | None) -> list[AuditEntry]: ...
    def audit_entries(self, chain: str) -> list[StoredEntry]: ...
    def event_recorded(self, event_id: str) -> bool: ...
    def publisher_name(self, publisher_id: str) -> str | None: ...
    def creation_receipt(self, caller: str, idempotency_key: str) -> CreationReceipt | None:
        """The receipt of the caller's key, expired or not (expiry is the reader's call:
        DynamoDB's TTL deletes late)."""
        ...

    def staff_audit_page(self, limit: int, before: str | None) -> list[AuditEntry]:
        """Staff entries (`audit.is_staff_action`) of every chain, newest first, older than
        the `audit.staff_position` `before`: one Query."""
        ...


@dataclass(frozen=True)
class DirectoryUser:
    username: str
    subject: str
    email: str
    must_change_password: bool


class Directory(Protocol):
    """The identity provider (Cognito user pool). Its refusals are domain exceptions:
    `CodeRejected`, `PasswordRejected`, `EmailRejected`, `DirectoryRefused` (`logic.errors`), a
    409 `conflict` when `create_user` finds the user created meanwhile, and `RateLimited` /
    `Unavailable` when the provider throttles or fails."""

    def find_user(self, email: str) -> DirectoryUser | None: ...
    def email_of(self, subject: str) -> str | None:
        """The email of the user with this `sub` (the pool's username), None if gone."""
        ...

    def create_user(self, email: str, temporary_password: str) -> DirectoryUser: ...
    def set_temporary_password(self, username: str, temporary_password: str) -> None: ...
    def mfa_satisfied(self, username: str) -> bool: ...
    def start_totp(self, access_token: str) -> str: ...
    def verify_totp(self, access_token: str, code: str, device_name: str) -> bool: ...
    def forgot_password(self, username: str) -> None: ...
    def confirm_forgot_password(self, username: str, code: str, new_password: str) -> None: ...
    def groups_of(self, username: str) -> frozenset[str]: ...
    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every refresh token of the user (Cognito AdminUserGlobalSignOut)."""


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> None: ...


class Cursors(Protocol):
    """Signs and checks pagination cursors (`common.cursor.CursorSigner`'s interface);
    `decode` raises `common.cursor.InvalidCursor` for an edited or foreign cursor."""

    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str: ...

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]: ...


Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Ports:
    """Everything identity's use cases talk to, handed to each of them."""

    repository: IdentityRepository
    access: AccessSource
    """Identity's own table in the access-projection shape (who may do what, where)."""
    directory: Directory
    mailer: Mailer
    clock: Clock
    cursors: Cursors
    portal_url: str = ""
