"""Folding an entity's set of facts into its projection: current view, counters, markers.

`fold(stream, facts)` depends only on the SET of facts (versions are sorted, duplicates
are one fact), so any delivery order with any duplicates gives the same result:

- trades: the highest version's snapshot wins; a cancellation is terminal (versions after
  it are ignored); an amendment that arrives before its trade carries the whole trade
  snapshot, so it is applied as is and the earlier version fills the history later.
  Deliveries that arrive before their trade are kept and counted once it arrives.
- deliveries: the highest version per delivery reference wins; completed ones count
  toward the trade's delivered volume (capped at the traded volume).
- retirements and invoices: the highest version wins.

Counters are summed per account by the store (only the change between the previous
and the new projection is applied); markers are the entity's entries in the account's
other collections (forward deals, holdings batches, open invoices, trade -> invoice
links, the trade reference search). Where and how the store keeps them is the adapters'
business (`adapters/keys.py`): logic names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from contracts.events import provisioning as prov
from services.portfolio.logic.billing import invoice_facet
from services.portfolio.logic.collections import Collection, MarkerKey
from services.portfolio.logic.facts import Fact, StreamId

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
DataT = TypeVar("DataT", prov.RetirementCompleted, prov.Invoice)


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


def _add(counters: dict[str, Counter], key: str, dims: dict[str, str], **amounts: Decimal) -> None:
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


def _joined(values: Iterable[str]) -> str:
    return "+".join(sorted(values)) or "-"


def fold(stream: StreamId, facts: Iterable[Fact]) -> Projection:
    facts = list(facts)
    if stream.kind == "trade":
        return fold_trade(stream, facts)
    if stream.kind == "retirement":
        return fold_retirement(stream, facts)
    return fold_invoice(stream, facts)


def _latest_deliveries(facts: list[Fact]) -> list[prov.Delivery]:
    latest: dict[str, prov.Delivery] = {}
    for fact in facts:
        if isinstance(fact.data, prov.Delivery):
            known = latest.get(fact.data.reference)
            if known is None or fact.version > known.version:
                latest[fact.data.reference] = fact.data
    return [latest[ref] for ref in sorted(latest)]


def effective_trade_versions(facts: list[Fact]) -> list[Fact]:
    """Trade versions in order, dropping anything after the first cancellation."""
    versions: dict[int, Fact] = {}
    for fact in facts:
        if isinstance(fact.data, prov.Trade) and fact.version not in versions:
            versions[fact.version] = fact
    effective = []
    for version in sorted(versions):
        effective.append(versions[version])
        data = versions[version].data
        if isinstance(data, prov.Trade) and data.status == "cancelled":
            break
    return effective


def trade_status(trade: prov.Trade, delivered: Decimal, has_amendments: bool) -> str:
    if trade.status == "cancelled":
        return "cancelled"
    if delivered >= trade.volume_mwh:
        return "delivered"
    if delivered > ZERO:
        return "partially_delivered"
    return "amended" if has_amendments else "executed"


def fold_trade(stream: StreamId, facts: list[Fact]) -> Projection:
    versions = effective_trade_versions(facts)
    deliveries = _latest_deliveries(facts)
    if not versions:
        return Projection(current=None)
    trade = versions[-1].data
    assert isinstance(trade, prov.Trade)
    completed = [d for d in deliveries if d.status == "completed"]
    delivered = min(sum((d.volume_mwh for d in completed), ZERO), trade.volume_mwh)
    cancelled = trade.status == "cancelled"
    outstanding = ZERO if cancelled else trade.volume_mwh - delivered
    status = trade_status(trade, delivered, len(versions) > 1)
    account = stream.account_id
    technology = _joined(trade.technologies)
    country = _joined(trade.countries)
    current: dict[str, Any] = {
        "reference": trade.reference,
        "account_id": account,
        "version": trade.version,
        "status": status,
        "side": trade.side,
        "trade_date": trade.trade_date.isoformat(),
        "scheme": trade.scheme,
        "volume_mwh": trade.volume_mwh,
        "unit_price": trade.unit_price,
        "currency": trade.currency,
        "total": trade.total,
        "countries": sorted(trade.countries),
        "technologies": sorted(trade.technologies),
        "vintage_from": trade.vintage_from,
        "vintage_to": trade.vintage_to,
        "delivery_date": trade.delivery_date.isoformat(),
        "registry_account": trade.registry_account,
        "payment_due_date": trade.payment_due_date.isoformat(),
        "delivered_mwh": delivered,
        "outstanding_mwh": outstanding,
        "cancellation_reason": trade.cancellation_reason,
    }
    counters: dict[str, Counter] = {}
    year = str(trade.trade_date.year)
    _add(
        counters,
        f"YEAR#{year}#{status}",
        {"year": year, "status": status},
        trades=Decimal(1),
        volume_mwh=trade.volume_mwh,
    )
    by_date = (trade.trade_date.isoformat(), trade.reference)
    markers: dict[MarkerKey, dict[str, Any]] = {
        MarkerKey(Collection.TRADE_SEARCH, account, (trade.reference,)): {
            "reference": trade.reference,
            "trade_date": trade.trade_date.isoformat(),
            "volume_mwh": trade.volume_mwh,
        },
        MarkerKey(Collection.TRADE_FILTER, account, by_date): {
            "reference": trade.reference,
            "trade_date": trade.trade_date.isoformat(),
            "volume_mwh": trade.volume_mwh,
            **{name: current[name] for name in TRADE_FILTER_FIELDS},
        },
    }
    if trade.side == "buy" and outstanding > ZERO:
        key, dims = lot_key(
            trade.scheme, trade.registry_account, technology, country, trade.vintage_to
        )
        _add(counters, key, dims, contracted=outstanding)
    if outstanding > ZERO:
        _add(
            counters,
            f"FWD#{trade.side}",
            {"side": trade.side},
            deals=Decimal(1),
            outstanding_mwh=outstanding,
        )
        forward = (trade.delivery_date.isoformat(), trade.reference)
        markers[MarkerKey(Collection.FORWARD_DEALS, account, forward)] = {
            "reference": trade.reference,
            "side": trade.side,
            "scheme": trade.scheme,
            "contracted_mwh": trade.volume_mwh,
            "delivered_mwh": delivered,
            "outstanding_mwh": outstanding,
            "next_delivery_date": trade.delivery_date.isoformat(),
            "registry_account": trade.registry_account,
            "status": status,
        }
    for delivery in completed:
        incoming = trade.side == "buy"
        registry = delivery.to_registry_account if incoming else delivery.from_registry_account
        for index, batch in enumerate(delivery.batches):
            key, dims = lot_key(
                delivery.scheme, registry, batch.technology, batch.country, batch.vintage
            )
            quantity = Decimal(batch.quantity)
            if incoming:
                _add(counters, key, dims, delivered_in=quantity)
            else:
                _add(counters, key, dims, delivered_out=quantity)
            position = ("delivery", delivery.reference, f"{index:04d}")
            markers[MarkerKey(Collection.BATCHES, account, position)] = _batch_marker(
                dims,
                batch,
                movement="in" if incoming else "out",
                source_reference=delivery.reference,
                trade_reference=trade.reference,
                moved_on=delivery.delivery_date,
            )
    return Projection(current, counters, markers, trade.version, facet=status)


def _latest(facts: list[Fact], model: type[DataT]) -> DataT | None:
    """The highest version's data among the facts of type `model`."""
    found = [f.data for f in facts if isinstance(f.data, model)]
    return max(found, key=lambda data: data.version, default=None)


