"""Certificate flows that reconcile (issue 12): per lot (scheme, registry account,
technology, country, vintage), opening + delivered in - delivered out - retired = closing,
between any two dates.

The flows are summed from the account's batch movements (the holdings drill-down, one
entry per certificate batch moved); the lot counters (what holdings shows) are kept by
the same projection writes. A lot reconciles when its movements never take it below zero
at any date, its movements over all time add up to its counters, and its registry account
is known (a retirement published as RetirementCompleted v1 named none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from services.portfolio.models.domain import BatchMovement, Lot
from services.portfolio.models.views import (
    HoldingKey,
    LotFlows,
    Reconciliation,
    ReconciliationStatus,
)

UNKNOWN_ACCOUNT = "retired from a registry account that was not named (published before it was)"
SIGN = {"in": 1, "out": -1, "retired": -1}


def lot_key_of(lot: Lot | BatchMovement) -> HoldingKey:
    return HoldingKey(lot.scheme, lot.registry_account, lot.technology, lot.country, lot.vintage)


def _counted(lot: Lot) -> dict[str, int]:
    return {
        "in": int(lot.delivered_in),
        "out": int(lot.delivered_out),
        "retired": int(lot.retired),
    }


def _problem(
    key: HoldingKey, moves: list[BatchMovement], counters: dict[str, int] | None
) -> str | None:
    if key.registry_account is None:
        return UNKNOWN_ACCOUNT
    totals = dict.fromkeys(SIGN, 0)
    held = 0
    for move in sorted(moves, key=lambda m: (m.moved_on, -SIGN[m.movement])):
        totals[move.movement] += move.quantity
        held += SIGN[move.movement] * move.quantity
        if held < 0:
            return (
                f"below zero on {move.moved_on.isoformat()} ({held}) after {move.source_reference}"
            )
    counted = counters or dict.fromkeys(SIGN, 0)
    for name in SIGN:
        if totals[name] != counted[name]:
            return f"its batches moved {totals[name]} {name}, its holdings count {counted[name]}"
    return None


def reconcile(
    lots: Iterable[Lot], moves: Iterable[BatchMovement], first_day: date | None, last_day: date
) -> Reconciliation:
    """Each lot's flows from `first_day` (None: since the first movement) to `last_day`,
    both included, with the movements of that period; lots without movements are left out."""
    by_lot: dict[HoldingKey, list[BatchMovement]] = defaultdict(list)
    for move in moves:
        by_lot[lot_key_of(move)].append(move)
    counters: dict[HoldingKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SIGN, 0))
    for lot in lots:
        for name, amount in _counted(lot).items():
            counters[lot_key_of(lot)][name] += amount
    flows = []
    for key in sorted(
        set(by_lot) | {k for k, c in counters.items() if any(c.values())}, key=_order
    ):
        all_moves = by_lot.get(key, [])
        before = [m for m in all_moves if first_day is not None and m.moved_on < first_day]
        period = [
            m
            for m in all_moves
            if (first_day is None or m.moved_on >= first_day) and m.moved_on <= last_day
        ]
        amounts = {name: sum(m.quantity for m in period if m.movement == name) for name in SIGN}
        opening = sum(SIGN[m.movement] * m.quantity for m in before)
        closing = sum(SIGN[m.movement] * m.quantity for m in all_moves if m.moved_on <= last_day)
        flows.append(
            LotFlows(
                key=key,
                opening=opening,
                delivered_in=amounts["in"],
                delivered_out=amounts["out"],
                retired=amounts["retired"],
                closing=closing,
                movements=sorted(period, key=lambda m: (m.moved_on, m.source_reference)),
                problem=_problem(key, all_moves, counters.get(key)),
            )
        )
    return Reconciliation(first_day, last_day, flows)


def status_of(lots: Iterable[Lot]) -> ReconciliationStatus:
    """The summary's check, from the lot counters alone: no lot holds less than nothing,
    and every retirement names its registry account."""
    for lot in sorted(lots, key=lambda lot: _order(lot_key_of(lot))):
        counted = _counted(lot)
        if not any(counted.values()):
            continue
        key = lot_key_of(lot)
        if key.registry_account is None:
            return ReconciliationStatus(key, UNKNOWN_ACCOUNT)
        held = counted["in"] - counted["out"] - counted["retired"]
        if held < 0:
            return ReconciliationStatus(
                key,
                f"{counted['in']} in - {counted['out']} out - {counted['retired']} retired "
                f"= {held}, below zero",
            )
    return ReconciliationStatus()


def _order(key: HoldingKey) -> tuple[str, ...]:
    return tuple(
        value or ""
        for value in (key.scheme, key.registry_account, key.technology, key.country, key.vintage)
    )
