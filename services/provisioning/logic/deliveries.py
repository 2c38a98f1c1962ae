"""Completed deliveries never exceed the traded volume (domain rule), per trade.

Each trade keeps a running total of its completed deliveries, each counted at its latest
accepted version (a failed delivery counts zero; a newer version replaces the volume of
the old one). A delivery is judged against the stored totals plus the records accepted
before it in the same batch; the store then applies it with a `TradeCharge`, checked in
the same transaction as the delivery and its event, so a concurrent writer can never push
the total past the trade's volume.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from services.provisioning.logic.lifecycle import Decision, Outcome, StoredState, decide
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


def counted_volume(record: DeliveryRecord) -> Decimal:
    """What a delivery adds to its trade's total: completed ones their volume, failed zero."""
    return record.volume_mwh if record.status == "completed" else Decimal(0)


def _reject(field: str, reason: str) -> Decision:
    return Decision(Outcome.REJECTED, field, reason)


class DeliveryLedger:
    """Trade totals and delivery states while one batch is judged, in record order."""

    def __init__(self, trades: dict[str, StoredState], deliveries: dict[str, StoredState]) -> None:
        self._trades = dict(trades)
        self._deliveries = dict(deliveries)

    def judge(
        self, record: DeliveryRecord, account_id: str, publisher_id: str
    ) -> Decision | TradeCharge:
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
        return TradeCharge(
            trade_reference=record.trade_reference,
            trade_version=trade.version,
            publisher_id=publisher_id,
            delta_mwh=delta,
            room_mwh=volume - delta,
        )

    def stored_delivery(self, reference: str) -> StoredState | None:
        return self._deliveries.get(reference)

    def trade(self, reference: str) -> StoredState:
        """A trade's state with the deliveries accepted so far counted."""
        return self._trades[reference]

    def accept(self, record: DeliveryRecord, state: StoredState, charge: TradeCharge) -> None:
        """Count an accepted delivery, so later records of the batch see it."""
        trade = self._trades[charge.trade_reference]
        self._trades[charge.trade_reference] = replace(
            trade, delivered_mwh=trade.delivered_mwh + charge.delta_mwh
        )
        self._deliveries[record.reference] = state
