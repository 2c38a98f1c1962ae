"""The cold-init bench's paired ratio: one lucky round of the baseline moves one pair."""

from __future__ import annotations

import pytest

from bench.cold_init import Figure, paired_ratio

pytestmark = pytest.mark.unit


def figure(*runs: float) -> Figure:
    return Figure("f", min(runs), sorted(runs)[len(runs) // 2], list(runs))


def test_a_lucky_baseline_round_moves_the_best_of_ratio_not_the_paired_one() -> None:
    baseline = figure(300, 300, 200)
    handler = figure(330, 330, 330)

    assert handler.best_ms / baseline.best_ms == pytest.approx(1.65)
    assert paired_ratio(handler, baseline) == pytest.approx(1.1)


def test_rounds_that_do_not_pair_fall_back_to_the_best_of_ratio() -> None:
    # A handler that failed in some rounds has fewer timings than the baseline.
    assert paired_ratio(figure(330, 340), figure(300, 300, 200)) == pytest.approx(1.65)
