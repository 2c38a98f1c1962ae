"""The audit chain's pure functions: build, verify, and name the first broken entry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.identity.logic import audit
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName, permissions_for
from services.identity.models.domain import AuditOutcome, ChainHead

pytestmark = pytest.mark.unit


def chain(n: int) -> tuple[list[audit.StoredEntry], ChainHead]:
    head: ChainHead | None = None
    stored = []
    for seq in range(1, n + 1):
        entry = audit.new_entry(
            chain="acc",
            head=head,
            actor=f"user-{seq}",
            action="member.invite",
            target="member:x",
            account_id="acc",
            at=datetime(2026, 1, 1, tzinfo=UTC),
            request_digest="0" * 64,
            outcome=AuditOutcome.ALLOWED,
        )
        stored.append(audit.StoredEntry(seq, audit.stored_fields(entry)))
        head = ChainHead(seq=entry.seq, hash=entry.hash)
    assert head is not None
    return stored, head


def test_intact_chain_verifies() -> None:
    entries, head = chain(5)
    result = audit.verify_chain(entries, head)
    assert (result.ok, result.checked) == (True, 5)


def test_edit_is_named() -> None:
    entries, head = chain(5)
    entries[2].fields["actor"] = "mallory"
    broken = audit.verify_chain(entries, head).broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (3, "entry content does not match its hash (edited)")


def test_rehashed_edit_breaks_the_next_link() -> None:
    entries, head = chain(5)
    entries[2].fields["actor"] = "mallory"
    entries[2].fields["hash"] = audit.entry_hash(entries[2].fields)
    broken = audit.verify_chain(entries, head).broken
    assert broken is not None
    assert broken.seq == 4


def test_deleted_and_reordered_entries_are_named() -> None:
    entries, head = chain(5)
    deleted = audit.verify_chain(entries[:2] + entries[3:], head).broken
    assert deleted is not None
    assert deleted.seq == 3
    swapped = [entries[0], entries[2], entries[1], entries[3], entries[4]]
    moved = [audit.StoredEntry(i, e.fields) for i, e in enumerate(swapped, start=1)]
    reordered = audit.verify_chain(moved, head).broken
    assert reordered is not None
    assert reordered.seq == 2
    truncated = audit.verify_chain(entries[:4], head).broken
    assert truncated is not None
    assert truncated.seq == 5


def test_roles_resolve_manage_with_read() -> None:
    assert permissions_for(RoleName.FINANCE) == ["billing:manage", "billing:read"]
    assert "users:manage" in BUILT_IN_ROLES[RoleName.ADMIN]
    assert not any(p.startswith("users:") for p in BUILT_IN_ROLES[RoleName.VIEWER])
    for perms in BUILT_IN_ROLES.values():
        for p in perms:
            if p.endswith(":manage"):
                assert p.replace(":manage", ":read") in perms
