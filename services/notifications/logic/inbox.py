"""The in-app inbox: a person's own notifications, and only while they may still see them.

Every route works on the caller's own partition (their sub from the verified token): a
notification id of someone else is simply not there (404). What a notice shows is checked
again on every read against the access projection now: a member removed from an account,
or whose role no longer covers the kind, no longer sees that account's notices (notices
about the person themselves always show). An archived notice is out of the inbox: not
listed, counted, fetched or marked (there is no archived view). `Visibility` is the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.access import AccessFacts, AccountStatus, UserPrincipal
from common.cursor import InvalidCursor, query_fingerprint
from common.errors import NotFound, TooLarge, invalid
from services.notifications.logic.ports import InboxFilter, Ports
from services.notifications.models.domain import KIND_RULES, Notification

READ_BUDGET = 10
"""Store pages (of up to 200) one list request may read to fill a filtered page."""
UNREAD_CAP = 999
MARK_ALL_MOST = 500


@dataclass(frozen=True)
class InboxList:
    items: list[Notification]
    next_cursor: str | None


@dataclass(frozen=True)
class UnreadCount:
    unread: int
    capped: bool


class Visibility:
    """What the inbox shows the caller now: the one rule of every inbox route (facts read
    once per account)."""

    def __init__(self, ports: Ports, subject: str) -> None:
        self._ports, self._subject = ports, subject
        self._facts: dict[str, AccessFacts] = {}

    def shows(self, notice: Notification, *, even_archived: bool = False) -> bool:
        """In the inbox (delivered there, not archived unless `even_archived`) and allowed."""
        in_inbox = notice.in_inbox and (even_archived or not notice.archived)
        return in_inbox and self.allows(notice.account_id, notice.kind)

    def allows(self, account_id: str | None, kind: str) -> bool:
        """Whether the caller may see a notice of this kind in this account now (the
        `unread` index holds only notices in the inbox: its entries need only this)."""
        rule = KIND_RULES[kind]  # type: ignore[index]
        if not rule.permissions or account_id is None:
            return True
        if account_id not in self._facts:
            self._facts[account_id] = self._ports.access.facts(account_id, self._subject)
        facts = self._facts[account_id]
        if facts.account_status is AccountStatus.SUSPENDED:
            return False
        members = facts.member_permissions
        return (members is not None and rule.allows(members)) or facts.cam_assigned


def _fingerprint(where: InboxFilter) -> str:
    return query_fingerprint(
        "inbox", {"a": where.account_id, "c": where.category, "u": where.unread}
    )


def list_inbox(
    ports: Ports, caller: UserPrincipal, where: InboxFilter, limit: int, cursor: str | None
) -> InboxList:
    """Newest first, up to `limit` visible matches; reads on (bounded) to fill the page."""
    after = None
    if cursor is not None:
        try:
            position = ports.cursors.decode(
                cursor, account_id="", subject=caller.sub, fingerprint=_fingerprint(where)
            )
        except InvalidCursor as exc:
            raise invalid("query.cursor", "is not a cursor of this list; start again") from exc
        after = position.get("after")
        if not isinstance(after, str):
            raise invalid("query.cursor", "is not a cursor of this list; start again")
    visible = Visibility(ports, caller.sub)
    found: list[Notification] = []
    for _ in range(READ_BUDGET):
        page = ports.store.inbox(caller.sub, where, after, 200)
        unread_rest = list(page.items)
        while unread_rest and len(found) < limit:
            item = unread_rest.pop(0)
            if visible.shows(item):
                found.append(item)
        if len(found) == limit:
            more = page.after is not None or bool(unread_rest)
            last = found[-1].notification_id
            return InboxList(found, _cursor(ports, caller, where, last) if more else None)
        after = page.after
        if after is None:
            return InboxList(found, None)
    if not found:
        raise TooLarge("Too few matches among many notifications; narrow the filter.")
    return InboxList(found, _cursor(ports, caller, where, found[-1].notification_id))


def _cursor(ports: Ports, caller: UserPrincipal, where: InboxFilter, after: str) -> str:
    return ports.cursors.encode(
        {"after": after}, account_id="", subject=caller.sub, fingerprint=_fingerprint(where)
    )


def unread_count(ports: Ports, caller: UserPrincipal) -> UnreadCount:
    entries = ports.store.unread(caller.sub, UNREAD_CAP + 1)
    visible = Visibility(ports, caller.sub)
    count = sum(1 for account_id, kind in entries if visible.allows(account_id, kind))
    return UnreadCount(min(count, UNREAD_CAP), count > UNREAD_CAP)


def notification(
    ports: Ports, caller: UserPrincipal, notification_id: str, *, even_archived: bool = False
) -> Notification:
    """The caller's notice while the inbox shows it; otherwise 404, as for an unknown id
    (another person's, one of an account the caller left: existence never leaks)."""
    found = ports.store.notification(caller.sub, notification_id)
    if found is None or not Visibility(ports, caller.sub).shows(found, even_archived=even_archived):
        raise NotFound("No such notification.")
    return found


def mark(ports: Ports, caller: UserPrincipal, notification_id: str, read: bool) -> None:
    notification(ports, caller, notification_id)
    ports.store.set_read(caller.sub, notification_id, read)


def archive(ports: Ports, caller: UserPrincipal, notification_id: str) -> None:
    """Idempotent: archiving an archived notice (one the caller may still see) changes nothing."""
    if not notification(ports, caller, notification_id, even_archived=True).archived:
        ports.store.archive(caller.sub, notification_id)


def mark_all_read(ports: Ports, caller: UserPrincipal, account_id: str | None) -> int:
    """Marks up to `MARK_ALL_MOST` of the unread notices the list shows read (call again if
    more remain); those the caller may not see now stay as they are."""
    where = InboxFilter(account_id=account_id, unread=True)
    visible = Visibility(ports, caller.sub)
    marked = 0
    after = None
    while marked < MARK_ALL_MOST:
        page = ports.store.inbox(caller.sub, where, after, 200)
        for item in page.items:
            if (
                marked < MARK_ALL_MOST
                and visible.shows(item)
                and ports.store.set_read(caller.sub, item.notification_id, True)
            ):
                marked += 1
        after = page.after
        if after is None:
            break
    return marked
