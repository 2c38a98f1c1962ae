"""Pages that find what exists, and the signed cursors that continue them.

A page of a filtered list keeps reading the list until it holds `limit` matches or the list
ends, within a budget of `READ_BUDGET_REQUESTS` requests. A request reads a chunk that
grows while matches are scarce (2 x limit, then x4, up to `MAX_CHUNK_ROWS`, and never more
than DynamoDB's 1 MB), so a page reads at most `rows_within_budget(limit)` entries. When
the budget runs out the page ends where reading stopped: short, with a cursor, if it found
something; if it found nothing it is refused with 413 `too_large` (narrow the filters),
never answered with an empty page and a cursor while entries remain unread. Which filters
the store answers exactly (every entry read matches, one request per page) and which are
read on is listed per route in ACCESS_PATTERNS.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from common.access import UserPrincipal
from common.errors import TooLarge
from services.portfolio.logic.cursor import query_fingerprint
from services.portfolio.logic.ports import ListRead, Position, ReadModel, RowT
from services.portfolio.logic.queries.context import Reads
from services.portfolio.models.queries import ListQuery
from services.portfolio.models.views import ListPage

READ_BUDGET_REQUESTS = 6
MAX_CHUNK_ROWS = 4000
FIRST_CHUNK_FACTOR = 2
CHUNK_GROWTH = 4
EXPORT_CHUNK_ROWS = 1000
EXPORT_MAX_ROWS = 50_000
EXPORT_MAX_READ_ROWS = 200_000

Matcher = Callable[[RowT], bool] | None
"""The filters the store's keys do not answer, checked on each row (None: every row)."""


@dataclass(frozen=True)
class Cursors:
    """Cursors of one list with its filters, for one caller in one account."""

    reads: Reads
    account_id: str
    subject: str
    fingerprint: str

    def start(self, cursor: str | None) -> Position | None:
        if not cursor:
            return None
        return self.reads.signer().decode(
            cursor, account_id=self.account_id, subject=self.subject, fingerprint=self.fingerprint
        )

    def after(self, position: Position | None) -> str | None:
        if position is None:
            return None
        return self.reads.signer().encode(
            position, account_id=self.account_id, subject=self.subject, fingerprint=self.fingerprint
        )


def cursors_for(
    reads: Reads, caller: UserPrincipal, account_id: str, list_name: str, query: ListQuery
) -> Cursors:
    return Cursors(reads, account_id, caller.sub, query_fingerprint(list_name, query.filters()))


def chunk_sizes(limit: int, matches_every_row: bool = False) -> list[int]:
    """The rows each request of one page asks for, request after request."""
    if matches_every_row:
        return [limit] * READ_BUDGET_REQUESTS
    sizes = [min(MAX_CHUNK_ROWS, limit * FIRST_CHUNK_FACTOR)]
    while len(sizes) < READ_BUDGET_REQUESTS:
        sizes.append(min(MAX_CHUNK_ROWS, sizes[-1] * CHUNK_GROWTH))
    return sizes


def rows_within_budget(limit: int) -> int:
    """The most entries a filtered page reads (fewer when 1 MB cuts a request short)."""
    return sum(chunk_sizes(limit))


def nothing_found_within_budget(rows_read: int) -> TooLarge:
    return TooLarge(
        f"No match among the {rows_read} entries read for this page; narrow the filters "
        "(for example with a date range) and ask again."
    )


def fill_page(
    store: ReadModel,
    read: ListRead[RowT],
    matches: Matcher[RowT],
    start: Position | None,
    limit: int,
) -> tuple[list[RowT], Position | None]:
    """Up to `limit` matching rows after `start`, and where the next page starts."""
    items: list[RowT] = []
    position = start
    rows_read = 0
    for requests, size in enumerate(chunk_sizes(limit, matches is None), start=1):
        chunk = store.chunk(read, position, size)
        for index, (row_position, row) in enumerate(chunk.rows):
            rows_read += 1
            if matches is not None and not matches(row):
                continue
            items.append(row)
            if len(items) == limit:
                ended = index == len(chunk.rows) - 1 and chunk.resume is None
                return items, None if ended else row_position
        if chunk.resume is None:
            return items, None
        position = chunk.resume
        if requests == READ_BUDGET_REQUESTS and not items:
            raise nothing_found_within_budget(rows_read)
    return items, position


def page_of(
    store: ReadModel,
    read: ListRead[RowT],
    matches: Matcher[RowT],
    cursors: Cursors,
    cursor: str | None,
    limit: int,
) -> ListPage[RowT]:
    items, resume = fill_page(store, read, matches, cursors.start(cursor), limit)
    return ListPage(items=items, next_cursor=cursors.after(resume))


def every_row(store: ReadModel, read: ListRead[RowT], matches: Matcher[RowT]) -> Iterator[RowT]:
    """Every matching row of the list (for exports), refused with 413 beyond
    `EXPORT_MAX_ROWS` rows produced or `EXPORT_MAX_READ_ROWS` read."""
    position: Position | None = None
    produced = rows_read = 0
    while True:
        chunk = store.chunk(read, position, EXPORT_CHUNK_ROWS)
        for _, row in chunk.rows:
            rows_read += 1
            if matches is None or matches(row):
                produced += 1
                if produced > EXPORT_MAX_ROWS:
                    raise TooLarge(f"More than {EXPORT_MAX_ROWS} rows; narrow the filters.")
                yield row
        if chunk.resume is None:
            return
        if rows_read >= EXPORT_MAX_READ_ROWS:
            raise TooLarge(f"More than {EXPORT_MAX_READ_ROWS} entries to read; narrow the filters.")
        position = chunk.resume


def all_of(*tests: Callable[[RowT], bool] | None) -> Matcher[RowT]:
    """One matcher of the given tests (None when there is nothing to test)."""
    present = [t for t in tests if t is not None]
    if not present:
        return None
    return lambda row: all(test(row) for test in present)
