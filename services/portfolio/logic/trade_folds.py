"""Folding a trade's facts: its versions and its deliveries (see `folds.py` for the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from contracts.events import provisioning as prov
from services.portfolio.logic.collections import Collection, MarkerKey
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.projection import (
    TRADE_FILTER_FIELDS,
    ZERO,
    Counter,
    Projection,
    add_amounts,
    batch_marker,
    joined,
    lot_key,
)


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
    technology = joined(trade.technologies)
    country = joined(trade.countries)
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
    add_amounts(
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
        add_amounts(counters, key, dims, contracted=outstanding)
    if outstanding > ZERO:
        add_amounts(
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
                add_amounts(counters, key, dims, delivered_in=quantity)
            else:
                add_amounts(counters, key, dims, delivered_out=quantity)
            position = ("delivery", delivery.reference, f"{index:04d}")
            markers[MarkerKey(Collection.BATCHES, account, position)] = batch_marker(
                dims,
                batch,
                movement="in" if incoming else "out",
                source_reference=delivery.reference,
                trade_reference=trade.reference,
                moved_on=delivery.delivery_date,
            )
    return Projection(current, counters, markers, trade.version, facet=status)
