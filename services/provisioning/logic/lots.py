"""Certificate lots: what each counterparty holds per (scheme, registry account, technology,
country, vintage), kept by provisioning so that no record can break the identity
opening + delivered in - delivered out - retired = closing.

A completed delivery of a buy adds its batches to the lots of the trade's registry account
(the counterparty's); a completed delivery of a sell takes them out of it; a retirement
takes them out of the registry account it names. A record that would take a lot below
zero (sell or retire more than is held there, or withdraw a delivery whose certificates
were sold or retired since) is rejected on `batches`, with the lot and what it holds.

Each record stores what it contributes to the lots (its `StoredState.lots`), so a newer
version of a delivery changes the balances by the difference only. The store applies the
change in the same transaction as the record and its event, under the condition that each
lot it lowers still holds enough (race-safe: a concurrent writer makes the condition fail,
and the record is read and judged again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.provisioning.models.records import (
    CertificateBatch,
    DeliveryRecord,
    RetirementRecord,
)

MAX_LOTS_PER_RECORD = 90
"""A record's lot changes share one transaction (100 items) with its state, event and trade."""


@dataclass(frozen=True, order=True)
class LotKey:
    account_id: str
    scheme: str
    registry_account: str
    technology: str
    country: str
    vintage: str

    def describe(self) -> str:
        return (
            f"{self.scheme} {self.technology} {self.country} vintage {self.vintage} "
            f"on registry account {self.registry_account}"
        )


LotAmounts = tuple[tuple[LotKey, int], ...]
"""Certificates (MWh; Wh for HOURLY) per lot, sorted by lot; signed where it is a change."""


@dataclass(frozen=True)
class LotMove:
    """What a record version does to the lots: its whole `contribution` (stored with it) and
    the `delta` from its previous version's contribution (applied to the balances)."""

    contribution: LotAmounts
    delta: LotAmounts


@dataclass(frozen=True)
class Shortfall:
    lot: LotKey
    held: int
    change: int

    def reason(self, action: str) -> str:
        return (
            f"{self.lot.describe()} holds {self.held} certificates; {action} takes "
            f"{-self.change} out"
        )


def _summed(items: Iterable[tuple[LotKey, int]]) -> LotAmounts:
    totals: dict[LotKey, int] = defaultdict(int)
    for lot, units in items:
        totals[lot] += units
    return tuple(sorted((lot, units) for lot, units in totals.items() if units))


def _lots(
    account_id: str, scheme: str, registry: str, batches: Iterable[CertificateBatch], sign: int
) -> LotAmounts:
    return _summed(
        (
            LotKey(account_id, scheme, registry, b.technology, b.country, b.vintage),
            sign * b.quantity,
        )
        for b in batches
    )


def delivery_contribution(
    record: DeliveryRecord, account_id: str, side: str, registry_account: str
) -> LotAmounts:
    """A completed buy adds its batches to the counterparty's registry account, a completed
    sell takes them out of it; a failed delivery moves nothing."""
    if record.status != "completed":
        return ()
    sign = 1 if side == "buy" else -1
    return _lots(account_id, record.scheme, registry_account, record.batches, sign)


def retirement_contribution(record: RetirementRecord, account_id: str) -> LotAmounts:
    return _lots(account_id, record.scheme, record.registry_account, record.batches, -1)


def move(contribution: LotAmounts, previous: LotAmounts = ()) -> LotMove:
    negated = ((lot, -units) for lot, units in previous)
    return LotMove(contribution, _summed((*contribution, *negated)))


class LotBook:
    """Lot balances while one batch is judged, in record order (missing lots hold 0)."""

    def __init__(self, balances: Mapping[LotKey, int]) -> None:
        self._balances = dict(balances)

    def shortfall(self, delta: LotAmounts) -> Shortfall | None:
        """The first lot the change would take below zero."""
        for lot, change in delta:
            held = self._balances.get(lot, 0)
            if held + change < 0:
                return Shortfall(lot, held, change)
        return None

    def apply(self, delta: LotAmounts) -> None:
        for lot, change in delta:
            self._balances[lot] = self._balances.get(lot, 0) + change

    def balances(self, lots: Iterable[LotKey]) -> dict[LotKey, int]:
        return {lot: self._balances.get(lot, 0) for lot in lots}


def lots_of(contributions: Iterable[LotAmounts]) -> set[LotKey]:
    return {lot for amounts in contributions for lot, _ in amounts}
