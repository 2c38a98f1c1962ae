"""Read-side rules: holdings buckets, invoice status, coverage against targets, cursors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from services.portfolio.logic import keys
from services.portfolio.logic.cursor import CursorSigner, InvalidCursor, query_fingerprint
from services.portfolio.logic.folds import expiry_for, invoice_status
from services.portfolio.logic.projector import apply_fact
from services.portfolio.logic.views import (
    coverage_by_year,
    group_holdings,
    lot_buckets,
    target_share_for,
    trade_detail,
)
from tests.unit.portfolio import portfolio_factories as make
from tests.unit.portfolio.portfolio_memory_store import MemoryStore

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 22)


def lot(
    registry: str, vintage: str = "2026-06", scheme: str = "GO", **amounts: str
) -> dict[str, Any]:
    return {
        "scheme": scheme,
        "registry_account": registry,
        "technology": "T020001",
        "country": "NL",
        "vintage": vintage,
        "expires_on": expiry_for(scheme, vintage),
        **{k: Decimal(v) for k, v in amounts.items()},
    }


def test_go_certificates_expire_twelve_months_after_their_vintage() -> None:
    assert expiry_for("GO", "2025-12") == "2027-01-01"
    assert expiry_for("I-REC", "2025-12") == "-"


def test_retired_volume_comes_out_of_the_registry_lots_and_nothing_goes_negative() -> None:
    rows = lot_buckets(
        [
            lot("REG-1", delivered_in="100", delivered_out="120"),
            lot("REG-2", delivered_in="50"),
            lot("-", retired="70"),
            lot("REG-1", vintage="2024-01", delivered_in="10"),
        ],
        TODAY,
    )
    totals = group_holdings(rows, [])["totals"]
    assert totals == {
        "contracted_undelivered": 0,
        "active": 0,
        "retired": Decimal(70),
        "expired": Decimal(10),
    }
    assert all(row[b] >= 0 for row in rows for b in ("active", "retired", "expired"))
    by_registry = group_holdings(rows, ["registry_account"])["groups"]
    assert [(g["key"]["registry_account"], g["retired"]) for g in by_registry] == [
        ("-", Decimal(20)),
        ("REG-1", Decimal(0)),
        ("REG-2", Decimal(50)),
    ]


def test_invoice_status() -> None:
    due = date(2026, 12, 1)
    assert invoice_status(Decimal(100), Decimal(100), due, TODAY) == "paid"
    assert invoice_status(Decimal(100), Decimal(40), due, TODAY) == "partially_paid"
    assert invoice_status(Decimal(100), Decimal(0), due, TODAY) == "issued"
    assert invoice_status(Decimal(100), Decimal(40), date(2026, 11, 21), TODAY) == "overdue"


def test_coverage_and_target_path() -> None:
    target = {
        "target_id": "re100",
        "name": "RE100",
        "base_year": 2020,
        "base_renewable_share_percent": "20",
        "target_year": 2030,
        "target_renewable_share_percent": "100",
        "milestones": [{"year": 2025, "renewable_share_percent": "50"}],
    }
    assert target_share_for(target, 2019) is None
    assert target_share_for(target, 2025) == Decimal(50)
    assert target_share_for(target, 2028) == Decimal("80.00")
    assert target_share_for(target, 2035) == Decimal(100)
    rows = coverage_by_year({2026: Decimal(30)}, {2026: Decimal(120), 2027: Decimal(10)}, [target])
    assert [(r["year"], r["coverage_percent"]) for r in rows] == [
        (2026, Decimal("25.00")),
        (2027, Decimal("0.00")),
    ]
    assert coverage_by_year({2026: Decimal(5)}, {}, [])[0]["coverage_percent"] is None


def test_cursor_is_bound_and_signed() -> None:
    signer = CursorSigner(b"k" * 32)
    fingerprint = query_fingerprint("trades", {"side": "buy"})
    cursor = signer.encode({"pk": "x"}, account_id="a", subject="s", fingerprint=fingerprint)
    assert signer.decode(cursor, account_id="a", subject="s", fingerprint=fingerprint) == {
        "pk": "x"
    }
    for account, subject, other in (
        ("b", "s", fingerprint),
        ("a", "t", fingerprint),
        ("a", "s", "q"),
    ):
        with pytest.raises(InvalidCursor):
            signer.decode(cursor, account_id=account, subject=subject, fingerprint=other)
    with pytest.raises(InvalidCursor):
        CursorSigner(b"o" * 32).decode(cursor, account_id="a", subject="s", fingerprint=fingerprint)
    with pytest.raises(InvalidCursor):
        signer.decode("garbage", account_id="a", subject="s", fingerprint=fingerprint)
    with pytest.raises(ValueError, match="32 bytes"):
        CursorSigner(b"short")


def test_trade_detail_is_only_given_for_the_trades_own_account() -> None:
    store = MemoryStore()
    for data in (
        make.trade("acct-a", "T-1"),
        make.trade("acct-a", "T-1", 2, status="amended", volume="120"),
        make.delivery("acct-a", "T-1", "D-1", 40),
    ):
        apply_fact(store, make.fact(data))
    pk = keys.trade_pk("acct-a", "T-1")
    items = [item for (item_pk, _), item in sorted(store.items.items()) if item_pk == pk]

    detail = trade_detail(items, "acct-a", TODAY)

    assert detail is not None
    assert [v["version"] for v in detail["versions"]] == [1, 2]
    assert [d["reference"] for d in detail["deliveries"]] == ["D-1"]
    assert trade_detail(items, "acct-b", TODAY) is None
