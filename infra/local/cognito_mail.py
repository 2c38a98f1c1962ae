"""Cognito's built-in email, which moto (pinned 5.2.5) never sends.

Real Cognito emails a ForgotPassword code to the user's verified email, from the pool's
configured sender, using the pool's verification message. `mail_code()` writes that mail
into moto's SES sent messages, where the local mailbox shows it. The local Cognito
(cognito_parity.py) calls it with the code it issued; moto's own code (returned in an
`x-moto-forgot-password-confirmation-code` header) is never used.
"""

from __future__ import annotations

from typing import Any

from moto.ses.models import Message, ses_backends
from moto.ses.utils import get_random_message_id

COGNITO_DEFAULT_SENDER = "no-reply@verificationemail.com"
DEFAULT_SUBJECT = "Your verification code"
DEFAULT_MESSAGE = "Your verification code is {####}. "
CODE_PLACEHOLDER = "{####}"


def pool_sender(email_configuration: dict[str, Any]) -> str:
    """The From address Cognito uses: the pool's own SES identity, or Cognito's default."""
    if email_configuration.get("EmailSendingAccount") != "DEVELOPER":
        return COGNITO_DEFAULT_SENDER
    sender = email_configuration.get("From") or ""
    if sender:
        return str(sender)
    source_arn = str(email_configuration.get("SourceArn") or "")
    return source_arn.rsplit("identity/", 1)[-1] if "identity/" in source_arn else ""


def mail_code(
    account_id: str, region: str, pool_config: dict[str, Any], email: str, code: str
) -> None:
    """The verification mail with `code`, as the pool (its `extended_config`) words it."""
    sender = pool_sender(pool_config.get("EmailConfiguration") or {})
    subject = pool_config.get("EmailVerificationSubject") or DEFAULT_SUBJECT
    body = (pool_config.get("EmailVerificationMessage") or DEFAULT_MESSAGE).replace(
        CODE_PLACEHOLDER, code
    )
    ses = ses_backends[account_id][region]
    ses.sent_messages.append(
        Message(get_random_message_id(), sender, subject, body, {"ToAddresses": [email]})
    )
    ses.sent_message_count += 1
