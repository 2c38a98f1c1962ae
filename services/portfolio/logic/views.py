"""Read-side derivations: holdings buckets and groups, invoice status, coverage, summary,
trade detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from services.portfolio.logic import keys
from services.portfolio.logic.facts import Fact
from services.portfolio.logic.folds import ZERO, invoice_status

LOT_DIMENSIONS = ("scheme", "registry_account", "technology", "country", "vintage")
BUCKETS = ("contracted_undelivered", "active", "retired", "expired")
NO_REGISTRY = "-"


def _amount(item: dict[str, Any], name: str) -> Decimal:
    return Decimal(item.get(name, ZERO))


def lot_buckets(lots: Iterable[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Per lot: contracted-undelivered, active, retired, expired; never negative.

    Retirements do not name a registry account, so retired volume is taken from the
    same certificates' registry lots in a fixed order; any rest (certificates held
    before the portal knew them) stays on a lot without registry account.
    """
    by_certificate: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for lot in lots:
        identity = (
            lot["scheme"],
            lot["technology"],
            lot["country"],
            lot["vintage"],
            lot["expires_on"],
        )
        by_certificate[identity].append(lot)
    result = []
    for identity in sorted(by_certificate):
        group = sorted(by_certificate[identity], key=lambda lot: lot["registry_account"])
        to_retire = sum((_amount(lot, "retired") for lot in group), ZERO)
        for lot in group:
            held = max(_amount(lot, "delivered_in") - _amount(lot, "delivered_out"), ZERO)
            retired = min(held, to_retire) if lot["registry_account"] != NO_REGISTRY else ZERO
            to_retire -= retired
            remaining = held - retired
            expired = lot["expires_on"] != "-" and date.fromisoformat(lot["expires_on"]) <= today
            row = {dim: lot[dim] for dim in (*LOT_DIMENSIONS, "expires_on")}
            row |= {
                "contracted_undelivered": max(_amount(lot, "contracted"), ZERO),
                "active": ZERO if expired else remaining,
                "retired": retired,
                "expired": remaining if expired else ZERO,
            }
            result.append(row)
        if to_retire > ZERO:
            scheme, technology, country, vintage, expires_on = identity
            result.append(
                {
                    "scheme": scheme,
                    "registry_account": NO_REGISTRY,
                    "technology": technology,
                    "country": country,
                    "vintage": vintage,
                    "expires_on": expires_on,
                    "contracted_undelivered": ZERO,
                    "active": ZERO,
                    "retired": to_retire,
                    "expired": ZERO,
                }
            )
    return [row for row in result if any(row[b] > ZERO for b in BUCKETS)]


def group_holdings(rows: Sequence[dict[str, Any]], group_by: Sequence[str]) -> dict[str, Any]:
    groups: dict[tuple[str, ...], dict[str, Decimal]] = {}
    for row in rows:
        key = tuple(row[dim] for dim in group_by)
        sums = groups.setdefault(key, dict.fromkeys(BUCKETS, ZERO))
        for bucket in BUCKETS:
            sums[bucket] += row[bucket]
    totals = {bucket: sum((row[bucket] for row in rows), ZERO) for bucket in BUCKETS}
    return {
        "group_by": list(group_by),
        "groups": [
            {"key": dict(zip(group_by, key, strict=True)), **sums}
            for key, sums in sorted(groups.items())
        ],
        "totals": totals,
    }


def invoice_view(item: dict[str, Any], today: date) -> dict[str, Any]:
    view = dict(item)
    if item.get("document_type") == "credit_note":
        view["status"] = "credit_note"
    else:
        view["status"] = invoice_status(
            _amount(item, "gross_amount"),
            _amount(item, "paid_amount"),
            date.fromisoformat(item["due_date"]),
            today,
        )
    return view


def currency_totals(
    counters: Iterable[dict[str, Any]], open_invoices: Iterable[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Decimal]] = {}
    for counter in counters:
        invoiced, credited, paid = (
            _amount(counter, "invoiced"),
            _amount(counter, "credited"),
            _amount(counter, "paid"),
        )
        totals[counter["currency"]] = {
            "invoiced": invoiced,
            "credited": credited,
            "paid": paid,
            "outstanding": max(invoiced - paid, ZERO),
            "overdue": ZERO,
            "overdue_count": ZERO,
        }
    for invoice in open_invoices:
        if date.fromisoformat(invoice["due_date"]) < today:
            entry = totals.setdefault(
                invoice["currency"],
                dict.fromkeys(
                    ("invoiced", "credited", "paid", "outstanding", "overdue", "overdue_count"),
                    ZERO,
                ),
            )
            entry["overdue"] += _amount(invoice, "outstanding_amount")
            entry["overdue_count"] += 1
    return [{"currency": c, **amounts} for c, amounts in sorted(totals.items())]


