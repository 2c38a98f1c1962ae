"""The local demo's book: a year of trading for each demo account, relative to `today`,
from a fixed seed (the same day and seed always give the same book).

Realistic where a user looks (issue 12): every date of something that has happened is on or
before today; buys deliver from STX's registry account into the counterparty's, sells out of
it (from certificates it holds, serial ranges included), retirements name the registry
account and serial ranges they retire; each account has spot and forward deals in every
scheme, partial and failed deliveries, forward deliveries that are late, invoices paid,
open and overdue, and retirements with beneficiaries and reporting years. The book is
built in date order, so no lot ever holds fewer than zero certificates at any date.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from infra.local.demo.records import (
    COUNTRIES,
    CURRENCIES,
    SCHEMES,
    TECHNOLOGIES,
    document,
    invoice_for_trade,
    retirement,
    trade,
)
from services.provisioning.models.records import to_minor_unit

REGISTRIES = {"GO": "CERTIQ", "I-REC": "EVIDENT", "REC": "MRETS", "REGO": "OFGEM"}
BENEFICIARIES = (
    "Head office and data centre",
    "Manufacturing site",
    "Retail stores",
    "Customer green tariff",
)
BOOK_DAYS = 360
"""Trades are spread over the year before today."""
LATE_UNDELIVERED, LATE_PARTIAL, OVERDUE_INVOICE = 3, 5, 2
"""Positions (per account) of a forward deal past its date with nothing delivered, one
half delivered, and a trade whose invoice is unpaid past its due date."""


def stx_account(scheme: str) -> str:
    """STX's own registry account in the scheme's registry (the other side of every deal)."""
    return f"STX-{REGISTRIES[scheme]}-0001"


def counterparty_account(scheme: str, position: int) -> str:
    """The demo account's registry account in the scheme's registry."""
    return f"{REGISTRIES[scheme]}-{88412 + 1111 * position}"


@dataclass(frozen=True, order=True)
class Lot:
    scheme: str
    technology: str
    country: str
    vintage: str


@dataclass
class Holding:
    """Serial ranges a demo account holds in one lot (first in, first out)."""

    ranges: deque[tuple[int, int, str]] = field(default_factory=deque)
    last_in: date = date.min

    @property
    def units(self) -> int:
        return sum(end - start + 1 for start, end, _ in self.ranges)

    def take(self, units: int) -> list[tuple[int, int, str]]:
        taken = []
        while units:
            start, end, device = self.ranges.popleft()
            used = min(units, end - start + 1)
            taken.append((start, start + used - 1, device))
            if start + used <= end:
                self.ranges.appendleft((start + used, end, device))
            units -= used
        return taken


def _batches(lot: Lot, ranges: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    return [
        {
            "serial_start": start,
            "serial_end": end,
            "quantity": end - start + 1,
            "vintage": lot.vintage,
            "country": lot.country,
            "device_code": device,
            "technology": lot.technology,
        }
        for start, end, device in ranges
    ]


@dataclass
class _Account:
    position: int
    reference: str
    holdings: dict[Lot, Holding] = field(default_factory=lambda: defaultdict(Holding))


class _Builder:
    def __init__(self, today: date, seed: int) -> None:
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.serial = 10_000_000
        self.number = 0
        self.data: dict[str, list[dict[str, Any]]] = {
            "trades": [],
            "deliveries": [],
            "retirements": [],
            "invoices": [],
            "documents": [],
        }
        self.amendments: list[dict[str, Any]] = []

    def past(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def account_book(self, account: _Account, trades: int) -> None:
        starts = sorted(self.past(8, BOOK_DAYS) for _ in range(trades))
        for position, trade_date in enumerate(starts):
            self.number += 1
            if position == LATE_UNDELIVERED:
                self.trade_and_deliveries(account, position, self.today - timedelta(days=95), 75)
            elif position == LATE_PARTIAL:
                self.trade_and_deliveries(account, position, self.today - timedelta(days=130), 110)
            elif position == OVERDUE_INVOICE:
                self.trade_and_deliveries(account, position, self.today - timedelta(days=75), 5)
            else:
                forward = self.rng.random() < 0.35
                days = self.rng.randint(30, 150) if forward else self.rng.randint(2, 10)
                self.trade_and_deliveries(account, position, trade_date, days)
        self.retirements(account)

    def new_lot(self, trade_date: date) -> Lot:
        scheme = self.rng.choice(SCHEMES)
        produced = trade_date - timedelta(days=self.rng.randint(30, 300))
        return Lot(
            scheme,
            TECHNOLOGIES[scheme],
            self.rng.choice(COUNTRIES[scheme]),
            f"{produced.year:04d}-{produced.month:02d}",
        )

    def sell_lot(self, account: _Account, trade_date: date) -> tuple[Lot, int] | None:
        """The lot with most certificates held (delivered by the trade date)."""
        held = [
            (h.units, lot)
            for lot, h in account.holdings.items()
            if h.last_in <= trade_date and h.units >= 20
        ]
        if not held:
            return None
        units, lot = max(held)
        return lot, self.rng.randint(10, max(10, units * 2 // 3))

    def trade_and_deliveries(
        self, account: _Account, position: int, trade_date: date, days: int
    ) -> None:
        picked = self.sell_lot(account, trade_date) if self.rng.random() < 0.35 else None
        side = "sell" if picked is not None else "buy"
        lot, volume = picked if picked is not None else (self.new_lot(trade_date), 0)
        volume = volume or self.rng.randint(50, 5000)
        record = self.trade_record(account, lot, side, volume, trade_date, days)
        self.data["trades"].append(record)
        if position == 0:
            self.amendments.append(
                dict(
                    record,
                    version=2,
                    status="cancelled",
                    cancellation_reason="Counterparty withdrew",
                )
            )
            return
        if position % 7 == 1:
            self.amend(record)
        due = date.fromisoformat(record["delivery_date"])
        delivered = self.deliver(account, record, lot, volume, trade_date, due, position)
        if delivered:
            self.invoice(record, delivered, position)
        if position % 5 == 3:
            self.data["documents"].append(
                document(
                    f"DOC-TC-{self.number:07d}",
                    account.reference,
                    related_reference=record["reference"],
                    issued_on=trade_date,
                )
            )

    def trade_record(
        self, account: _Account, lot: Lot, side: str, volume: int, trade_date: date, days: int
    ) -> dict[str, Any]:
        price = Decimal(self.rng.randint(30, 900)) / 100
        record = trade(
            f"STX-T-{self.number:07d}",
            account.reference,
            volume=str(volume),
            unit_price=str(price),
            scheme=lot.scheme,
            trade_date=trade_date,
        )
        record.update(
            side=side,
            countries=[lot.country],
            technologies=[lot.technology],
            vintage_from=lot.vintage,
            vintage_to=lot.vintage,
            delivery_date=(trade_date + timedelta(days=days)).isoformat(),
            registry_account=counterparty_account(lot.scheme, account.position),
            currency=CURRENCIES[lot.scheme],
        )
        return record

    def amend(self, record: dict[str, Any]) -> None:
        amended = dict(
            record,
            version=2,
            status="amended",
            unit_price=str(Decimal(record["unit_price"]) + Decimal("0.05")),
        )
        amended["total"] = str(
            to_minor_unit(
                Decimal(amended["volume_mwh"]) * Decimal(amended["unit_price"]), amended["currency"]
            )
        )
        self.amendments.append(amended)

    def deliver(
        self,
        account: _Account,
        record: dict[str, Any],
        lot: Lot,
        volume: int,
        trade_date: date,
        due: date,
        position: int,
    ) -> date | None:
        """Deliveries of the trade up to today; the date of the first, if any."""
        if position == LATE_UNDELIVERED:
            return None
        last_day = min(due, self.today - timedelta(days=1))
        if last_day < trade_date:
            return None
        parts = [volume]
        if position == LATE_PARTIAL or (due > self.today and self.rng.random() < 0.5):
            parts = [volume // 2]  # partly delivered: the rest is late or not yet due
        elif self.rng.random() < 0.2 and volume >= 20:
            parts = [volume // 3, volume - volume // 3]
        span = (last_day - trade_date).days
        days = sorted(trade_date + timedelta(days=self.rng.randint(0, span)) for _ in parts)
        if len(parts) == 1 and due <= last_day and position != LATE_PARTIAL:
            days = [due]
        for part, (units, day) in enumerate(zip(parts, days, strict=True), start=1):
            reference = f"STX-D-{self.number:07d}-{part}"
            if self.rng.random() < 0.05:
                self.data["deliveries"].append(self.failed(account, record, lot, reference, day))
                reference += "R"
            self.data["deliveries"].append(
                self.completed(account, record, lot, units, reference, day)
            )
        return days[0]

    def completed(
        self,
        account: _Account,
        record: dict[str, Any],
        lot: Lot,
        units: int,
        reference: str,
        day: date,
    ) -> dict[str, Any]:
        holding = account.holdings[lot]
        own, stx = record["registry_account"], stx_account(lot.scheme)
        if record["side"] == "buy":
            device = f"{lot.country}-{lot.technology}-{self.rng.randint(1, 40):03d}"
            ranges = [(self.serial, self.serial + units - 1, device)]
            self.serial += units + self.rng.randint(0, 500)
            holding.ranges.extend(ranges)
            holding.last_in = max(holding.last_in, day)
            sender, receiver = stx, own
        else:
            ranges = holding.take(units)
            sender, receiver = own, stx
        return {
            **self.delivery_head(account, record, reference, day, units),
            "status": "completed",
            "from_registry_account": sender,
            "to_registry_account": receiver,
            "batches": _batches(lot, ranges),
        }

    def failed(
        self, account: _Account, record: dict[str, Any], lot: Lot, reference: str, day: date
    ) -> dict[str, Any]:
        own, stx = record["registry_account"], stx_account(lot.scheme)
        sender, receiver = (stx, own) if record["side"] == "buy" else (own, stx)
        return {
            **self.delivery_head(account, record, reference, day, int(record["volume_mwh"])),
            "status": "failed",
            "from_registry_account": sender,
            "to_registry_account": receiver,
            "batches": [],
            "failure_reason": "Receiving registry account suspended; delivered again",
        }

    @staticmethod
    def delivery_head(
        account: _Account, record: dict[str, Any], reference: str, day: date, units: int
    ) -> dict[str, Any]:
        return {
            "reference": reference,
            "version": 1,
            "counterparty_reference": account.reference,
            "trade_reference": record["reference"],
            "delivery_date": day.isoformat(),
            "scheme": record["scheme"],
            "volume_mwh": units,
        }

    def invoice(self, record: dict[str, Any], delivered: date, position: int) -> None:
        issue = delivered + timedelta(days=self.rng.randint(1, 5))
        if issue > self.today:
            return
        overdue = position == OVERDUE_INVOICE
        due = issue + timedelta(days=30)
        paid_on = issue + timedelta(days=self.rng.randint(5, 28))
        paid = not overdue and paid_on < self.today and self.rng.random() < 0.95
        billed = invoice_for_trade(record["reference"], record, self.number, paid=False)
        billed.update(issue_date=issue.isoformat(), due_date=due.isoformat())
        billed["reference"] = f"INV-{issue.year}-{self.number:05d}"
        if paid:
            billed["payments"] = [
                {
                    "payment_reference": f"PAY-{self.number:06d}",
                    "paid_on": paid_on.isoformat(),
                    "amount": billed["gross_amount"],
                }
            ]
        self.data["invoices"].append(billed)

    def retirements(self, account: _Account) -> None:
        """Retire part of the lots still held, after their last delivery in."""
        held = sorted(
            ((lot, h) for lot, h in account.holdings.items() if h.units >= 10),
            key=lambda item: -item[1].units,
        )
        for count, (lot, holding) in enumerate(held[: max(2, len(held) // 3)], start=1):
            units = max(1, holding.units * self.rng.randint(20, 60) // 100)
            first = holding.last_in + timedelta(days=1)
            if first >= self.today:
                continue
            retired_on = first + timedelta(days=self.rng.randint(0, (self.today - first).days - 1))
            year = int(lot.vintage[:4])
            ranges = holding.take(units)
            record = retirement(
                f"STX-R-{account.position + 1:02d}{count:05d}",
                account.reference,
                volume=units,
            )
            record.update(
                scheme=lot.scheme,
                registry_account=counterparty_account(lot.scheme, account.position),
                retired_on=retired_on.isoformat(),
                beneficiary_name=BENEFICIARIES[count % len(BENEFICIARIES)],
                consumption_country=lot.country,
                consumption_period_start=date(year, 1, 1).isoformat(),
                consumption_period_end=date(year + 1, 1, 1).isoformat(),
                reporting_year=year,
                registry_transaction_reference=f"{REGISTRIES[lot.scheme]}-TX-{self.serial}",
                batches=_batches(lot, ranges),
            )
            self.serial += 1
            self.data["retirements"].append(record)


def demo_dataset(
    counterparties: list[str], trades_per_counterparty: int, *, today: date, seed: int = 2026
) -> dict[str, list[dict[str, Any]]]:
    """The demo book of these STX counterparties, per kind, in the order to send it:
    trades (then their amendments and cancellations), deliveries by date, retirements,
    invoices, trade confirmations."""
    builder = _Builder(today, seed)
    for position, reference in enumerate(counterparties):
        builder.account_book(_Account(position, reference), trades_per_counterparty)
    data = builder.data
    data["trades"].extend(builder.amendments)
    data["deliveries"].sort(key=lambda d: (d["delivery_date"], d["reference"]))
    return data
