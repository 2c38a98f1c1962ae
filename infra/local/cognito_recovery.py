"""Password reset, the password policy and user creation as Cognito does them, in place of
moto's (installed by cognito_parity.py).

ForgotPassword mails a 6-digit code (cognito_mail.py) that ConfirmForgotPassword accepts
once, within the hour; 5 wrong codes withdraw it. An unknown, disabled or unverified user
(when the client hides users) gets a simulated delivery and a code nobody receives, so
every later answer matches a known user's. The pool's policy applies to every password.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from moto.cognitoidp.exceptions import (
    InvalidParameterException,
    NotAuthorizedError,
    UserNotFoundError,
)
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    UserStatus,
)

from infra.local import cognito_moto as layer
from infra.local.cognito_mail import mail_code
from infra.local.cognito_moto import serialized
from infra.shape.cognito_pool import password_parameter_error

RESET_CODE_SECONDS = 3600
RESET_CODE_ATTEMPTS = 5


def _reachable(user: CognitoIdpUser | None) -> bool:
    """An enabled user with a verified address to send a code to."""
    if user is None or not user.enabled:
        return False
    found = user.attribute_lookup
    return (bool(found.get("email")) and found.get("email_verified") == "true") or (
        bool(found.get("phone_number")) and found.get("phone_number_verified") == "true"
    )


def _masked(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def _subject(pool: CognitoIdpUserPool, user: CognitoIdpUser | None, name: str) -> tuple[str, str]:
    return (pool.id, user.id) if user is not None else (pool.id, f"unknown:{name}")


@serialized
def forgot_password(
    self: CognitoIdpBackend, client_id: str, username: str
) -> tuple[str | None, dict[str, Any]]:
    """Mails a fresh code; moto's response header that would carry it stays empty."""
    pool, client = layer.pool_and_client(self, client_id)
    user = layer.find_user(pool, username)
    hides = layer.hides_users(client)
    if user is None and not hides:
        raise UserNotFoundError("Username/client id combination not found.")
    if user is not None and user.status is UserStatus.FORCE_CHANGE_PASSWORD:
        raise NotAuthorizedError("User password cannot be reset in the current state.")
    reachable = _reachable(user)
    if user is not None and not reachable and not hides:
        raise InvalidParameterException(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    recovery = pool.extended_config.get("AccountRecoverySetting")
    details: dict[str, Any] = self._get_code_delivery_details(
        recovery, user if reachable else None, username
    )
    if not reachable and details.get("DeliveryMedium") == "EMAIL":
        details["Destination"] = _masked(username)
    subject = _subject(pool, user, username)
    code = f"{secrets.randbelow(1_000_000):06d}"
    state = layer.state()
    state.reset_codes[subject] = layer.ResetCode(code, layer.now() + RESET_CODE_SECONDS)
    state.reset_failures.pop(subject, None)
    if user is not None and reachable and details.get("DeliveryMedium") == "EMAIL":
        email = user.attribute_lookup["email"]
        mail_code(self.account_id, self.region_name, pool.extended_config, email, code)
    return None, {"CodeDeliveryDetails": details}


@serialized
def confirm_forgot_password(
    self: CognitoIdpBackend, client_id: str, username: str, password: str, confirmation_code: str
) -> None:
    pool, client = layer.pool_and_client(self, client_id)
    problem = password_parameter_error(password or "")
    if problem:
        raise InvalidParameterException(problem)
    user = layer.find_user(pool, username)
    if user is None and not layer.hides_users(client):
        raise UserNotFoundError("Username/client id combination not found.")
    state = layer.state()
    subject = _subject(pool, user, username)
    if state.reset_failures.get(subject, 0) >= RESET_CODE_ATTEMPTS:
        raise layer.error(
            "LimitExceededException", "Attempt limit exceeded, please try after some time."
        )
    pending = state.reset_codes.get(subject)
    if pending is None or pending.expires_at <= layer.now():
        state.reset_codes.pop(subject, None)
        raise layer.error(
            "ExpiredCodeException", "Invalid code provided, please request a code again."
        )
    if not _reachable(user) or not hmac.compare_digest(pending.code, confirmation_code or ""):
        failures = state.reset_failures[subject] = state.reset_failures.get(subject, 0) + 1
        if failures >= RESET_CODE_ATTEMPTS:
            state.reset_codes.pop(subject, None)
        raise layer.error(
            "CodeMismatchException", "Invalid verification code provided, please try again."
        )
    assert user is not None
    layer.check_password(pool, password)  # a refused password keeps the code usable
    user.password = password
    user.confirmation_code = None
    if user.status is UserStatus.RESET_REQUIRED:
        user.status = UserStatus.CONFIRMED
    del state.reset_codes[subject]
    state.reset_failures.pop(subject, None)


@serialized
def validate_password(self: CognitoIdpBackend, user_pool_id: str, password: str) -> None:
    """moto's own check (SignUp, NEW_PASSWORD_REQUIRED, ChangePassword,
    AdminSetUserPassword), replaced by the pool's policy in Cognito's rules and words."""
    layer.check_password(self.describe_user_pool(user_pool_id), password or "")


@serialized
def admin_create_user(
    self: CognitoIdpBackend,
    user_pool_id: str,
    username: str,
    message_action: str,
    temporary_password: str,
    attributes: list[dict[str, str]],
) -> CognitoIdpUser:
    if temporary_password:
        layer.check_password(self.describe_user_pool(user_pool_id), temporary_password)
    user: CognitoIdpUser = layer.original("admin_create_user")(
        self, user_pool_id, username, message_action, temporary_password, attributes
    )
    return user


@serialized
def sign_up(
    self: CognitoIdpBackend,
    client_id: str,
    username: str,
    password: str,
    attributes: list[dict[str, str]],
) -> tuple[CognitoIdpUser, Any]:
    pool, _ = layer.pool_and_client(self, client_id)
    if (pool.extended_config.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
        raise NotAuthorizedError("SignUp is not permitted for this user pool")
    result: tuple[CognitoIdpUser, Any] = layer.original("sign_up")(
        self, client_id, username, password, attributes
    )
    return result


@serialized
def confirm_sign_up(self: CognitoIdpBackend, client_id: str, username: str) -> str:
    """Only an unconfirmed user can be confirmed (moto confirms anyone, with no code)."""
    pool, _ = layer.pool_and_client(self, client_id)
    user = layer.find_user(pool, username)
    if user is not None and user.status is not UserStatus.UNCONFIRMED:
        raise NotAuthorizedError(
            f"User cannot be confirmed. Current status is {UserStatus(user.status).value}"
        )
    result: str = layer.original("confirm_sign_up")(self, client_id, username)
    return result
