"""People's notification choices and accounts' defaults.

A person changes only their own choices (the caller's sub; there is no route naming
another person). An account's defaults are read with `notifications:read` and changed with
`notifications:manage` (the account's admins), through the shared access guard: another
account is 404. Saves are optimistic: the version read must still be current (else 409).
"""

from __future__ import annotations

from collections.abc import Callable

from common.access import AccessGuard, Action, Area, UserPrincipal
from common.errors import Conflict, FieldProblem, InvalidInput, Unavailable
from services.notifications.logic.ports import Ports, VersionMoved
from services.notifications.models.domain import (
    ALWAYS_ON,
    AccountDefaults,
    Category,
    Channel,
    Contact,
    Person,
    PersonPreferences,
)

MAX_ATTEMPTS = 5


def person(ports: Ports, subject: str) -> Person:
    return ports.store.people([subject]).get(subject) or Person(contact=Contact(subject=subject))


def _locked(channels: dict[Category, dict[Channel, bool]], where: str) -> None:
    problems = [
        FieldProblem(f"body.{where}.{category.value}", "security notices cannot be switched off")
        for category, choices in channels.items()
        if category in ALWAYS_ON and not all(choices.values())
    ]
    if problems:
        raise InvalidInput(problems)


def save_preferences(
    ports: Ports, caller: UserPrincipal, wanted: PersonPreferences
) -> PersonPreferences:
    """Replace the caller's choices; `wanted.version` is the version they read."""
    _locked(wanted.channels, "channels")
    saved = wanted.model_copy(update={"version": wanted.version + 1})
    try:
        ports.store.save_preferences(caller.sub, saved)
    except VersionMoved as exc:
        raise Conflict("Your settings changed meanwhile; reload and retry.") from exc
    return saved


def change_channels(
    ports: Ports, subject: str, change: Callable[[dict[Category, dict[Channel, bool]]], None]
) -> PersonPreferences:
    """Read, change and save a person's channel choices, retrying a concurrent save."""
    for _ in range(MAX_ATTEMPTS):
        current = person(ports, subject).preferences
        channels = {category: dict(choices) for category, choices in current.channels.items()}
        change(channels)
        saved = current.model_copy(update={"channels": channels, "version": current.version + 1})
        try:
            ports.store.save_preferences(subject, saved)
        except VersionMoved:
            continue
        return saved
    raise Unavailable("Too many concurrent changes; retry.", retry_after_seconds=1)


def clear_suppression(ports: Ports, caller: UserPrincipal) -> None:
    """The person fixed their mailbox: email may go out again (a new bounce suppresses
    it again)."""
    ports.store.set_suppression(caller.sub, None)


def _guard(ports: Ports) -> AccessGuard:
    return AccessGuard(ports.access)


def account_defaults(ports: Ports, caller: UserPrincipal, account_id: str) -> AccountDefaults:
    _guard(ports).require(caller, account_id, Area.NOTIFICATIONS, Action.READ)
    return ports.store.account_defaults(account_id)


def save_account_defaults(
    ports: Ports, caller: UserPrincipal, account_id: str, wanted: AccountDefaults
) -> AccountDefaults:
    _guard(ports).require(caller, account_id, Area.NOTIFICATIONS, Action.MANAGE)
    _locked(wanted.channels, "channels")
    saved = wanted.model_copy(update={"account_id": account_id, "version": wanted.version + 1})
    try:
        ports.store.save_account_defaults(saved)
    except VersionMoved as exc:
        raise Conflict("The account's defaults changed meanwhile; reload and retry.") from exc
    return saved
