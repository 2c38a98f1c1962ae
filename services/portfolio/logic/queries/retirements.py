"""Retirements: the list (by retirement date, newest first; `reporting_year` from the facet
index) and one retirement."""

from __future__ import annotations

from collections.abc import Iterator

from common.access import Area, UserPrincipal
from common.errors import NotFound
from services.portfolio.logic.ports import Listing, ListRead
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.paging import (
    Matcher,
    all_of,
    cursors_for,
    every_row,
    page_of,
)
from services.portfolio.models.domain import Retirement
from services.portfolio.models.queries import RetirementQuery
from services.portfolio.models.views import ListPage


def _retirements(
    account_id: str, query: RetirementQuery
) -> tuple[ListRead[Retirement], Matcher[Retirement]]:
    facet = str(query.reporting_year) if query.reporting_year is not None else None
    read = ListRead(Listing.RETIREMENTS, account_id, Retirement, descending=True, facet=facet)
    return read, all_of(
        (lambda r: r.consumption_country == query.consumption_country)
        if query.consumption_country
        else None,
        (lambda r: r.scheme == query.scheme) if query.scheme else None,
    )


def list_retirements(
    reads: Reads, caller: UserPrincipal, account_id: str, query: RetirementQuery
) -> ListPage[Retirement]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    read, matches = _retirements(account_id, query)
    cursors = cursors_for(reads, caller, account_id, "retirements", query)
    return page_of(reads.store, read, matches, cursors, query.cursor, query.limit)


def export_retirements(
    reads: Reads, caller: UserPrincipal, account_id: str, query: RetirementQuery
) -> Iterator[Retirement]:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    return every_row(reads.store, *_retirements(account_id, query))


def retirement(reads: Reads, caller: UserPrincipal, account_id: str, reference: str) -> Retirement:
    reads.allow(caller, account_id, Area.PORTFOLIO)
    found = reads.store.retirement(account_id, reference)
    if found is None or found.account_id != account_id:
        raise NotFound()
    return found
