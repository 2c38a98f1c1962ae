"""Identity's own refusals, as domain exceptions (`common.errors`): each has a stable code
and takes its status from the one table in `common.api_errors`."""

from __future__ import annotations

from common.errors import Conflict, DomainError, FieldProblem, Forbidden, Gone, InvalidInput


class MfaRequired(Forbidden):
    """Admins, CAMs and SCTS administrators change nothing before enrolling TOTP (403)."""

    code = "mfa_required"

    def __init__(
        self,
        message: str = "Enrol an authenticator app (POST /v1/me/mfa/totp) before making changes.",
    ) -> None:
        super().__init__(message)


class CodeRejected(DomainError):
    """A TOTP or emailed code that is wrong or expired (400)."""

    code = "invalid_code"


class PasswordRejected(DomainError):
    """A new password the user pool's policy refuses (400, naming the field)."""

    code = "invalid_password"

    def __init__(self) -> None:
        super().__init__(
            "The new password does not meet the password policy.",
            fields=[FieldProblem("body.new_password", "does not meet the password policy")],
        )


class EmailRejected(InvalidInput):
    """An address our pattern accepts but the user pool refuses as a username (422, naming
    the field): the pool's rules are its own (found by the API fuzzing run: `0@0.0`)."""

    def __init__(self) -> None:
        super().__init__(
            [FieldProblem("body.email", "is not an address the sign-in directory accepts")],
            "The email address is not valid.",
        )


class DirectoryRefused(DomainError):
    """The identity provider refused the caller's own token for this request (400)."""

    code = "not_allowed"

    def __init__(self) -> None:
        super().__init__("Cognito refused this request.")


class InvitationExpired(Gone):
    code = "invitation_expired"

    def __init__(self) -> None:
        super().__init__("The invitation has expired; ask for a new one.")


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            [FieldProblem("header.idempotency-key", "was used with a different body")],
            "This Idempotency-Key was used with a different request.",
        )


def conflict(code: str, message: str, field: str | None = None) -> Conflict:
    """A 409 with its own code (`already_member`, `last_admin`...), naming the body field
    when one is to blame."""
    fields = [FieldProblem(f"body.{field}", message)] if field else []
    return Conflict(message, fields=fields, code=code)
