"""Pagination cursors signed with identity's declared secret (`topology.CURSOR_SIGNING_KEY`).

The key is read from Secrets Manager when a cursor is first made or checked (cached by
`common.secrets`), so requests that page nothing never read it.
"""

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
