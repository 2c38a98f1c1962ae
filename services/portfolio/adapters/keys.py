"""The read-model table's layout (see ACCESS_PATTERNS.md): every key and index attribute
the portfolio writes is built here. Pure string building."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from common.sortable_time import sortable_instant
from services.portfolio.logic.billing import DUE_COUNTER_PREFIX
from services.portfolio.logic.collections import Collection, MarkerKey
from services.portfolio.logic.facts import StreamId

CURRENT_SK = "CURRENT"
FACT_SK_PREFIX = "F#"
LINK_SK_PREFIX = "LINK#INV#"
MARKER_ID_SEPARATOR = "|"

STREAM_PREFIX = {"trade": "T", "retirement": "R", "invoice": "I"}
LIST_NAME = {"trade": "TRADES", "retirement": "RETIREMENTS", "invoice": "INVOICES"}
COLLECTION_NAME = {
    Collection.FORWARD_DEALS: "FWD",
    Collection.BATCHES: "BATCHES",
    Collection.OPEN_INVOICES: "OPENINV",
    Collection.TRADE_SEARCH: "TRADESEARCH",
    Collection.TRADE_FILTER: "TRADEFILTER",
}
BATCH_SOURCE = {"delivery": "D", "retirement": "R"}

BY_DATE = "bydate"
BY_VOLUME = "byvolume"
BY_FACET = "byfacet"
INDEX_KEYS: dict[str | None, tuple[str, str]] = {
    None: ("pk", "sk"),
    BY_DATE: ("gsi1pk", "gsi1sk"),
    BY_VOLUME: ("gsi2pk", "gsi2sk"),
    BY_FACET: ("gsi3pk", "gsi3sk"),
}


def stream_pk(stream: StreamId) -> str:
    return f"{STREAM_PREFIX[stream.kind]}#{stream.account_id}#{stream.reference}"


def trade_pk(account_id: str, reference: str) -> str:
    return stream_pk(StreamId("trade", account_id, reference))


def fact_sk(fact_key: str) -> str:
    return f"{FACT_SK_PREFIX}{fact_key}"


def list_pk(kind: str, account_id: str) -> str:
    """GSI `bydate` / `byvolume` partition: the list of one entity kind in one account."""
    return f"A#{account_id}#{LIST_NAME[kind]}"


def facet_pk(kind: str, account_id: str, facet: str) -> str:
    """GSI `byfacet` partition: the entities of one kind with one facet value."""
    return f"{list_pk(kind, account_id)}#{facet}"


def agg_pk(account_id: str) -> str:
    """The account's aggregates partition: counters read by summary, holdings, financials."""
    return f"A#{account_id}#AGG"


def due_pk(account_id: str) -> str:
    """The account's due-date counters (`DUE#<due date>#<currency>`), apart from the other
    aggregates so that reading those never grows with the number of due dates."""
    return f"A#{account_id}#DUE"


def counter_pk(account_id: str, name: str) -> str:
    """Where the counter named `name` lives."""
    return due_pk(account_id) if name.startswith(DUE_COUNTER_PREFIX) else agg_pk(account_id)


ACTIVITY_SK_PREFIX = "LAST#"
"""`A#<acct>#AGG`, `LAST#<stream kind>`: when the account's newest fact of that kind
occurred (`at`, UTC, fixed width so strings compare in time order)."""


def activity_sk(kind: str) -> str:
    return f"{ACTIVITY_SK_PREFIX}{kind}"


def activity_at(moment: datetime) -> str:
    """A fixed-width UTC form: compared as strings, later is greater."""
    return sortable_instant(moment)


def collection_pk(account_id: str, collection: Collection) -> str:
    return f"A#{account_id}#{COLLECTION_NAME[collection]}"


def date_sort_key(day: str, reference: str) -> str:
    return f"{day}#{reference}"


def volume_sort_key(volume: Decimal, reference: str) -> str:
    """Lexicographically sortable volume (MWh, 3 decimals, up to 10^12)."""
    milli = int((volume * 1000).to_integral_value())
    return f"{milli:016d}#{reference}"


def marker_keys(key: MarkerKey) -> Iterator[tuple[str, str]]:
    """The items (pk, sk) one collection entry is stored as.

    A trade's search entry is one item per suffix of its lower-cased reference, so "the
    reference contains q" is "some item's sort key begins with q": an exact key condition.
    """
    if key.collection is Collection.TRADE_INVOICES:
        trade_reference, invoice_reference = key.position
        yield trade_pk(key.account_id, trade_reference), f"{LINK_SK_PREFIX}{invoice_reference}"
    elif key.collection is Collection.TRADE_SEARCH:
        (reference,) = key.position
        pk = collection_pk(key.account_id, Collection.TRADE_SEARCH)
        for suffix in reference_suffixes(reference):
            yield pk, f"{suffix}#{reference}"
    elif key.collection is Collection.BATCHES:
        source, reference, index = key.position
        yield (
            collection_pk(key.account_id, key.collection),
            (f"{BATCH_SOURCE[source]}#{reference}#{index}"),
        )
    else:
        yield collection_pk(key.account_id, key.collection), "#".join(key.position)


def marker_index_attributes(key: MarkerKey, content: dict[str, Any]) -> dict[str, str]:
    """A trade's filter entries are also listed by volume (in the `byvolume` index, under
    their own partition)."""
    if key.collection is not Collection.TRADE_FILTER:
        return {}
    reference = key.position[-1]
    return {
        "gsi2pk": collection_pk(key.account_id, key.collection),
        "gsi2sk": volume_sort_key(Decimal(content["volume_mwh"]), reference),
    }


def reference_suffixes(reference: str) -> list[str]:
    lowered = reference.lower()
    return sorted({lowered[start:] for start in range(len(lowered))})


def marker_id(key: MarkerKey) -> str:
    """How the entity's stored contribution names the entry: `pk|sk` of its (first) item,
    or `pk|reference` for a search entry (its items follow from the reference)."""
    if key.collection is Collection.TRADE_SEARCH:
        pk = collection_pk(key.account_id, Collection.TRADE_SEARCH)
        return f"{pk}{MARKER_ID_SEPARATOR}{key.position[0]}"
    pk, sk = next(marker_keys(key))
    return f"{pk}{MARKER_ID_SEPARATOR}{sk}"


def items_of_marker_id(stored: str) -> list[tuple[str, str]]:
    """The items a stored contribution's entry stands for (to delete them)."""
    pk, _, rest = stored.partition(MARKER_ID_SEPARATOR)
    if pk.endswith(f"#{COLLECTION_NAME[Collection.TRADE_SEARCH]}"):
        return [(pk, f"{suffix}#{rest}") for suffix in reference_suffixes(rest)]
    return [(pk, rest)]
