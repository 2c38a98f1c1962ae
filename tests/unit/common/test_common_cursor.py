"""Shared pagination cursors: signed, and bound to the list, its filters, the account and
the caller (docs/api-conventions.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
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


def _flip_last_character(text: str) -> str:
    """The same bytes, spelled with other unused trailing bits of base64url."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return text[:-1] + alphabet[alphabet.index(text[-1]) ^ 1]


def test_a_cursor_has_one_spelling_and_any_other_is_refused() -> None:
    """Lenient base64 decoding dropped characters outside the alphabet, text after padding
    and unused trailing bits: edited cursors were accepted as the original."""
    signer = CursorSigner(b"k" * 32)
    fingerprint = query_fingerprint("accounts", {})
    cursor = signer.encode({"after": "acc_1"}, account_id="", subject="s", fingerprint=fingerprint)
    payload, mac = cursor.split(".")
    assert len(mac) % 4 == 3  # a 32-byte MAC leaves unused bits in its last character
    for edited in (
        f"{payload}.{mac}!!",
        f"{payload}.{mac}==junk",
        f"{payload}==.{mac}",
        f"{payload}.{_flip_last_character(mac)}",
        f"{payload}.{mac[:10]}\n{mac[10:]}",
        f"{payload.replace('-', '+')}.{mac}" if "-" in payload else f"{payload}.{mac}=",
    ):
        with pytest.raises(InvalidCursor):
            signer.decode(edited, account_id="", subject="s", fingerprint=fingerprint)
    assert signer.decode(cursor, account_id="", subject="s", fingerprint=fingerprint) == {
        "after": "acc_1"
    }


def test_a_signed_payload_that_is_not_an_object_is_refused_not_a_crash() -> None:
    key = b"k" * 32
    payload = b"[1, 2]"
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    strip = base64.urlsafe_b64encode
    cursor = f"{strip(payload).rstrip(b'=').decode()}.{strip(mac).rstrip(b'=').decode()}"
    with pytest.raises(InvalidCursor):
        CursorSigner(key).decode(cursor, account_id="", subject="s", fingerprint="f")