def _batch_marker(
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


def fold_retirement(stream: StreamId, facts: list[Fact]) -> Projection:
    retirement = _latest(facts, prov.RetirementCompleted)
    if retirement is None:
        return Projection(current=None)
    account = stream.account_id
    current: dict[str, Any] = {
        "reference": retirement.reference,
        "account_id": account,
        "version": retirement.version,
        "status": "completed",
        "scheme": retirement.scheme,
        "volume_mwh": retirement.volume_mwh,
        "retired_on": retirement.retired_on.isoformat(),
        "beneficiary_name": retirement.beneficiary_name,
        "consumption_country": retirement.consumption_country,
        "consumption_period_start": retirement.consumption_period_start.isoformat(),
        "consumption_period_end": retirement.consumption_period_end.isoformat(),
        "reporting_year": retirement.reporting_year,
        "purpose": retirement.purpose,
        "registry_transaction_reference": retirement.registry_transaction_reference,
        "registry_account": retirement.registry_account,
        "batches": [b.model_dump(mode="json") for b in retirement.batches],
        "warnings": list(retirement.warnings),
    }
    counters: dict[str, Counter] = {}
    year = str(retirement.reporting_year)
    _add(counters, f"RETYR#{year}", {"year": year}, retired_mwh=retirement.volume_mwh)
    markers: dict[MarkerKey, dict[str, Any]] = {}
    # v1 retirements (upcast) did not name their registry account: their lot has none.
    registry = retirement.registry_account or UNKNOWN_REGISTRY_ACCOUNT
    for index, batch in enumerate(retirement.batches):
        key, dims = lot_key(
            retirement.scheme, registry, batch.technology, batch.country, batch.vintage
        )
        _add(counters, key, dims, retired=Decimal(batch.quantity))
        position = ("retirement", retirement.reference, f"{index:04d}")
        markers[MarkerKey(Collection.BATCHES, account, position)] = _batch_marker(
            dims,
            batch,
            movement="retired",
            source_reference=retirement.reference,
            trade_reference=None,
            moved_on=retirement.retired_on,
        )
    return Projection(
        current, counters, markers, retirement.version, facet=str(retirement.reporting_year)
    )


def fold_invoice(stream: StreamId, facts: list[Fact]) -> Projection:
    invoice = _latest(facts, prov.Invoice)
    if invoice is None:
        return Projection(current=None)
    account = stream.account_id
    paid = sum((p.amount for p in invoice.payments), ZERO)
    outstanding = max(invoice.gross_amount - paid, ZERO)
    credit = invoice.document_type == "credit_note"
    trade_refs = sorted({line.trade_reference for line in invoice.lines if line.trade_reference})
    current: dict[str, Any] = {
        "reference": invoice.reference,
        "account_id": account,
        "version": invoice.version,
        "document_type": invoice.document_type,
        "credited_invoice_reference": invoice.credited_invoice_reference,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "currency": invoice.currency,
        "net_amount": invoice.net_amount,
        "tax_amount": invoice.tax_amount,
        "gross_amount": invoice.gross_amount,
        "paid_amount": paid,
        "outstanding_amount": ZERO if credit else outstanding,
        "trade_references": trade_refs,
        "lines": [line.model_dump(mode="json") for line in invoice.lines],
        "payments": [p.model_dump(mode="json") for p in invoice.payments],
    }
    counters: dict[str, Counter] = {}
    amounts = (
        {"credited": invoice.gross_amount}
        if credit
        else {"invoiced": invoice.gross_amount, "paid": paid}
    )
    _add(counters, f"CUR#{invoice.currency}", {"currency": invoice.currency}, **amounts)
    markers: dict[MarkerKey, dict[str, Any]] = {}
    summary = {
        "reference": invoice.reference,
        "document_type": invoice.document_type,
        "currency": invoice.currency,
        "gross_amount": invoice.gross_amount,
        "outstanding_amount": current["outstanding_amount"],
        "due_date": invoice.due_date.isoformat(),
        "issue_date": invoice.issue_date.isoformat(),
    }
    if not credit and outstanding > ZERO:
        due = (invoice.due_date.isoformat(), invoice.reference)
        markers[MarkerKey(Collection.OPEN_INVOICES, account, due)] = summary
    for trade_ref in trade_refs:
        link = (trade_ref, invoice.reference)
        markers[MarkerKey(Collection.TRADE_INVOICES, account, link)] = summary
    facet = invoice_facet(invoice.document_type, current["outstanding_amount"])
    return Projection(current, counters, markers, invoice.version, facet=facet)


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
