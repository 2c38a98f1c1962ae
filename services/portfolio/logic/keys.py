"""The read-model table's key layout (see ACCESS_PATTERNS.md). Pure string building."""

from __future__ import annotations

from decimal import Decimal

from services.portfolio.logic.facts import StreamId

CURRENT_SK = "CURRENT"
FACT_SK_PREFIX = "F#"
LINK_SK_PREFIX = "LINK#"

STREAM_PREFIX = {"trade": "T", "retirement": "R", "invoice": "I"}
LIST_NAME = {"trade": "TRADES", "retirement": "RETIREMENTS", "invoice": "INVOICES"}


def stream_pk(stream: StreamId) -> str:
    return f"{STREAM_PREFIX[stream.kind]}#{stream.account_id}#{stream.reference}"


def trade_pk(account_id: str, reference: str) -> str:
    return stream_pk(StreamId("trade", account_id, reference))


def fact_sk(fact_key: str) -> str:
    return f"{FACT_SK_PREFIX}{fact_key}"


def list_pk(kind: str, account_id: str) -> str:
    """GSI `bydate` / `byvolume` partition: the list of one entity kind in one account."""
    return f"A#{account_id}#{LIST_NAME[kind]}"


def agg_pk(account_id: str) -> str:
    """The account's aggregates partition: counters read by summary, holdings, financials."""
    return f"A#{account_id}#AGG"


def collection_pk(account_id: str, name: str) -> str:
    """Marker collections: FWD (forward deals), BATCHES (holdings drill-down), OPENINV."""
    return f"A#{account_id}#{name}"


def volume_sort_key(volume: Decimal, reference: str) -> str:
    """Lexicographically sortable volume (MWh, 3 decimals, up to 10^12)."""
    milli = int((volume * 1000).to_integral_value())
    return f"{milli:016d}#{reference}"
