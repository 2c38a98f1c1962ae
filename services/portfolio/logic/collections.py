"""The account's collections an entity has entries in besides its own list, named by
logic; where and how each is stored is `adapters/keys.py`'s business."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Collection(StrEnum):
    """The account's collections an entity has entries in, besides its own list."""

    FORWARD_DEALS = "forward_deals"
    """Trades with volume to deliver, by next delivery date."""
    BATCHES = "batches"
    """Certificate batches moved in, out or retired (the holdings drill-down)."""
    OPEN_INVOICES = "open_invoices"
    """Invoices still owed, by due date."""
    TRADE_INVOICES = "trade_invoices"
    """The invoices of one trade (kept with the trade)."""
    TRADE_SEARCH = "trade_search"
    """A trade, findable by any part of its reference."""
    TRADE_FILTER = "trade_filter"
    """A trade's filterable attributes only, by trade date (and by volume): what a filtered
    trade list reads, many entries per request, before reading the page's trades."""


@dataclass(frozen=True, order=True)
class MarkerKey:
    """One entry of a collection: `position` orders it inside the collection."""

    collection: Collection
    account_id: str
    position: tuple[str, ...]
