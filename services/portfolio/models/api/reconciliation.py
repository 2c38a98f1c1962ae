"""Responses of the reconciliation view: per lot, opening + delivered in - delivered out -
retired = closing over a period, with the movements that make up the flows."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from services.portfolio.models.api.base import ApiModel
from services.portfolio.models.api.holdings import HoldingKeyItem
from services.portfolio.models.domain import BatchMovement, Movement
from services.portfolio.models.views import LotFlows, Reconciliation, ReconciliationStatus

CERTIFICATES = "Certificates: MWh, or Wh for HOURLY."


class MovementItem(ApiModel):
    """One certificate batch moved in (a buy's delivery), out (a sell's) or retired."""

    movement: Movement
    moved_on: date
    source_reference: str = Field(description="The delivery or retirement.")
    trade_reference: str | None = Field(description="Null for a retirement.")
    quantity: int = Field(description=CERTIFICATES)
    serial_start: int
    serial_end: int
    device_code: str

    @classmethod
    def of(cls, move: BatchMovement) -> MovementItem:
        return cls(
            movement=move.movement,
            moved_on=move.moved_on,
            source_reference=move.source_reference,
            trade_reference=move.trade_reference,
            quantity=move.quantity,
            serial_start=move.serial_start,
            serial_end=move.serial_end,
            device_code=move.device_code,
        )


class LotFlowItem(ApiModel):
    key: HoldingKeyItem = Field(
        description="The lot: every dimension set (registry account null "
        "only for retirements that did not name it)."
    )
    opening: int = Field(description=f"Held before the period's first day. {CERTIFICATES}")
    delivered_in: int
    delivered_out: int
    retired: int
    closing: int = Field(description="Held at the end of the period's last day.")
    reconciled: bool = Field(
        description="opening + delivered_in - delivered_out - retired = closing, the lot never "
        "went below zero, its movements add up to its holdings, and its registry account is "
        "known."
    )
    problem: str | None = Field(description="Why it does not reconcile (null when it does).")
    movements: list[MovementItem] = Field(description="The period's movements, by date.")

    @classmethod
    def of(cls, lot: LotFlows) -> LotFlowItem:
        return cls(
            key=HoldingKeyItem.of(lot.key),
            opening=lot.opening,
            delivered_in=lot.delivered_in,
            delivered_out=lot.delivered_out,
            retired=lot.retired,
            closing=lot.closing,
            reconciled=lot.problem is None
            and lot.opening + lot.delivered_in - lot.delivered_out - lot.retired == lot.closing,
            problem=lot.problem,
            movements=[MovementItem.of(m) for m in lot.movements],
        )


class ReconciliationResponse(ApiModel):
    date_from: date | None = Field(description="Null: since the first movement.")
    date_to: date
    reconciled: bool = Field(description="Every lot reconciles.")
    unreconciled_lots: list[HoldingKeyItem]
    lots: list[LotFlowItem]

    @classmethod
    def of(cls, reconciliation: Reconciliation) -> ReconciliationResponse:
        lots = [LotFlowItem.of(lot) for lot in reconciliation.lots]
        return cls(
            date_from=reconciliation.first_day,
            date_to=reconciliation.last_day,
            reconciled=all(lot.reconciled for lot in lots),
            unreconciled_lots=[lot.key for lot in lots if not lot.reconciled],
            lots=lots,
        )


class ReconciliationStatusItem(ApiModel):
    """Whether every lot's certificates add up (from the holdings counters)."""

    reconciled: bool
    lot: HoldingKeyItem | None = Field(description="The first lot that does not (null: none).")
    problem: str | None

    @classmethod
    def of(cls, status: ReconciliationStatus) -> ReconciliationStatusItem:
        return cls(
            reconciled=status.reconciled,
            lot=HoldingKeyItem.of(status.lot) if status.lot is not None else None,
            problem=status.problem,
        )
