"""Instants as text sort as the instants do, whatever offset they were given in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from common.sortable_time import sortable_instant

pytestmark = pytest.mark.unit


def test_text_order_is_time_order_across_offsets_and_microseconds() -> None:
    tokyo = timezone(timedelta(hours=9))
    instants = [
        datetime(2026, 3, 1, 8, 0, 0, 1, tzinfo=tokyo),  # 2026-02-28T23:00:00.000001Z
        datetime(2026, 2, 28, 23, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 0, 0, 0, 999999, tzinfo=UTC),
        datetime(2026, 2, 28, 23, 0, 0, 10, tzinfo=UTC),
    ]
    by_text = sorted(instants, key=sortable_instant)
    assert by_text == sorted(instants)
    assert sortable_instant(instants[0]) == "2026-02-28T23:00:00.000001Z"
