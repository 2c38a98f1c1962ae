"""Who is acting in one request, and what the audit needs to know about the request."""

from __future__ import annotations

from dataclasses import dataclass

from common.principal import UserPrincipal, is_scts_admin


@dataclass(frozen=True)
class Actor:
    """The verified caller of one request (the handlers build it from the request)."""

    principal: UserPrincipal
    access_token: str
    """The caller's own token: Cognito's self-service calls (TOTP) act with it."""
    request_digest: str
    """SHA-256 of method, path and body: the audit entry names the request it records."""
    correlation_id: str

    @property
    def subject(self) -> str:
        return self.principal.sub

    @property
    def username(self) -> str:
        return self.principal.username

    @property
    def scts_admin(self) -> bool:
        return is_scts_admin(self.principal)
