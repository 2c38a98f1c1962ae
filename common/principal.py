"""Who is calling: the verified caller of a request, as logic sees it (no HTTP here)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

SCTS_ADMINS_GROUP = "scts-admins"
"""Cognito group whose members are SCTS administrators (`cognito:groups` claim)."""


class UserPrincipal(BaseModel):
    """A caller whose Cognito access token the service verified itself."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    sub: str
    username: str
    claims: dict[str, Any]

    @property
    def groups(self) -> frozenset[str]:
        found = self.claims.get("cognito:groups") or []
        return (
            frozenset(g for g in found if isinstance(g, str))
            if isinstance(found, list)
            else (frozenset())
        )


def is_scts_admin(principal: UserPrincipal) -> bool:
    """True when the VERIFIED access token lists the SCTS administrators group."""
    return SCTS_ADMINS_GROUP in principal.groups
