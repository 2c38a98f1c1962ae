"""Shared pagination cursors: signed, and bound to the list, its filters, the account and
the caller (docs/api-conventions.md)."""

from __future__ import annotations

import base64
import json

import pytest

from common.cursor import CursorSigner, InvalidCursor, query_fingerprint

pytestmark = pytest.mark.unit


def test_a_cursor_continues_only_its_own_list_for_its_own_caller() -> None:
    signer = CursorSigner(b"k" * 32)
    members = query_fingerprint("members", {})
    cursor = signer.encode({"after": "s9"}, account_id="a", subject="s", fingerprint=members)
    assert signer.decode(cursor, account_id="a", subject="s", fingerprint=members) == {
        "after": "s9"
    }
    for account, subject, fingerprint in (
        ("b", "s", members),
        ("a", "t", members),
        ("a", "s", query_fingerprint("invitations", {})),
        ("", "s", members),
    ):
        with pytest.raises(InvalidCursor):
            signer.decode(cursor, account_id=account, subject=subject, fingerprint=fingerprint)


def test_an_edited_foreign_or_malformed_cursor_is_refused() -> None:
    signer = CursorSigner(b"k" * 32)
    fingerprint = query_fingerprint("accounts", {})
    cursor = signer.encode({"after": "acc_1"}, account_id="", subject="s", fingerprint=fingerprint)
    payload, mac = cursor.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["p"]["after"] = "acc_0"
    edited = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    for bad in (f"{edited}.{mac}", "garbage", "a.b.c", ""):
        with pytest.raises(InvalidCursor):
            signer.decode(bad, account_id="", subject="s", fingerprint=fingerprint)
    with pytest.raises(InvalidCursor):
        CursorSigner(b"o" * 32).decode(cursor, account_id="", subject="s", fingerprint=fingerprint)
    with pytest.raises(ValueError, match="32 bytes"):
        CursorSigner(b"short")
