"""Signed pagination cursors, bound to the account, the principal and the query
(`docs/api-conventions.md`: a cursor cannot be replayed elsewhere).

A cursor is `base64url(json) . base64url(hmac_sha256(key, json))`. The JSON holds the
position in the list plus who asked for which list with which filters; a cursor minted for
another principal, account, list or filter set is refused, as is any edited one. Lists that
belong to no account bind to `account_id=""`. Pure: the key comes from the service's
declared secret (`common.secrets`), read by its wiring.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from typing import Any

_BASE64URL_UNPADDED = re.compile(r"[A-Za-z0-9_-]*")


class InvalidCursor(ValueError):
    """Tampered, foreign or malformed cursor."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Strict: the one unpadded base64url spelling `_b64` writes, nothing else.

    The lenient decoder drops characters outside the alphabet, ignores what follows
    padding and the unused bits of the last character, so an edited cursor would read as
    the original one."""
    if not _BASE64URL_UNPADDED.fullmatch(text):
        raise ValueError("not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not the canonical base64url spelling")
    return data


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
        if not isinstance(body, dict):
            raise InvalidCursor("malformed")
        if body.get("a") != account_id or body.get("s") != subject or body.get("q") != fingerprint:
            raise InvalidCursor("issued for another principal, account or query")
        position = body.get("p")
        if not isinstance(position, dict):
            raise InvalidCursor("malformed")
        return position
