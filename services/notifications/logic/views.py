"""What the inbox shows: each notification's words in the reader's own style, rendered when
read (so a changed date or number format shows at once), with the account's name."""

from __future__ import annotations

from dataclasses import dataclass

from common.access import UserPrincipal
from services.notifications.logic import inbox, settings
from services.notifications.logic.ports import InboxFilter, Ports
from services.notifications.logic.wording import Wording, wording
from services.notifications.models.domain import Contact, Notification, Person


@dataclass(frozen=True)
class Shown:
    notification: Notification
    said: Wording


@dataclass(frozen=True)
class ShownPage:
    items: list[Shown]
    next_cursor: str | None


class _Names:
    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._names: dict[str, str | None] = {}

    def __call__(self, account_id: str | None) -> str | None:
        if account_id is None:
            return None
        if account_id not in self._names:
            self._names[account_id] = self._ports.store.account_name(account_id)
        return self._names[account_id]


def _show(notifications: list[Notification], contact: Contact, names: _Names) -> list[Shown]:
    return [Shown(n, wording(n.kind, n.facts, names(n.account_id), contact)) for n in notifications]


def page(
    ports: Ports, caller: UserPrincipal, where: InboxFilter, limit: int, cursor: str | None
) -> ShownPage:
    found = inbox.list_inbox(ports, caller, where, limit, cursor)
    contact = settings.person(ports, caller.sub).contact
    return ShownPage(_show(found.items, contact, _Names(ports)), found.next_cursor)


def one(ports: Ports, caller: UserPrincipal, notification_id: str) -> Shown:
    found = inbox.notification(ports, caller, notification_id)
    person: Person = settings.person(ports, caller.sub)
    return _show([found], person.contact, _Names(ports))[0]
