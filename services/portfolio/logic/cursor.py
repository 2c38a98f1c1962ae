"""Signed pagination cursors (`common.cursor`), bound to the account, the principal and the
query; a cursor minted for another principal, account, list or filter set is refused, as
is any edited one, with portfolio's error: 422 on `query.cursor`."""

from __future__ import annotations

from typing import Any

from common import cursor as signed
from common.cursor import query_fingerprint as query_fingerprint
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


class CursorSigner(signed.CursorSigner):
    def decode(
        self, cursor: str, *, account_id: str, subject: str, fingerprint: str
    ) -> dict[str, Any]:
        try:
            return super().decode(
                cursor, account_id=account_id, subject=subject, fingerprint=fingerprint
            )
        except signed.InvalidCursor as refused:
            raise InvalidCursor(str(refused)) from refused
