"""Read-side rules: holdings buckets, invoice status, coverage against targets, cursors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.access import AccessFacts, AccessGuard, AccountStatus, UserPrincipal
from common.errors import NotFound
from services.portfolio.adapters import keys
from services.portfolio.logic.billing import invoice_status
from services.portfolio.logic.cursor import CursorSigner, InvalidCursor, query_fingerprint
from services.portfolio.logic.holdings import group_holdings, lot_positions
from services.portfolio.logic.ports import TradeHistory
from services.portfolio.logic.projection import expiry_for
from services.portfolio.logic.projector import apply_fact
from services.portfolio.logic.queries.context import Reads
from services.portfolio.logic.queries.trades import trade_detail
from services.portfolio.logic.targets import coverage_by_year, target_share_for
from services.portfolio.models.domain import Lot, Target, Trade
from services.portfolio.models.views import Buckets
from tests.support.access_fakes import InMemoryAssignments
from tests.unit.portfolio import portfolio_factories as make
from tests.unit.portfolio.portfolio_memory_store import MemoryStore

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 22)


def lot(registry: str, vintage: str = "2026-06", scheme: str = "GO", **amounts: str) -> Lot:
    """A lot as the aggregate partition stores it (no registry account: "-")."""
    return Lot.model_validate(
        {
            "scheme": scheme,
            "registry_account": registry,
            "technology": "T020001",
            "country": "NL",
            "vintage": vintage,
            "expires_on": expiry_for(scheme, vintage),
            **{k: Decimal(v) for k, v in amounts.items()},
        }
    )


def test_go_certificates_expire_twelve_months_after_their_vintage() -> None:
    assert expiry_for("GO", "2025-12") == "2027-01-01"
    assert expiry_for("I-REC", "2025-12") == "-"


def test_retired_volume_comes_out_of_the_registry_lots_and_nothing_goes_negative() -> None:
    positions = lot_positions(
        [
            lot("REG-1", delivered_in="100", delivered_out="120"),
            lot("REG-2", delivered_in="50"),
            lot("-", retired="70"),
            lot("REG-1", vintage="2024-01", delivered_in="10"),
        ],
        TODAY,
    )
    totals = group_holdings(positions, []).totals
    assert totals == Buckets(
        contracted_undelivered=Decimal(0),
        active=Decimal(0),
        retired=Decimal(70),
        expired=Decimal(10),
    )
    assert all(
        getattr(p.buckets, b) >= 0 for p in positions for b in ("active", "retired", "expired")
    )
    by_registry = group_holdings(positions, ["registry_account"]).groups
    assert [(g.key.registry_account, g.buckets.retired) for g in by_registry] == [
        (None, Decimal(20)),
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
    target = Target.model_validate(
        {
            "target_id": "re100",
            "name": "RE100",
            "base_year": 2020,
            "base_renewable_share_percent": "20",
            "target_year": 2030,
            "target_renewable_share_percent": "100",
            "milestones": [{"year": 2025, "renewable_share_percent": "50"}],
        }
    )
    assert target_share_for(target, 2019) is None
    assert target_share_for(target, 2025) == Decimal(50)
    assert target_share_for(target, 2028) == Decimal("80.00")
    assert target_share_for(target, 2035) == Decimal(100)
    rows = coverage_by_year({2026: Decimal(30)}, {2026: Decimal(120), 2027: Decimal(10)}, [target])
    assert [(r.year, r.coverage_percent) for r in rows] == [
        (2026, Decimal("25.00")),
        (2027, Decimal("0.00")),
    ]
    assert coverage_by_year({2026: Decimal(5)}, {}, [])[0].coverage_percent is None


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
    for edited in (cursor + "==", cursor + "!!", cursor.replace(".", "==.", 1)):
        with pytest.raises(InvalidCursor):  # another spelling of the same bytes
            signer.decode(edited, account_id="a", subject="s", fingerprint=fingerprint)
    with pytest.raises(ValueError, match="32 bytes"):
        CursorSigner(b"short")


class OneTradeStore:
    """A read model answering every account with the same trade partition (as a store
    would if a reference contained the key separator)."""

    def __init__(self, history: TradeHistory) -> None:
        self.history = history

    def trade_history(self, account_id: str, reference: str) -> TradeHistory:
        return self.history


class EveryoneMayRead:
    def facts(self, account_id: str, subject: str) -> AccessFacts:
        return AccessFacts(AccountStatus.ACTIVE, frozenset({"trades:read"}))


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
    history = TradeHistory(
        current=Trade.model_validate(next(i for i in items if i["sk"] == keys.CURRENT_SK)),
        facts=store.load(make.fact(make.trade("acct-a", "T-1")).stream).facts,
        invoices=[],
    )
    reads = Reads(
        guard=AccessGuard(EveryoneMayRead()),
        store=OneTradeStore(history),  # type: ignore[arg-type]
        signer=lambda: CursorSigner(b"k" * 32),
        today=lambda: TODAY,
        assignments=InMemoryAssignments(),
    )
    caller = UserPrincipal(sub="alice", username="alice", claims={})

    detail, _ = trade_detail(reads, caller, "acct-a", "T-1")

    assert [v.version for v in detail.versions] == [1, 2]
    assert [d.reference for d in detail.deliveries] == ["D-1"]
    with pytest.raises(NotFound):
        trade_detail(reads, caller, "acct-b", "T-1")
