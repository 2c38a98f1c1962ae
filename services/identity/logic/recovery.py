"""Password recovery through identity's API (public routes): Cognito mails the code and
checks it; the answers never reveal whether a person exists.

A reset that Cognito accepted ends every session of the person (their refresh tokens) and
is a fact other services hear of (`PasswordChanged`, a
security notice): Cognito changes the password, so identity learns of it when its own
`/v1/password/confirm` call succeeds, and records it like every change (audit entry and
event in one transaction, on the person's platform chain).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.principal import UserPrincipal
from contracts.events import identity as ev
from services.identity.logic import audit
from services.identity.logic.actor import Actor
from services.identity.logic.commits import Planned, commit
from services.identity.logic.ports import Ports


@dataclass(frozen=True)
class AnonymousRequest:
    """What the audit records about a request made without a token."""

    request_digest: str
    correlation_id: str


def forgot_password(ports: Ports, username: str) -> None:
    ports.directory.forgot_password(username.strip().lower())


def confirm_password(
    ports: Ports, request: AnonymousRequest, username: str, code: str, new_password: str
) -> None:
    username = username.strip().lower()
    ports.directory.confirm_forgot_password(username, code, new_password)
    user = ports.directory.find_user(username)
    if user is None:  # Cognito accepted the code, so the person exists; nothing to tell
        return
    # a reset is what someone does who fears their password is known: sessions made with
    # it end too (Cognito keeps refresh tokens valid across a reset)
    ports.directory.sign_out_everywhere(user.username)
    actor = Actor(
        principal=UserPrincipal(sub=user.subject, username=user.username, claims={}),
        access_token="",
        request_digest=request.request_digest,
        correlation_id=request.correlation_id,
    )

    def plan(_seq: int, _now: datetime) -> Planned[None]:
        changed = ev.PasswordChangedData(subject=user.subject, how="reset")
        return Planned(None, events=[(ev.PASSWORD_CHANGED, changed)])

    commit(ports, actor, audit.PLATFORM_CHAIN, "password.reset", user.subject, plan)
