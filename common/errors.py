"""Domain exceptions: what logic raises when a use case cannot go on.

Logic never speaks HTTP: it raises one of these, and `common.api` maps each class to its
status code in one table (`common.api.STATUS_FOR`), with the one error body shape of every
API (`docs/api-conventions.md`). The message is shown to the caller: it must name what is
wrong in words a person can act on and never leak internals (no stack, no table, no key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One bad input: `path` says where (`body.email`, `query.limit`, `path.account_id`),
    `reason` says why, in words (with the allowed values or an example)."""

    path: str
    reason: str


class DomainError(Exception):
    """Base of every error a use case reports to its caller; `code` is stable for clients."""

    code = "error"

    def __init__(
        self, message: str, *, fields: Sequence[FieldProblem] = (), code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = tuple(fields)
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""

    code = "not_found"

    def __init__(self, message: str = "No such account or object.") -> None:
        super().__init__(message)


class Unauthenticated(DomainError):
    code = "unauthorized"

    def __init__(self, message: str = "Unauthorized") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """The caller is known to the account but its permissions do not cover the action."""

    code = "forbidden"


class AccountSuspended(Forbidden):
    code = "account_suspended"

    def __init__(self, message: str = "This account is suspended.") -> None:
        super().__init__(message)


class InvalidInput(DomainError):
    """The request is well-formed but its values break a rule; `fields` name each one."""

    code = "validation_failed"

    def __init__(
        self,
        fields: Sequence[FieldProblem],
        message: str = "The request is not valid; see fields.",
    ) -> None:
        super().__init__(message, fields=fields)


class Conflict(DomainError):
    """The change collides with the current state (or a concurrent change): re-read, retry."""

    code = "conflict"


class Gone(DomainError):
    """The object existed but is no longer usable (an expired invitation): ask for a new one."""

    code = "gone"


class TooLarge(DomainError):
    """The request or its result is larger than the service takes or gives at once."""

    code = "too_large"


class RateLimited(DomainError):
    """Too many requests: the caller may retry after `retry_after_seconds`."""

    code = "throttled"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(1, retry_after_seconds)


class Unavailable(DomainError):
    """A dependency refused for now (throttled upstream, temporarily down): retry later."""

    code = "unavailable"

    def __init__(self, message: str = "Try again later.", retry_after_seconds: int = 5) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(1, retry_after_seconds)


def invalid(path: str, reason: str) -> InvalidInput:
    """Shorthand for the common case of one bad field."""
    return InvalidInput([FieldProblem(path, reason)])
