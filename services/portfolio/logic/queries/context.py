"""What every read use case gets: the access guard, the read model, the cursor signer,
today's date and a CAM's assigned accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from common.access import Access, AccessGuard, Action, Area, CamAssignments, UserPrincipal
from services.portfolio.logic.cursor import CursorSigner
from services.portfolio.logic.ports import ReadModel, Today


@dataclass(frozen=True)
class Reads:
    guard: AccessGuard
    store: ReadModel
    signer: Callable[[], CursorSigner]
    """Built on first use (the key is a secret read once per cold start)."""
    today: Today
    assignments: CamAssignments
    """The accounts a CAM is assigned to (the access projection's `bycam` index)."""

    def allow(self, caller: UserPrincipal, account_id: str, area: Area) -> Access:
        """Read access to one area of the account, or NotFound / Forbidden."""
        return self.guard.require(caller, account_id, area, Action.READ)

    def allow_any(self, caller: UserPrincipal, account_id: str, areas: frozenset[Area]) -> Access:
        """Read access to at least one of `areas` (a view made of sections)."""
        return self.guard.require_any(caller, account_id, areas, Action.READ)
