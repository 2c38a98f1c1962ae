"""What folding an entity's facts produces (`folds.py`): its current view, its
contribution to the account's counters and its markers in other collections, and the
change between two contributions that the store applies. Shared by the folds of every
entity kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.events import provisioning as prov
from services.portfolio.logic.billing import DUE_COUNTER_PREFIX
from services.portfolio.logic.collections import MarkerKey

ZERO = Decimal(0)
TRADE_FILTER_FIELDS = (
    "side",
    "status",
    "scheme",
    "technologies",
    "countries",
    "vintage_from",
    "vintage_to",
)
"""What the trade list filters on: kept in the trade's filter entry."""
UNKNOWN_REGISTRY_ACCOUNT = "-"
"""The lot dimension of certificates retired by a RetirementCompleted v1 (it named none)."""
GO_SCHEME = "GO"
GO_VALIDITY_MONTHS = 12


@dataclass(frozen=True)
class Counter:
    """Amounts summed into one aggregate item; `dims` describe it (set, never summed)."""

    dims: dict[str, str]
    amounts: dict[str, Decimal]


@dataclass(frozen=True)
class Projection:
    current: dict[str, Any] | None
    """The entity's current view (None: held, e.g. deliveries before the trade)."""
    counters: dict[str, Counter] = field(default_factory=dict)
    """Aggregate name (`HOLD#...`, `YEAR#<yyyy>#<status>`, `CUR#<ccy>`, `RETYR#<yyyy>`,
    `FWD#<side>`) ->
    the entity's contribution to it."""
    markers: dict[MarkerKey, dict[str, Any]] = field(default_factory=dict)
    """The entity's entries in other collections, with what each shows."""
    applied_version: int = 0
    facet: str | None = None
    """The value the entity's list is indexed by: a trade's status, an invoice's facet, a
    retirement's reporting year."""


def due_counter(due_date: str, currency: str) -> str:
    """What open invoices due on one day still owe in one currency: summed up to today,
    these give the exact overdue totals at a cost set by the number of due dates, not of
    invoices (`logic/billing.py`)."""
    return f"{DUE_COUNTER_PREFIX}{due_date}#{currency}"


def add_amounts(
    counters: dict[str, Counter], key: str, dims: dict[str, str], **amounts: Decimal
) -> None:
    found = counters.get(key)
    if found is None:
        counters[key] = Counter(dims=dims, amounts=dict(amounts))
        return
    for name, amount in amounts.items():
        found.amounts[name] = found.amounts.get(name, ZERO) + amount


def expiry_for(scheme: str, vintage: str) -> str:
    """EU GOs expire 12 months after production ends (`vintage` is the end month)."""
    if scheme.upper() != GO_SCHEME:
        return "-"
    year, month = (int(part) for part in vintage.split("-"))
    months = year * 12 + month - 1 + GO_VALIDITY_MONTHS + 1
    return date(months // 12, months % 12 + 1, 1).isoformat()


def lot_key(
    scheme: str, registry_account: str, technology: str, country: str, vintage: str
) -> tuple[str, dict[str, str]]:
    expires_on = expiry_for(scheme, vintage)
    dims = {
        "scheme": scheme,
        "registry_account": registry_account,
        "technology": technology,
        "country": country,
        "vintage": vintage,
        "expires_on": expires_on,
    }
    key = "HOLD#" + "|".join(dims.values())
    return key, dims


def joined(values: Iterable[str]) -> str:
    return "+".join(sorted(values)) or "-"


def batch_marker(
    dims: dict[str, str],
    batch: prov.CertificateBatch,
    *,
    movement: str,
    source_reference: str,
    trade_reference: str | None,
    moved_on: date,
) -> dict[str, Any]:
    """One certificate batch's movement, as listed by the holdings drill-down."""
    return {
        **dims,
        "movement": movement,
        "source_reference": source_reference,
        "trade_reference": trade_reference,
        "serial_start": batch.serial_start,
        "serial_end": batch.serial_end,
        "quantity": batch.quantity,
        "device_code": batch.device_code,
        "moved_on": moved_on.isoformat(),
    }


def counted(projection: Projection) -> dict[str, dict[str, Decimal]]:
    """The amounts the projection adds to each aggregate."""
    return {name: dict(counter.amounts) for name, counter in projection.counters.items()}


@dataclass(frozen=True)
class Change:
    """The counter deltas that turn the previous projection's contribution into the new one
    (the store adds them to the shared aggregates, so each change counts exactly once)."""

    counter_deltas: dict[str, dict[str, Decimal]]


def change_between(previous: Mapping[str, Mapping[str, Decimal]], projection: Projection) -> Change:
    new = counted(projection)
    deltas: dict[str, dict[str, Decimal]] = {}
    for key in sorted(set(previous) | set(new)):
        before = previous.get(key, {})
        after = new.get(key, {})
        delta = {
            name: after.get(name, ZERO) - before.get(name, ZERO)
            for name in sorted(set(before) | set(after))
        }
        delta = {name: amount for name, amount in delta.items() if amount != ZERO}
        if delta:
            deltas[key] = delta
    return Change(deltas)
