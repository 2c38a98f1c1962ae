"""The audit hash chain: building entries and verifying a stored chain (pure functions)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from common.sortable_time import sortable_instant
from services.identity.models.domain import AuditEntry, AuditOutcome, ChainHead

GENESIS_HASH = "0" * 64
PLATFORM_CHAIN = "platform"
"""Chain for changes that belong to no account (CAM records, preferences, MFA)."""


STAFF_ACTIONS = frozenset(
    {
        "account.create",
        "account.suspend",
        "account.reactivate",
        "cam.create",
        "cam.assign",
        "cam.unassign",
        "publisher.register",
        "publisher.key.issue",
        "publisher.key.revoke",
    }
)
"""Actions on the platform's accounts, CAMs and publishers: listed together for SCTS
administrators (`GET /v1/audit`), with their refusals (`denied:<action>`), whatever chain
keeps them. Publisher actions happen in provisioning: identity records them from its events
(`logic.publisher_audit`) in the platform chain."""


def is_staff_action(action: str) -> bool:
    return action.removeprefix("denied:") in STAFF_ACTIONS


def staff_position(entry: AuditEntry) -> str:
    """Where a staff entry sorts in the platform-wide list: time, then chain and position
    (fixed-width UTC time, so string order is time order; ties never collide)."""
    return f"{sortable_instant(entry.at)}#{entry.chain}#{entry.seq:012d}"


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of every field except `hash`."""
    canonical = json.dumps(
        {k: v for k, v in fields.items() if k != "hash"},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def request_hash(method: str, path: str, body: str | None) -> str:
    return hashlib.sha256(f"{method} {path}\n{body or ''}".encode()).hexdigest()


def new_entry(
    *,
    chain: str,
    head: ChainHead | None,
    actor: str,
    action: str,
    target: str,
    account_id: str | None,
    at: datetime,
    request_digest: str,
    outcome: AuditOutcome,
) -> AuditEntry:
    fields: dict[str, Any] = {
        "chain": chain,
        "seq": (head.seq if head else 0) + 1,
        "entry_id": uuid4().hex,
        "actor": actor,
        "action": action,
        "target": target,
        "account_id": account_id,
        "at": at.isoformat(),
        "request_hash": request_digest,
        "outcome": outcome.value,
        "prev_hash": head.hash if head else GENESIS_HASH,
    }
    return AuditEntry.model_validate({**fields, "hash": entry_hash(fields)})


def stored_fields(entry: AuditEntry) -> dict[str, Any]:
    """The entry's fields exactly as hashed (what the table stores)."""
    return {**entry.model_dump(mode="json"), "at": entry.at.isoformat()}


@dataclass(frozen=True)
class StoredEntry:
    """An entry as read back: its position (from the sort key) and raw fields."""

    position: int
    fields: dict[str, Any]
    staff_listed_at: str | None = None
    """Where the platform-wide staff list shows it (None: not listed). Not hashed: the
    verification checks it is where the entry's own fields put it."""


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    entry_id: str | None
    reason: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head_seq: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _staff_listing(fields: dict[str, Any]) -> str | None:
    """Where an entry with these (verified) fields belongs in the staff list, if it does."""
    if not is_staff_action(str(fields.get("action", ""))):
        return None
    return staff_position(AuditEntry.model_validate(fields))


def verify_chain(
    entries: Sequence[StoredEntry], head: ChainHead | None, *, opened_by: str | None = None
) -> Verification:
    """Recompute the chain in storage order; name the first entry that does not fit.

    Catches an edited entry (hash mismatch), a deleted one (gap in positions, or the head
    pointing past the last entry), a reordered one (position != the hashed seq, or the
    previous-hash link broken), a staff entry taken out of (or a non-staff one put in) the
    staff list, and, with `opened_by` (an account's chain opens with `account.create`), a
    chain deleted whole: an existing account always has its first entry.
    """
    head_seq = head.seq if head else 0
    previous_hash = GENESIS_HASH

    def broken(at: int, entry: StoredEntry | None, reason: str) -> Verification:
        entry_id = entry.fields.get("entry_id") if entry else None
        return Verification(
            checked=at - 1, head_seq=head_seq, broken=BrokenLink(at, entry_id, reason)
        )

    if opened_by is not None and (not entries or entries[0].fields.get("action") != opened_by):
        first = entries[0] if entries and entries[0].position == 1 else None
        return broken(1, first, f"the chain's first entry ({opened_by}) is missing")

    for expected, entry in enumerate(entries, start=1):
        fields = entry.fields
        if entry.position != expected:
            return broken(expected, None, f"entry {expected} is missing (deleted)")
        if fields.get("seq") != expected:
            return broken(expected, entry, "entry is out of order (moved or reordered)")
        if entry_hash(fields) != fields.get("hash"):
            return broken(expected, entry, "entry content does not match its hash (edited)")
        if fields.get("prev_hash") != previous_hash:
            return broken(expected, entry, "previous-hash link is broken")
        if entry.staff_listed_at != _staff_listing(fields):
            return broken(expected, entry, "entry's place in the staff list was changed")
        previous_hash = str(fields["hash"])
    count = len(entries)
    if head_seq != count:
        return broken(count + 1, None, f"chain head is at {head_seq}: later entries deleted")
    if head is not None and head.hash != previous_hash:
        return broken(count, entries[-1] if entries else None, "chain head hash mismatch")
    return Verification(checked=count, head_seq=head_seq, broken=None)
