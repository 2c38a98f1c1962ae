"""Issue 12 acceptance on `make run`'s runtime: for both demo accounts, holdings, batches,
retirements and the reconciliation view read through the public API add up exactly, and
each account shows a late delivery and an overdue invoice, with nothing dated after today."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from infra.local.demo import provisioning as demo_provisioning
from infra.local.demo.book import demo_dataset

from .test_portfolio_on_runtime import (
    ACCOUNT_A,
    ACCOUNT_B,
    VISIBILITY_DEADLINE_SECONDS,
    Portal,
    _json,
    book_visible,
    list_all,
    portal,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
__all__ = ["book_visible", "portal"]  # the fixtures this module uses
DIMENSIONS = ("scheme", "registry_account", "technology", "country", "vintage")


def expected_flows(accounts: list[str]) -> dict[int, dict[str, int]]:
    """In, out and retired per demo account (by position), from the book the demo pushed."""
    today = datetime.now(UTC).date()
    references = [f"STX-CP-{n + 1:04d}" for n in range(len(accounts))]
    data = demo_dataset(references, demo_provisioning.TRADES_PER_ACCOUNT, today=today)
    sides = {t["reference"]: t["side"] for t in data["trades"]}
    flows: dict[int, dict[str, int]] = defaultdict(lambda: {"in": 0, "out": 0, "retired": 0})
    for d in data["deliveries"]:
        if d["status"] == "completed":
            position = references.index(d["counterparty_reference"])
            flows[position]["in" if sides[d["trade_reference"]] == "buy" else "out"] += d[
                "volume_mwh"
            ]
    for r in data["retirements"]:
        flows[references.index(r["counterparty_reference"])]["retired"] += r["volume_mwh"]
    return flows


def _lot(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row[name]) for name in DIMENSIONS)


def test_holdings_batches_and_retirements_reconcile_through_the_api(book_visible: Portal) -> None:
    names = list(book_visible.accounts)
    flows = expected_flows(names)
    today = datetime.now(UTC).date().isoformat()
    for name in (ACCOUNT_A, ACCOUNT_B):
        account_id = book_visible.accounts[name]
        admin = book_visible.portfolio("admin", name)
        base = f"/v1/accounts/{account_id}"
        wanted = flows[names.index(name)]

        def projected(admin: Any = admin, base: str = base, wanted: Any = wanted) -> bool:
            moved = {"in": 0, "out": 0, "retired": 0}
            for row in list_all(admin, f"{base}/holdings/batches"):
                moved[row["movement"]] += row["quantity"]
            return bool(moved == wanted)

        wait_until(projected, VISIBILITY_DEADLINE_SECONDS, f"{name}'s deliveries projected")

        batches = list_all(admin, f"{base}/holdings/batches")
        by_lot: dict[tuple[str, ...], int] = defaultdict(int)
        retired_by_lot: dict[tuple[str, ...], int] = defaultdict(int)
        for row in batches:
            sign = 1 if row["movement"] == "in" else -1
            by_lot[_lot(row)] += sign * row["quantity"]
            if row["movement"] == "retired":
                retired_by_lot[_lot(row)] += row["quantity"]
        assert all(held >= 0 for held in by_lot.values()), name

        holdings = _json(admin.get(f"{base}/holdings", params={"group_by": ",".join(DIMENSIONS)}))
        for group in holdings["groups"]:
            lot = _lot(group["key"])
            held = Decimal(group["active"]) + Decimal(group["expired"])
            assert held == by_lot.get(lot, 0), (name, lot)
            assert Decimal(group["retired"]) == retired_by_lot.get(lot, 0), (name, lot)
        assert (
            Decimal(holdings["totals"]["active"]) + Decimal(holdings["totals"]["expired"])
            == wanted["in"] - wanted["out"] - wanted["retired"]
        )

        retirements = list_all(admin, f"{base}/retirements")
        assert sum(Decimal(r["volume_mwh"]) for r in retirements) == wanted["retired"]
        assert all(r["registry_account"] and r["retired_on"] <= today for r in retirements)

        view = _json(admin.get(f"{base}/holdings/reconciliation"))
        assert view["reconciled"]
        assert view["unreconciled_lots"] == []
        for lot in view["lots"]:
            assert lot["opening"] == 0
            assert lot["closing"] == lot["delivered_in"] - lot["delivered_out"] - lot["retired"]
            assert lot["closing"] == by_lot[_lot(lot["key"])]
        half = _json(
            admin.get(f"{base}/holdings/reconciliation", params={"date_from": "2026-06-01"})
        )
        for lot in half["lots"]:
            assert lot["reconciled"]
            flow = lot["opening"] + lot["delivered_in"] - lot["delivered_out"] - lot["retired"]
            assert flow == lot["closing"]

        summary = _json(admin.get(f"{base}/summary"))
        assert summary["reconciliation"] == {"reconciled": True, "lot": None, "problem": None}
        assert summary["overdue_invoices"], name
        late = [d for d in list_all(admin, f"{base}/forward-deals") if d["late"]]
        assert late, name
        assert all(d["next_delivery_date"] < today for d in late)
