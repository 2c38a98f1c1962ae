"""API keys: format, prefix lookup, salted hash, expiry and revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.observability import redact
from services.provisioning.logic.keys import issue_key, key_hash, key_matches, prefix_of

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_key_is_high_entropy_with_a_public_prefix() -> None:
    issued = issue_key("pub-1", NOW)
    assert prefix_of(issued.plaintext) == issued.record.prefix
    assert len(issued.plaintext) == len("scts_pub_") + 10 + 1 + 43
    assert issued.plaintext not in issued.record.model_dump_json()
    assert issue_key("pub-1", NOW).plaintext != issued.plaintext


def test_only_a_salted_hash_is_kept() -> None:
    first, second = issue_key("pub-1", NOW), issue_key("pub-1", NOW)
    assert first.record.salt != second.record.salt
    assert first.record.key_hash == key_hash(first.record.salt, first.plaintext)
    assert key_hash(second.record.salt, first.plaintext) != first.record.key_hash


@pytest.mark.parametrize(
    "text", ["", "scts_pub_short_x", "Bearer abc", "scts_usr_0123456789_" + "a" * 43]
)
def test_malformed_keys_have_no_prefix(text: str) -> None:
    assert prefix_of(text) is None


def test_key_matches_only_itself_while_usable() -> None:
    issued = issue_key("pub-1", NOW)
    assert key_matches(issued.plaintext, issued.record, NOW)
    assert not key_matches(issued.plaintext[:-1] + "x", issued.record, NOW)
    expiring = issued.record.model_copy(update={"expires_at": NOW + timedelta(hours=24)})
    assert key_matches(issued.plaintext, expiring, NOW + timedelta(hours=23))
    assert not key_matches(issued.plaintext, expiring, NOW + timedelta(hours=24))
    revoked = issued.record.model_copy(update={"revoked_at": NOW})
    assert not key_matches(issued.plaintext, revoked, NOW)


def test_keys_are_redacted_from_logs() -> None:
    issued = issue_key("pub-1", NOW)
    assert issued.plaintext not in str(redact({"message": f"got {issued.plaintext}"}))
