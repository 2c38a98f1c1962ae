"""List cursors signed with the service's declared HMAC key (read on first use)."""

from __future__ import annotations

from typing import Any

from common.cursor import CursorSigner
from common.secrets import read_secret


class SecretKeyCursors:
    def __init__(self, secret_id: str) -> None:
        self._secret_id = secret_id

    def _signer(self) -> CursorSigner:
        return CursorSigner(read_secret(self._secret_id).encode())

    def encode(
        self, position: dict[str, Any], *, account_id: str, subject: str, fingerprint: str
    ) -> str:
        return self._signer().encode(
            position, account_id=account_id, subject=subject, fingerprint=fingerprint
        )

    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]:
        return self._signer().decode(
            cursor, account_id=account_id, subject=subject, fingerprint=fingerprint
        )
