"""Pages of identity's lists: up to `limit` items in a stable order, and a signed cursor
(bound to the list, the account and the caller) when more remain.

Identity's lists are bounded by what they list (the people of one account, the CAMs, the
accounts of the platform: hundreds, not millions), so a page is cut from the list read
whole, in the order of its key; `ACCESS_PATTERNS.md` gives each list's reads. The audit
log, which grows without end, pages in storage instead (`audit_log`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from common.cursor import InvalidCursor, query_fingerprint
from common.errors import InvalidInput, invalid
from services.identity.logic.actor import Actor
from services.identity.logic.ports import Ports

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None = None


@dataclass(frozen=True)
class ListPage(Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class ListScope:
    """Which list a cursor continues: its name, its account ("" for platform lists), and
    the caller it was given to."""

    name: str
    account_id: str
    subject: str

    @classmethod
    def of(cls, name: str, actor: Actor, account_id: str = "") -> ListScope:
        return cls(name, account_id, actor.subject)

    def encode(self, ports: Ports, position: dict[str, Any]) -> str:
        return ports.cursors.encode(
            position,
            account_id=self.account_id,
            subject=self.subject,
            fingerprint=query_fingerprint(self.name, {}),
        )

    def decode(self, ports: Ports, cursor: str) -> dict[str, Any]:
        try:
            return ports.cursors.decode(
                cursor,
                account_id=self.account_id,
                subject=self.subject,
                fingerprint=query_fingerprint(self.name, {}),
            )
        except InvalidCursor as exc:
            raise bad_cursor() from exc


def bad_cursor() -> InvalidInput:
    return invalid("query.cursor", "is not a cursor of this list; start again without one")


def page_of(
    ports: Ports,
    scope: ListScope,
    items: Sequence[T],
    key: Callable[[T], str],
    request: PageRequest,
) -> ListPage[T]:
    """The page after the request's cursor, of `items` ordered by `key` (unique per item)."""
    ordered = sorted(items, key=key)
    if request.cursor is not None:
        after = scope.decode(ports, request.cursor).get("after")
        if not isinstance(after, str):
            raise bad_cursor()
        ordered = [item for item in ordered if key(item) > after]
    chosen = ordered[: request.limit]
    more = len(ordered) > request.limit
    next_cursor = scope.encode(ports, {"after": key(chosen[-1])}) if more else None
    return ListPage(chosen, next_cursor)
