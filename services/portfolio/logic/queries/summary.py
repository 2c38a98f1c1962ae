"""The account summary (what the dashboard shows) and the CAM overview of many accounts.

Three reads per account: the aggregate partition (holdings and whether its lots reconcile,
trades per year, coverage, targets, currency totals), the overdue open invoices, the next
forward deals (late ones flagged).
"""

from __future__ import annotations

from collections import defaultdict

from common.access import Access, Area, AssignedAccount, UserPrincipal
from common.errors import DomainError
from services.portfolio.logic.billing import currency_totals
from services.portfolio.logic.cursor import query_fingerprint
from services.portfolio.logic.holdings import flag_late, group_holdings, lot_positions
from services.portfolio.logic.ports import AggregateKind
from services.portfolio.logic.queries.billing import overdue_of
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import Cursors
from services.portfolio.logic.reconciliation import status_of
from services.portfolio.logic.targets import usage_of
from services.portfolio.models.domain import YearStatusCount
from services.portfolio.models.queries import OverviewQuery
from services.portfolio.models.views import (
    OpenForward,
    OverviewPage,
    OverviewRow,
    StatusCount,
    Summary,
    YearTrades,
)

NEXT_DELIVERIES = 5
OVERVIEW_NEXT_DELIVERIES = 3


def trades_by_year(counts: list[YearStatusCount]) -> list[YearTrades]:
    """Trades and volume per trade-date year and status (statuses without trades left out)."""
    by_year: dict[int, list[StatusCount]] = defaultdict(list)
    for count in sorted(counts, key=lambda c: (c.year, c.status)):
        if count.trades > 0:
            by_year[count.year].append(StatusCount(count.status, count.trades, count.volume_mwh))
    return [YearTrades(year, by_year[year]) for year in sorted(by_year)]


def summary_of(reads: Reads, access: Access, next_deliveries: int) -> Summary:
    """The summary of an account the caller was allowed to read (invoices are read only
    for a caller who may see them; the response blanks every section it may not see)."""
    account_id = access.account_id
    today = reads.today()
    aggregates = reads.store.aggregates(account_id, frozenset(AggregateKind))
    due, overdue = overdue_of(reads, account_id) if access.covers(Area.BILLING) else ([], [])
    usage = usage_of(aggregates)
    return Summary(
        account_id=account_id,
        trades_by_year=trades_by_year(aggregates.years),
        holdings=group_holdings(lot_positions(aggregates.lots, today), []).totals,
        coverage=usage.coverage,
        targets=usage.targets,
        currencies=currency_totals(aggregates.currencies, due, today),
        overdue_invoices=overdue,
        next_deliveries=flag_late(
            reads.store.next_forward_deals(account_id, next_deliveries), today
        ),
        reconciliation=status_of(aggregates.lots),
        open_forward=[
            OpenForward(c.side, c.deals, c.outstanding_mwh)
            for c in sorted(aggregates.forward, key=lambda c: c.side)
            if c.deals > 0
        ],
        last_activity=dict(aggregates.last_activity),
    )


Sectioned = tuple[Summary, Access]
"""A summary and the access it was read with: which of its sections the caller may see."""


def summary(
    reads: Reads, caller: UserPrincipal, account_id: str, sections: frozenset[Area]
) -> Sectioned:
    """For a caller who may read at least one of the `sections` (the response model's
    covered areas); 403 for a member who may read none of them."""
    access = reads.allow_any(caller, account_id, sections)
    return summary_of(reads, access, NEXT_DELIVERIES), access


OVERVIEW_LIST = "cam-overview"
NO_ACCOUNT = "-"
"""The overview's cursors are bound to the caller and the filter, not to one account."""


def cam_overview(
    reads: Reads, caller: UserPrincipal, query: OverviewQuery, sections: frozenset[Area]
) -> OverviewPage:
    """A page of summaries of the caller's accounts: without `accounts`, every account the
    caller is assigned to as CAM (from the access projection's `bycam` index, in account id
    order); with it, the named ones (at most `MAX_OVERVIEW_ACCOUNTS`). Either way each
    account is re-authorized (a consistent read of the projection), so an unassigned or
    foreign account never appears, without saying why. A page reads on past the accounts
    it drops until it holds `limit` rows or none are left, so it is never empty while
    `next_cursor` promises more. Pages follow `next_cursor`: nothing is left out silently.
    """
    cursors = Cursors(
        reads, NO_ACCOUNT, caller.sub, query_fingerprint(OVERVIEW_LIST, query.filters())
    )
    start = cursors.start(query.cursor) or {}
    named = query.account_ids
    if named is None:
        after = str(start["after"]) if "after" in start else None
        rows, resume = _assigned_rows(reads, caller, query.limit, after, sections)
    else:
        offset = int(str(start.get("offset", 0)))
        rows, resume = _named_rows(reads, caller, named, offset, query.limit, sections)
    return OverviewPage(rows, cursors.after(resume))


def _row(
    reads: Reads, caller: UserPrincipal, candidate: AssignedAccount, sections: frozenset[Area]
) -> OverviewRow | None:
    """The account's row, or None when the caller may not read it (re-authorized here)."""
    try:
        access = reads.allow_any(caller, candidate.account_id, sections)
    except DomainError:
        return None
    summary = summary_of(reads, access, OVERVIEW_NEXT_DELIVERIES)
    return OverviewRow(summary, access, candidate.name)


def _assigned_rows(
    reads: Reads,
    caller: UserPrincipal,
    limit: int,
    after: str | None,
    sections: frozenset[Area],
) -> tuple[list[OverviewRow], dict[str, object] | None]:
    """Up to `limit` rows of the assigned accounts after `after`, and where the next page
    starts (None: the index has no more)."""
    rows: list[OverviewRow] = []
    more = True
    while more and len(rows) < limit:
        assigned = reads.assignments.assigned_accounts(caller.sub, limit - len(rows), after=after)
        for candidate in assigned.accounts:
            after = candidate.account_id
            row = _row(reads, caller, candidate, sections)
            if row is not None:
                rows.append(row)
        more = assigned.more and bool(assigned.accounts)
    return rows, ({"after": after} if more else None)


def _named_rows(
    reads: Reads,
    caller: UserPrincipal,
    named: list[str],
    offset: int,
    limit: int,
    sections: frozenset[Area],
) -> tuple[list[OverviewRow], dict[str, object] | None]:
    """Up to `limit` rows of the named accounts from `offset`, and where the next page
    starts (None: every named account was looked at)."""
    rows: list[OverviewRow] = []
    index = offset
    while index < len(named) and len(rows) < limit:
        chosen = named[index : index + limit - len(rows)]
        names = reads.assignments.account_names(chosen)
        for account_id in chosen:
            index += 1
            row = _row(reads, caller, AssignedAccount(account_id, names.get(account_id)), sections)
            if row is not None:
                rows.append(row)
    return rows, ({"offset": index} if index < len(named) else None)
