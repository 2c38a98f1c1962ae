"""Holdings rules: where each lot's certificates stand today, and their groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from services.portfolio.models.domain import ZERO, Lot
from services.portfolio.models.views import (
    Buckets,
    HoldingDimension,
    HoldingGroup,
    HoldingKey,
    Holdings,
    LotPosition,
)

HOLDING_DIMENSIONS: tuple[HoldingDimension, ...] = (
    "scheme",
    "registry_account",
    "technology",
    "country",
    "vintage",
)


def _key(lot: Lot, registry_account: str | None) -> HoldingKey:
    return HoldingKey(lot.scheme, registry_account, lot.technology, lot.country, lot.vintage)


def is_expired(expires_on: date | None, today: date) -> bool:
    return expires_on is not None and expires_on <= today


def lot_positions(lots: Iterable[Lot], today: date) -> list[LotPosition]:
    """Per lot: contracted-undelivered, active, retired, expired; never negative.

    Retirements do not name a registry account, so retired volume is taken from the
    same certificates' registry lots in a fixed order; any rest (certificates held
    before the portal knew them) stays on a lot without registry account.
    """
    by_certificate: dict[tuple[str, str, str, str, str], list[Lot]] = defaultdict(list)
    for lot in lots:
        identity = (
            lot.scheme,
            lot.technology or "",
            lot.country or "",
            lot.vintage,
            lot.expires_on.isoformat() if lot.expires_on else "",
        )
        by_certificate[identity].append(lot)
    positions = []
    for identity in sorted(by_certificate):
        group = sorted(by_certificate[identity], key=lambda lot: lot.registry_account or "")
        to_retire = sum((lot.retired for lot in group), ZERO)
        for lot in group:
            held = max(lot.delivered_in - lot.delivered_out, ZERO)
            retired = min(held, to_retire) if lot.registry_account is not None else ZERO
            to_retire -= retired
            remaining = held - retired
            expired = is_expired(lot.expires_on, today)
            buckets = Buckets(
                contracted_undelivered=max(lot.contracted, ZERO),
                active=ZERO if expired else remaining,
                retired=retired,
                expired=remaining if expired else ZERO,
            )
            positions.append(LotPosition(_key(lot, lot.registry_account), buckets))
        if to_retire > ZERO:
            positions.append(LotPosition(_key(group[0], None), Buckets(retired=to_retire)))
    return [p for p in positions if p.buckets.any_volume()]


def group_holdings(
    positions: Sequence[LotPosition], group_by: Sequence[HoldingDimension]
) -> Holdings:
    empty = HoldingKey()
    groups: dict[HoldingKey, Buckets] = {}
    for position in positions:
        key = replace(empty, **{dim: getattr(position.key, dim) for dim in group_by})
        groups[key] = groups.get(key, Buckets()) + position.buckets
    totals = sum((p.buckets for p in positions), Buckets())

    def order(key: HoldingKey) -> tuple[str, ...]:
        return tuple(getattr(key, dim) or "" for dim in group_by)

    return Holdings(
        group_by=list(group_by),
        groups=[HoldingGroup(key, groups[key]) for key in sorted(groups, key=order)],
        totals=totals,
    )
