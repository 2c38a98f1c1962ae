"""What counterparty users write: consumption per site and period, and their targets.

The usage table is the source of truth; the store mirrors each change into the read
model's aggregates in the same transaction (see `adapters/usage.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.access import Access, AccessGuard, Action, Area, UserPrincipal
from common.errors import FieldProblem, InvalidInput, NotFound
from services.portfolio.logic.ports import Now, UsageStore
from services.portfolio.models.domain import Consumption, Milestone, Target
from services.portfolio.models.usage import FIRST_YEAR, LAST_YEAR, ConsumptionInput, TargetInput


@dataclass(frozen=True)
class UsageWrites:
    guard: AccessGuard
    store: UsageStore
    now: Now

    def allow(self, caller: UserPrincipal, account_id: str) -> Access:
        """Why the caller may manage the account's usage data (who they are, their email)."""
        return self.guard.require(caller, account_id, Area.USAGE_TARGETS, Action.MANAGE)


def period_problem(period_start: date, period_end: date) -> str | None:
    """Why `[period_start, period_end)` is not a consumption period (None: it is one): the
    end is refused, since the start is the record's key."""
    if period_end <= period_start:
        return "period_end must be after period_start"
    if date.fromordinal(period_end.toordinal() - 1).year != period_start.year:
        return "a consumption period must lie within one calendar year"
    return None


def put_consumption(
    writes: UsageWrites,
    caller: UserPrincipal,
    account_id: str,
    site_id: str,
    period_start: date,
    record: ConsumptionInput,
) -> Consumption:
    writer = writes.allow(caller, account_id)
    if not FIRST_YEAR <= period_start.year <= LAST_YEAR:
        reason = f"must lie in the years {FIRST_YEAR} to {LAST_YEAR}, as targets do"
        raise InvalidInput([FieldProblem("path.period_start", reason)])
    problem = period_problem(period_start, record.period_end)
    if problem:
        raise InvalidInput([FieldProblem("body.period_end", problem)])
    consumption = Consumption(
        site_id=site_id,
        period_start=period_start,
        site_name=record.site_name,
        country=record.country,
        period_end=record.period_end,
        consumption_mwh=record.consumption_mwh,
        source=record.source,
        updated_by=writer.subject,
        updated_by_email=writer.email,
        updated_at=writes.now(),
    )
    writes.store.change_consumption(account_id, site_id, period_start, consumption)
    return consumption


def delete_consumption(
    writes: UsageWrites, caller: UserPrincipal, account_id: str, site_id: str, period_start: date
) -> None:
    writes.allow(caller, account_id)
    if not writes.store.change_consumption(account_id, site_id, period_start, None):
        raise NotFound()


def put_target(
    writes: UsageWrites, caller: UserPrincipal, account_id: str, target_id: str, body: TargetInput
) -> Target:
    writer = writes.allow(caller, account_id)
    target = Target(
        target_id=target_id,
        name=body.name,
        kind=body.kind,
        base_year=body.base_year,
        base_renewable_share_percent=body.base_renewable_share_percent,
        target_year=body.target_year,
        target_renewable_share_percent=body.target_renewable_share_percent,
        milestones=[
            Milestone(year=m.year, renewable_share_percent=m.renewable_share_percent)
            for m in body.milestones
        ],
        net_zero_date=body.net_zero_date,
        updated_by=writer.subject,
        updated_by_email=writer.email,
        updated_at=writes.now(),
    )
    writes.store.put_target(account_id, target)
    return target


def delete_target(
    writes: UsageWrites, caller: UserPrincipal, account_id: str, target_id: str
) -> None:
    writes.allow(caller, account_id)
    if not writes.store.delete_target(account_id, target_id):
        raise NotFound()
