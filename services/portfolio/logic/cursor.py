"""Signed pagination cursors, bound to the account, the principal and the query.

A cursor is `base64url(json) . base64url(hmac_sha256(key, json))`. The JSON holds the
DynamoDB position plus who asked for which list with which filters; a cursor minted for
another principal, account, list or filter set is refused, as is any edited one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from common.errors import FieldProblem, InvalidInput


class InvalidCursor(InvalidInput):
    """Tampered, foreign or malformed cursor: 422 on `query.cursor`, as every service
    answers it (`docs/adding-a-service.md`); `reason` stays inside."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            [FieldProblem("query.cursor", "was not issued for this list, account and user")],
            "The cursor is not valid for this list, account or user.",
        )
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def query_fingerprint(list_name: str, filters: dict[str, Any]) -> str:
    """The list and its filters (not the page size), so a cursor only continues its own query."""
    canonical = json.dumps({"list": list_name, **filters}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


class CursorSigner:
    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the cursor signing key needs at least 32 bytes")
        self._key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str:
        payload = json.dumps(
            {"a": account_id, "s": subject, "q": fingerprint, "p": position},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload))}"

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]:
        try:
            payload_text, mac_text = cursor.split(".", 1)
            payload, mac = _unb64(payload_text), _unb64(mac_text)
        except (ValueError, binascii.Error) as exc:
            raise InvalidCursor("malformed") from exc
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidCursor("bad signature")
        try:
            body = json.loads(payload)
        except ValueError as exc:
            raise InvalidCursor("malformed") from exc
        if body.get("a") != account_id or body.get("s") != subject or body.get("q") != fingerprint:
            raise InvalidCursor("issued for another principal, account or query")
        position = body.get("p")
        if not isinstance(position, dict):
            raise InvalidCursor("malformed")
        return position
