"""What the portfolio's logic needs from the outside world. The adapters implement these
over DynamoDB (keys, indexes and item shapes are theirs); the unit tests use in-memory
fakes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.models.domain import (
    Aggregates,
    Consumption,
    DueBucket,
    ForwardDeal,
    Invoice,
    InvoiceSummary,
    Retirement,
    Target,
    Trade,
    TradeHit,
)

if TYPE_CHECKING:  # the projection's types: only the projector loads the folds
    from services.portfolio.logic.projection import Change, Projection

RowT = TypeVar("RowT", bound=BaseModel)
Position = dict[str, Any]
"""Where a list read stopped or a row sits: the store's own key, opaque to logic (it travels
inside signed cursors)."""
Today = Callable[[], date]
Now = Callable[[], datetime]

# --- the projection (write side of the read model) ------------------------------------


@dataclass(frozen=True)
class Contribution:
    """What an entity's stored projection added to shared items: its counter amounts (which
    logic diffs to count every change exactly once) and the store's own record of the
    markers it wrote (opaque to logic: the store compares them when it commits)."""

    counters: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    markers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamState:
    facts: list[Fact]
    revision: int
    """Facts folded into the stored current view (0: none stored)."""
    contribution: Contribution


class ProjectionStore(Protocol):
    def load(self, stream: StreamId) -> StreamState: ...

    def note_activity(self, stream: StreamId, occurred_at: datetime) -> None:
        """Keep `occurred_at` as the account's last activity of the stream's kind unless a
        later one is kept already (a maximum: any order, any duplicate, the same result)."""
        ...

    def commit(
        self,
        stream: StreamId,
        state: StreamState,
        projection: Projection,
        change: Change,
        new_fact: Fact | None = None,
    ) -> bool:
        """Write `new_fact` (absent until now), the new current view (revision = the facts
        in `state`, `new_fact` among them), the counter deltas and the changed markers
        atomically, if the stored revision is still `state`'s; False when another writer got
        there first (the revision moved, or the fact was stored meanwhile)."""
        ...


# --- reads ------------------------------------------------------------------------------


class Listing(StrEnum):
    TRADES = "trades"
    TRADE_FILTER = "trade_filter"
    """The trades' filter entries (`TradeEntry`): small, so a request reads thousands."""
    RETIREMENTS = "retirements"
    INVOICES = "invoices"
    BATCHES = "batches"
    FORWARD_DEALS = "forward_deals"
    CONSUMPTION = "consumption"


class Order(StrEnum):
    DATE = "date"
    """Trades by trade date, retirements by retirement date, invoices by issue date; the
    collections (batches, forward deals, consumption) in their one order."""
    VOLUME = "volume"
    """Trades only."""


@dataclass(frozen=True)
class DateRange:
    first: date | None = None
    last: date | None = None

    def holds(self, day: date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


@dataclass(frozen=True)
class ListRead(Generic[RowT]):
    """One list of one account, in one order, optionally narrowed by the store's keys: a
    facet (the entity's indexed value: a trade's status, an invoice's facet, a retirement's
    reporting year) and a date range (date order only)."""

    listing: Listing
    account_id: str
    row_type: type[RowT]
    order: Order = Order.DATE
    descending: bool = False
    facet: str | None = None
    dates: DateRange | None = None


@dataclass(frozen=True)
class Chunk(Generic[RowT]):
    """The rows one request read, each with its position; `resume` continues after the
    last one (None: the list has no more rows)."""

    rows: list[tuple[Position, RowT]]
    resume: Position | None


@dataclass(frozen=True)
class TradeHistory:
    current: Trade
    facts: list[Fact]
    invoices: list[InvoiceSummary]


class AggregateKind(StrEnum):
    LOTS = "lots"
    YEARS = "years"
    CURRENCIES = "currencies"
    RETIRED = "retired"
    CONSUMPTION = "consumption"
    TARGETS = "targets"
    FORWARD = "forward"
    """Open forward volume per side (trades with volume still to deliver)."""
    ACTIVITY = "activity"
    """When the account's trades, retirements and invoices last changed."""


class ActivityKind(StrEnum):
    """The streams whose newest fact is kept as "last activity" (each under the read
    permission of its area: trades (with deliveries), retirements, invoices)."""

    TRADE = "trade"
    RETIREMENT = "retirement"
    INVOICE = "invoice"


class ReadModel(Protocol):
    """The API's reads of the account's read model (each method says what it costs)."""

    def chunk(self, read: ListRead[RowT], start: Position | None, max_rows: int) -> Chunk[RowT]:
        """ONE request: up to `max_rows` rows of the list after `start`, in its order."""
        ...

    def search_trades(self, account_id: str, text: str, max_requests: int) -> list[TradeHit] | None:
        """Trades whose reference contains `text` (lower case), each once; None when
        reading them would take more than `max_requests` requests."""
        ...

    def trades(self, account_id: str, references: Sequence[str]) -> list[Trade]:
        """The listed trades (one request per 100), in no particular order."""
        ...

    def trade_history(self, account_id: str, reference: str) -> TradeHistory | None:
        """ONE request: the trade with its versions, deliveries and invoices; None when it
        is unknown or only its deliveries are."""
        ...

    def retirement(self, account_id: str, reference: str) -> Retirement | None: ...

    def invoice(self, account_id: str, reference: str) -> Invoice | None: ...

    def aggregates(self, account_id: str, kinds: frozenset[AggregateKind]) -> Aggregates:
        """The account's counters and targets of those kinds (one request while the
        aggregate partition is small)."""
        ...

    def open_invoices(self, account_id: str, due_before: date, limit: int) -> list[InvoiceSummary]:
        """ONE request: the first `limit` open invoices due before the day, oldest due first."""
        ...

    def due_buckets(self, account_id: str, due_before: date) -> list[DueBucket]:
        """What open invoices owe per due date before the day and currency (one request per
        ~8,000 due dates: its cost grows with due dates, never with invoices)."""
        ...

    def next_forward_deals(self, account_id: str, count: int) -> list[ForwardDeal]:
        """ONE request: the `count` forward deals with the nearest next delivery."""
        ...


# --- the counterparty's usage data ----------------------------------------------------


class UsageStore(Protocol):
    def change_consumption(
        self, account_id: str, site_id: str, period_start: date, new: Consumption | None
    ) -> bool:
        """Write (or, with None, delete) one record and move the account's consumption per
        year by the difference, atomically; False when there was nothing to delete.
        Raises `common.errors.Conflict` when the record keeps changing concurrently."""
        ...

    def put_target(self, account_id: str, target: Target) -> None: ...

    def delete_target(self, account_id: str, target_id: str) -> bool:
        """False when there was no such target."""
        ...