def target_share_for(target: dict[str, Any], year: int) -> Decimal | None:
    """The renewable share the target asks for in `year`: a milestone, else linear."""
    milestones = {
        int(m["year"]): Decimal(m["renewable_share_percent"]) for m in target.get("milestones", [])
    }
    points = {
        int(target["base_year"]): Decimal(target["base_renewable_share_percent"]),
        **milestones,
        int(target["target_year"]): Decimal(target["target_renewable_share_percent"]),
    }
    if year in points:
        return points[year]
    years = sorted(points)
    if year < years[0]:
        return None
    if year > years[-1]:
        return points[years[-1]]
    lower = max(y for y in years if y < year)
    upper = min(y for y in years if y > year)
    share = points[lower] + (points[upper] - points[lower]) * (year - lower) / (upper - lower)
    return share.quantize(Decimal("0.01"))


def coverage_by_year(
    retired_by_year: dict[int, Decimal],
    consumption_by_year: dict[int, Decimal],
    targets: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Renewable coverage % = retired MWh for the year / consumption of the year."""
    rows = []
    for year in sorted(set(retired_by_year) | set(consumption_by_year)):
        consumption = consumption_by_year.get(year, ZERO)
        retired = retired_by_year.get(year, ZERO)
        coverage = (
            (retired / consumption * 100).quantize(Decimal("0.01")) if consumption > ZERO else None
        )
        rows.append(
            {
                "year": year,
                "consumption_mwh": consumption,
                "retired_mwh": retired,
                "coverage_percent": coverage,
                "targets": [
                    {
                        "target_id": target["target_id"],
                        "name": target["name"],
                        "target_percent": target_share_for(target, year),
                    }
                    for target in targets
                ],
            }
        )
    return rows


def coverage_and_targets(
    aggregates: Iterable[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Coverage per year and the targets, from the account's aggregate items."""
    aggregates = list(aggregates)
    retired = {
        int(i["year"]): Decimal(i.get("retired_mwh", 0))
        for i in aggregates
        if i["sk"].startswith("RETYR#")
    }
    consumption = {
        int(i["year"]): Decimal(i.get("consumption_mwh", 0))
        for i in aggregates
        if i["sk"].startswith("CONS#") and Decimal(i.get("consumption_mwh", 0)) > 0
    }
    targets = [i for i in aggregates if i["sk"].startswith("TARGET#")]
    return coverage_by_year(retired, consumption, targets), targets


def trades_by_year(aggregates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trade count and volume per trade-date year and status (years without trades left out)."""
    by_year: dict[str, dict[str, Any]] = {}
    for item in aggregates:
        if item["sk"].startswith("YEAR#") and Decimal(item.get("trades", 0)) > 0:
            year = by_year.setdefault(item["year"], {"year": item["year"], "by_status": {}})
            year["by_status"][item["status"]] = {
                "trades": item["trades"],
                "volume_mwh": item.get("volume_mwh", Decimal(0)),
            }
    return [by_year[y] for y in sorted(by_year)]


def _fact_summary(fact: Fact) -> dict[str, Any]:
    data = fact.data.model_dump(
        mode="json", exclude={"account_id", "publisher_id", "counterparty_reference"}
    )
    return {"detail_type": fact.detail_type, "occurred_at": fact.occurred_at.isoformat(), **data}


def trade_detail(
    items: Sequence[dict[str, Any]], account_id: str, today: date
) -> dict[str, Any] | None:
    """A trade with its versions, deliveries and invoices, from the items of its partition;
    None when the trade is unknown, held, or not `account_id`'s (the partition key already
    starts with the account: this holds even if a reference contained the separator)."""
    current = next((i for i in items if i["sk"] == keys.CURRENT_SK), None)
    if current is None or current.get("held") or current.get("account_id") != account_id:
        return None
    facts = [Fact.from_record(i["fact"]) for i in items if i["sk"].startswith(keys.FACT_SK_PREFIX)]
    versions = sorted(
        (f for f in facts if f.detail_type.startswith("Trade")), key=lambda f: f.version
    )
    deliveries: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.detail_type.startswith("Delivery"):
            deliveries.setdefault(fact.data.reference, []).append(fact)
    return {
        "trade": current,
        "versions": [_fact_summary(f) for f in versions],
        "deliveries": [
            {
                **_fact_summary(max(history, key=lambda f: f.version)),
                "history": [
                    {"version": f.version, "status": f.data.model_dump().get("status")}
                    for f in sorted(history, key=lambda f: f.version)
                ],
            }
            for _, history in sorted(deliveries.items())
        ],
        "invoices": [
            invoice_view({**i, "paid_amount": i["gross_amount"] - i["outstanding_amount"]}, today)
            for i in items
            if i["sk"].startswith(f"{keys.LINK_SK_PREFIX}INV#")
        ],
    }
