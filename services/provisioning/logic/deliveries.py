"""Deliveries: never beyond the traded volume, always between the trade's registry account
and the other side, never taking a lot below zero (`logic.lots`).

Each trade keeps a running total of its completed deliveries, each counted at its latest
accepted version (a failed delivery counts zero; a newer version replaces the volume of
the old one). A delivery is judged against the stored totals plus the records accepted
before it in the same batch; the store then applies it with a `TradeCharge`, checked in
the same transaction as the delivery and its event, so a concurrent writer can never push
the total past the trade's volume.

A buy delivers into the counterparty's registry account (the trade's `registry_account` is
the delivery's `to_registry_account`), a sell out of it (`from_registry_account`), in the
trade's scheme; the delivery's batches then move the counterparty's lots (`LotMove`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from services.provisioning.logic.lifecycle import Decision, Outcome, StoredState, decide
from services.provisioning.logic.lots import (
    MAX_LOTS_PER_RECORD,
    LotBook,
    LotMove,
    delivery_contribution,
    move,
)
from services.provisioning.models.records import DeliveryRecord, RecordKind


@dataclass(frozen=True)
class TradeCharge:
    """What a delivery does to its trade's running total.

    The write fails unless the trade is still at `trade_version` (same volume, still open,
    same publisher) and has delivered at most `room_mwh` (its volume minus `delta_mwh`).
    """

    trade_reference: str
    trade_version: int
    publisher_id: str
    delta_mwh: Decimal
    room_mwh: Decimal


@dataclass(frozen=True)
class DeliveryCharge:
    """An accepted delivery's changes: its trade's running total and the lots."""

    trade: TradeCharge
    lots: LotMove


def counted_volume(record: DeliveryRecord) -> Decimal:
    """What a delivery adds to its trade's total: completed ones their volume, failed zero."""
    return record.volume_mwh if record.status == "completed" else Decimal(0)


def _reject(field: str, reason: str) -> Decision:
    return Decision(Outcome.REJECTED, field, reason)


def _registry_mismatch(record: DeliveryRecord, trade: StoredState) -> Decision | None:
    """A buy delivers into the trade's registry account, a sell out of it, in its scheme
    (states stored before these were kept are not judged)."""
    if trade.scheme is not None and record.scheme != trade.scheme:
        return _reject(
            "scheme",
            f"trade {record.trade_reference} is {trade.scheme}: its deliveries are {trade.scheme}",
        )
    if trade.side is None or trade.registry_account is None:
        return None
    if trade.side == "buy" and record.to_registry_account != trade.registry_account:
        return _reject(
            "to_registry_account",
            f"trade {record.trade_reference} is a buy into registry account "
            f"{trade.registry_account}: its deliveries go to that account",
        )
    if trade.side == "sell" and record.from_registry_account != trade.registry_account:
        return _reject(
            "from_registry_account",
            f"trade {record.trade_reference} is a sell from registry account "
            f"{trade.registry_account}: its deliveries come out of that account",
        )
    return None


def lot_move(
    record: DeliveryRecord, account_id: str, trade: StoredState, prior: StoredState | None
) -> LotMove:
    """The delivery's lot change: the trade's side and registry account place its batches."""
    registry = trade.registry_account or (
        record.to_registry_account if trade.side == "buy" else record.from_registry_account
    )
    contribution = delivery_contribution(record, account_id, trade.side or "buy", registry)
    return move(contribution, prior.lots if prior is not None else ())


def lot_refusal(lots: LotMove, book: LotBook, action: str) -> Decision | None:
    """Why the lots cannot take the move (too many lots for one write, or too few held)."""
    touched = len(lots.delta)
    if touched > MAX_LOTS_PER_RECORD:
        return _reject(
            "batches",
            f"the batches fall into {touched} lots (scheme, registry account, technology, "
            f"country, vintage); at most {MAX_LOTS_PER_RECORD} per record: split it",
        )
    short = book.shortfall(lots.delta)
    return _reject("batches", short.reason(action)) if short is not None else None


class DeliveryLedger:
    """Trade totals, delivery states and lot balances while one batch is judged, in record
    order."""

    def __init__(
        self,
        trades: dict[str, StoredState],
        deliveries: dict[str, StoredState],
        lots: LotBook | None = None,
    ) -> None:
        self._trades = dict(trades)
        self._deliveries = dict(deliveries)
        self.lots = lots or LotBook({})

    def judge(
        self, record: DeliveryRecord, account_id: str, publisher_id: str
    ) -> Decision | DeliveryCharge:
        """The decision to refuse (or report a duplicate), or the charge to apply."""
        prior = self._deliveries.get(record.reference)
        decision = decide(RecordKind.DELIVERIES, record, publisher_id, prior, account_id)
        if decision.outcome is not Outcome.ACCEPTED:
            return decision
        trade = self._trades.get(record.trade_reference)
        if trade is None or trade.publisher_id != publisher_id or trade.account_id != account_id:
            return _reject(
                "trade_reference",
                f"trade {record.trade_reference} is unknown for this counterparty; "
                "send the trade first",
            )
        if not trade.is_open:
            return _reject(
                "trade_reference",
                f"trade {record.trade_reference} is {trade.status}: no delivery may follow",
            )
        if prior is not None and prior.trade_reference != record.trade_reference:
            return _reject(
                "trade_reference",
                f"delivery {record.reference} belongs to trade {prior.trade_reference}; "
                "a delivery never moves to another trade",
            )
        mismatch = _registry_mismatch(record, trade)
        if mismatch is not None:
            return mismatch
        before = prior.volume_mwh if prior is not None and prior.volume_mwh else Decimal(0)
        this = counted_volume(record)
        delta = this - before
        volume = trade.volume_mwh or Decimal(0)
        if delta > 0 and trade.delivered_mwh + delta > volume:
            others = trade.delivered_mwh - before
            return _reject(
                "volume_mwh",
                f"trade {record.trade_reference} has a volume of {volume} MWh, "
                f"{others} MWh already delivered; this delivery of {this} MWh "
                "would exceed it",
            )
        lots = lot_move(record, account_id, trade, prior)
        refused = lot_refusal(lots, self.lots, f"this version of delivery {record.reference}")
        if refused is not None:
            return refused
        charge = TradeCharge(
            trade_reference=record.trade_reference,
            trade_version=trade.version,
            publisher_id=publisher_id,
            delta_mwh=delta,
            room_mwh=volume - delta,
        )
        return DeliveryCharge(charge, lots)

    def stored_delivery(self, reference: str) -> StoredState | None:
        return self._deliveries.get(reference)

    def stored(self, reference: str) -> StoredState | None:
        return self.stored_delivery(reference)

    def trade(self, reference: str) -> StoredState:
        """A trade's state with the deliveries accepted so far counted."""
        return self._trades[reference]

    def accept(self, record: DeliveryRecord, state: StoredState, charge: DeliveryCharge) -> None:
        """Count an accepted delivery, so later records of the batch see it."""
        trade = self._trades[charge.trade.trade_reference]
        self._trades[charge.trade.trade_reference] = replace(
            trade, delivered_mwh=trade.delivered_mwh + charge.trade.delta_mwh
        )
        self._deliveries[record.reference] = state
        self.lots.apply(charge.lots.delta)
