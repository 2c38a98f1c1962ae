"""Cognito's built-in email for forgot-password codes, which moto (pinned 5.2.5) lacks.

Real Cognito emails the ForgotPassword code to the user's verified email, from the pool's
configured sender, using the pool's verification message. moto only returns the code in
an `x-moto-forgot-password-confirmation-code` response header. `emulate_code_mail()` wraps
moto's backend so the code also lands in moto's SES sent messages, where the local mailbox
shows it. The code is mailed exactly as moto stores it (`moto-confirmation-code:<digits>`):
only codes of that shape are checked by moto's ConfirmForgotPassword.

Guarded by tests/integration/local/test_cognito_mail.py, which fails when moto changes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend
from moto.ses.models import Message, ses_backends
from moto.ses.utils import get_random_message_id

COGNITO_DEFAULT_SENDER = "no-reply@verificationemail.com"
DEFAULT_SUBJECT = "Your verification code"
DEFAULT_MESSAGE = "Your verification code is {####}. "
CODE_PLACEHOLDER = "{####}"

_ForgotPassword = Callable[[CognitoIdpBackend, str, str], tuple[str | None, dict[str, Any]]]
_lock = threading.Lock()
_installed = 0
_original: _ForgotPassword | None = None


def pool_sender(email_configuration: dict[str, Any]) -> str:
    """The From address Cognito uses: the pool's own SES identity, or Cognito's default."""
    if email_configuration.get("EmailSendingAccount") != "DEVELOPER":
        return COGNITO_DEFAULT_SENDER
    sender = email_configuration.get("From") or ""
    if sender:
        return str(sender)
    source_arn = str(email_configuration.get("SourceArn") or "")
    return source_arn.rsplit("identity/", 1)[-1] if "identity/" in source_arn else ""


def _mail_code(backend: CognitoIdpBackend, client_id: str, username: str, code: str) -> None:
    pool = next((p for p in backend.user_pools.values() if client_id in p.clients), None)
    user = pool._get_user(username) if pool is not None else None
    email = user.attribute_lookup.get("email") if user is not None else None
    if pool is None or not email:
        return
    config = pool.extended_config
    sender = pool_sender(config.get("EmailConfiguration") or {})
    subject = config.get("EmailVerificationSubject") or DEFAULT_SUBJECT
    body = (config.get("EmailVerificationMessage") or DEFAULT_MESSAGE).replace(
        CODE_PLACEHOLDER, code
    )
    ses = ses_backends[backend.account_id][backend.region_name]
    ses.sent_messages.append(
        Message(get_random_message_id(), sender, subject, body, {"ToAddresses": [email]})
    )
    ses.sent_message_count += 1


def _wrap(original: _ForgotPassword) -> _ForgotPassword:
    @functools.wraps(original)
    def forgot_password(
        self: CognitoIdpBackend, client_id: str, username: str
    ) -> tuple[str | None, dict[str, Any]]:
        code, response = original(self, client_id, username)
        delivery = response.get("CodeDeliveryDetails") or {}
        if code is not None and delivery.get("DeliveryMedium") == "EMAIL":
            _mail_code(self, client_id, username, code)
        return code, response

    return forgot_password


def install() -> None:
    """Mail ForgotPassword codes (process-wide, counted: pair every call with `uninstall`)."""
    global _installed, _original
    with _lock:
        if _installed == 0:
            _original = CognitoIdpBackend.forgot_password
            CognitoIdpBackend.forgot_password = _wrap(_original)  # type: ignore[method-assign,assignment]
        _installed += 1


def uninstall() -> None:
    global _installed, _original
    with _lock:
        if _installed == 0:
            return
        _installed -= 1
        if _installed == 0 and _original is not None:
            CognitoIdpBackend.forgot_password = _original  # type: ignore[method-assign,assignment]
            _original = None


@contextmanager
def emulate_code_mail() -> Iterator[None]:
    install()
    try:
        yield
    finally:
        uninstall()
