"""In-memory fakes of `common.access` ports for unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.access import AssignedAccount, AssignedAccounts


@dataclass
class InMemoryAssignments:
    """`CamAssignments` over a dict: CAM subject -> {account id: name or None}."""

    by_cam: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def assigned_accounts(
        self, subject: str, limit: int, after: str | None = None
    ) -> AssignedAccounts:
        accounts = sorted(a for a in self.by_cam.get(subject, {}) if after is None or a > after)
        names = self.by_cam.get(subject, {})
        page = [AssignedAccount(a, names[a]) for a in accounts[:limit]]
        return AssignedAccounts(page, len(accounts) > limit)

    def account_names(self, account_ids: list[str]) -> dict[str, str]:
        known = {a: n for names in self.by_cam.values() for a, n in names.items() if n}
        return {a: known[a] for a in account_ids if a in known}
