"""Targets and coverage: the renewable share a target asks for in a year, and how much of
a year's consumption the account's retirements cover."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.portfolio.models.domain import ZERO, Aggregates, Target
from services.portfolio.models.views import CoverageYear, TargetShare, Usage

HUNDREDTHS = Decimal("0.01")


def target_share_for(target: Target, year: int) -> Decimal | None:
    """The renewable share the target asks for in `year`: a milestone, else linear."""
    points = {
        target.base_year: target.base_renewable_share_percent,
        **{m.year: m.renewable_share_percent for m in target.milestones},
        target.target_year: target.target_renewable_share_percent,
    }
    if year in points:
        return points[year]
    years = sorted(points)
    if year < years[0]:
        return None
    if year > years[-1]:
        return points[years[-1]]
    lower = max(y for y in years if y < year)
    upper = min(y for y in years if y > year)
    share = points[lower] + (points[upper] - points[lower]) * (year - lower) / (upper - lower)
    return share.quantize(HUNDREDTHS)


def coverage_by_year(
    retired_by_year: dict[int, Decimal],
    consumption_by_year: dict[int, Decimal],
    targets: Sequence[Target],
) -> list[CoverageYear]:
    """Renewable coverage % = retired MWh for the year / consumption of the year."""
    rows = []
    for year in sorted(set(retired_by_year) | set(consumption_by_year)):
        consumption = consumption_by_year.get(year, ZERO)
        retired = retired_by_year.get(year, ZERO)
        coverage = (retired / consumption * 100).quantize(HUNDREDTHS) if consumption > 0 else None
        rows.append(
            CoverageYear(
                year=year,
                consumption_mwh=consumption,
                retired_mwh=retired,
                coverage_percent=coverage,
                targets=[
                    TargetShare(t.target_id, t.name, target_share_for(t, year)) for t in targets
                ],
            )
        )
    return rows


def usage_of(aggregates: Aggregates) -> Usage:
    """Coverage per year (years with consumption or retirements) and the targets. A year
    whose counter is zero (its retirements were amended to another year, its consumption
    deleted) has none."""
    consumption = {y: v for y, v in aggregates.consumption_by_year.items() if v > ZERO}
    retired = {y: v for y, v in aggregates.retired_by_year.items() if v > ZERO}
    targets = sorted(aggregates.targets, key=lambda t: t.target_id)
    return Usage(targets=targets, coverage=coverage_by_year(retired, consumption, targets))
