"""The user pool's security settings, declared once.

The CDK platform stack (infra/cdk/platform.py) and the local runtime's pool
(infra/local/cognito.py) both read these values, so the cloud and `make run` cannot drift.
`password_violation()` is Cognito's password-policy check, which the local Cognito applies
(infra/local/cognito_parity.py). Plain Python: the local runtime must not import aws_cdk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PASSWORD_MAX_LENGTH = 256
"""Cognito's API limit on any password field (the policy's minimum is 6-99)."""

PASSWORD_PATTERN = re.compile(r"^[\S]+.*[\S]+$", re.DOTALL)
"""Cognito's API pattern for password fields: no leading or trailing whitespace."""

PASSWORD_SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
"""What Cognito counts as a symbol; a space counts when it is neither first nor last."""


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 14
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_digits: bool = True
    require_symbols: bool = True
    temporary_password_validity_days: int = 3

    def as_cognito(self) -> dict[str, Any]:
        """The `Policies.PasswordPolicy` of CreateUserPool."""
        return {
            "MinimumLength": self.min_length,
            "RequireUppercase": self.require_uppercase,
            "RequireLowercase": self.require_lowercase,
            "RequireNumbers": self.require_digits,
            "RequireSymbols": self.require_symbols,
            "TemporaryPasswordValidityDays": self.temporary_password_validity_days,
        }


@dataclass(frozen=True)
class TokenValidity:
    """How long the SPA client's tokens live (Cognito's own defaults are 60 min / 30 days)."""

    access_minutes: int = 15
    id_minutes: int = 15
    refresh_hours: int = 12

    def as_cognito(self) -> dict[str, Any]:
        """The token settings of CreateUserPoolClient."""
        return {
            "AccessTokenValidity": self.access_minutes,
            "IdTokenValidity": self.id_minutes,
            "RefreshTokenValidity": self.refresh_hours,
            "TokenValidityUnits": {
                "AccessToken": "minutes",
                "IdToken": "minutes",
                "RefreshToken": "hours",
            },
        }


PASSWORD_POLICY = PasswordPolicy()
TOKEN_VALIDITY = TokenValidity()
PREVENT_USER_EXISTENCE_ERRORS = True
"""Sign-in and password reset answer an unknown user exactly like a known one."""


@dataclass(frozen=True)
class CodeMail:
    """The mail Cognito sends with a code (a forgotten password's reset code): the pool's
    verification message. Cognito replaces `{####}` with the code."""

    subject: str = "Your SCTS portal password reset code"

    def body(self, portal_url: str) -> str:
        return (
            "Your SCTS portal verification code is {####}\n\n"
            f"Enter it at {portal_url} (Forgot password?) with a new password.\n"
            "If you did not ask to reset your password, ignore this mail."
        )

    def template(self, portal_url: str) -> dict[str, str]:
        """CreateUserPool's `VerificationMessageTemplate`."""
        return {
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailSubject": self.subject,
            "EmailMessage": self.body(portal_url),
        }


CODE_MAIL = CodeMail()


def password_parameter_error(password: str) -> str | None:
    """Cognito's request validation of a password field (InvalidParameterException)."""
    if len(password) > PASSWORD_MAX_LENGTH:
        return (
            "1 validation error detected: Value at 'password' failed to satisfy constraint: "
            f"Member must have length less than or equal to {PASSWORD_MAX_LENGTH}"
        )
    if not PASSWORD_PATTERN.match(password):
        return (
            "1 validation error detected: Value at 'password' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {PASSWORD_PATTERN.pattern}"
        )
    return None


def password_violation(policy: Mapping[str, Any], password: str) -> str | None:
    """Why `password` breaks a pool's `PasswordPolicy` (Cognito's wording), or None.

    Cognito counts only ASCII letters and digits for the character classes.
    """
    reason = None
    if len(password) < int(policy.get("MinimumLength", 8)):
        reason = "Password not long enough"
    elif policy.get("RequireNumbers", True) and not re.search(r"[0-9]", password):
        reason = "Password must have numeric characters"
    elif policy.get("RequireSymbols", True) and not any(c in PASSWORD_SYMBOLS for c in password):
        reason = "Password must have symbol characters"
    elif policy.get("RequireUppercase", True) and not re.search(r"[A-Z]", password):
        reason = "Password must have uppercase characters"
    elif policy.get("RequireLowercase", True) and not re.search(r"[a-z]", password):
        reason = "Password must have lowercase characters"
    return None if reason is None else f"Password did not conform with policy: {reason}"
