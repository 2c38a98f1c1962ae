"""The demo book is realistic (issue 12): nothing dated after today, certificates move
between the right registry accounts, no lot ever goes below zero, every account has late
deliveries and overdue invoices, and ingest accepts it batch by batch as the demo sends it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import pytest

from infra.local.demo import provisioning as demo
from infra.local.demo.book import demo_dataset, stx_account
from services.provisioning.logic.ingest import IngestContext, ingest
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from tests.support.provisioning_fakes import InMemoryRecordStore

pytestmark = pytest.mark.unit

TODAY = date(2026, 12, 2)
ACCOUNTS = ["STX-CP-0001", "STX-CP-0002"]
HAPPENED = {
    "trades": ("trade_date",),
    "retirements": ("retired_on",),
    "invoices": ("issue_date",),
    "documents": ("issued_on",),
}


@pytest.fixture(scope="module")
def book() -> dict[str, list[dict[str, Any]]]:
    return demo_dataset(ACCOUNTS, demo.TRADES_PER_ACCOUNT, today=TODAY)


def _trades(book: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {t["reference"]: t for t in book["trades"] if t["version"] == 1}


def test_the_same_day_and_seed_give_the_same_book(book: dict[str, Any]) -> None:
    assert demo_dataset(ACCOUNTS, demo.TRADES_PER_ACCOUNT, today=TODAY) == book
    assert demo_dataset(ACCOUNTS, demo.TRADES_PER_ACCOUNT, today=date(2027, 1, 2)) != book


def test_nothing_that_happened_is_dated_after_today(book: dict[str, Any]) -> None:
    dated = [
        (kind, r[name]) for kind, names in HAPPENED.items() for r in book[kind] for name in names
    ]
    dated += [("deliveries", d["delivery_date"]) for d in book["deliveries"]]
    dated += [("payments", p["paid_on"]) for i in book["invoices"] for p in i["payments"]]
    late = [(kind, day) for kind, day in dated if day > TODAY.isoformat()]
    assert len(dated) > 8 * demo.TRADES_PER_ACCOUNT  # the whole book is looked at
    assert late == []


def test_buys_deliver_into_the_account_and_sells_out_of_it(book: dict[str, Any]) -> None:
    trades = _trades(book)
    sides = defaultdict(set)
    for delivery in book["deliveries"]:
        trade = trades[delivery["trade_reference"]]
        own, stx = trade["registry_account"], stx_account(trade["scheme"])
        expected = (stx, own) if trade["side"] == "buy" else (own, stx)
        assert (delivery["from_registry_account"], delivery["to_registry_account"]) == expected
        sides[trade["counterparty_reference"]].add(trade["side"])
    assert sides == {account: {"buy", "sell"} for account in ACCOUNTS}


def test_no_lot_goes_below_zero_at_any_date(book: dict[str, Any]) -> None:
    """Every delivery and retirement in date order; the identity per lot at each step."""
    trades = _trades(book)
    moves: list[tuple[str, int, tuple[str, ...], int]] = []
    for d in book["deliveries"]:
        if d["status"] != "completed":
            continue
        trade = trades[d["trade_reference"]]
        sign = 1 if trade["side"] == "buy" else -1
        for b in d["batches"]:
            lot: tuple[str, ...] = (d["counterparty_reference"], d["scheme"])
            lot += (trade["registry_account"], b["technology"], b["country"], b["vintage"])
            moves.append((d["delivery_date"], -sign, lot, sign * b["quantity"]))
    for r in book["retirements"]:
        for b in r["batches"]:
            lot = (r["counterparty_reference"], r["scheme"])
            lot += (r["registry_account"], b["technology"], b["country"], b["vintage"])
            moves.append((r["retired_on"], 1, lot, -b["quantity"]))
    held: dict[tuple[str, ...], int] = defaultdict(int)
    for day, _, lot, units in sorted(moves):
        held[lot] += units
        assert held[lot] >= 0, f"{lot} below zero on {day}"
    retired_accounts = {r["counterparty_reference"] for r in book["retirements"]}
    assert retired_accounts == set(ACCOUNTS)


def test_every_account_has_late_deliveries_and_overdue_invoices(book: dict[str, Any]) -> None:
    trades = _trades(book)
    delivered: dict[str, int] = defaultdict(int)
    for d in book["deliveries"]:
        if d["status"] == "completed":
            delivered[d["trade_reference"]] += d["volume_mwh"]
    cancelled = {t["reference"] for t in book["trades"] if t["status"] == "cancelled"}
    for account in ACCOUNTS:
        late = [
            t
            for t in trades.values()
            if t["counterparty_reference"] == account
            and t["reference"] not in cancelled
            and t["delivery_date"] < TODAY.isoformat()
            and delivered[t["reference"]] < int(t["volume_mwh"])
        ]
        overdue = [
            i
            for i in book["invoices"]
            if i["counterparty_reference"] == account
            and not i["payments"]
            and i["due_date"] < TODAY.isoformat()
        ]
        schemes = {t["scheme"] for t in trades.values() if t["counterparty_reference"] == account}
        assert len(late) >= 2, account
        assert 1 <= len(overdue) <= 15, account
        assert schemes == {"GO", "I-REC", "REC", "REGO"}


def test_ingest_accepts_the_book_batch_by_batch(book: dict[str, Any]) -> None:
    target = InMemoryRecordStore(
        accounts={"acc-1", "acc-2"},
        links={reference: f"acc-{n}" for n, reference in enumerate(ACCOUNTS, start=1)},
    )
    publisher = Publisher(
        publisher_id="pub-stx",
        name="STX trading",
        account_ids=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        created_by="admin",
    )
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
    context = IngestContext(publisher=publisher, correlation_id="demo", clock=lambda: now)
    for kind in demo.ORDER:
        records = book[kind]
        for start in range(0, len(records), demo.BATCH):
            results = ingest(
                RecordKind(kind), enumerate(records[start : start + demo.BATCH]), target, context
            )
            rejected = [(r.reference, r.errors) for r in results if r.outcome.value != "accepted"]
            assert rejected == [], kind
    assert all(units >= 0 for units in target.lots.values())
