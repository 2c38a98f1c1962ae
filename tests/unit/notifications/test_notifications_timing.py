"""Quiet hours and digests in the person's own time zone, across DST changes and overnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.notifications.logic.timing import (
    digest_time,
    local_instant,
    quiet_until,
)
from services.notifications.models.domain import QuietHours

pytestmark = pytest.mark.unit

AMS = "Europe/Amsterdam"
NIGHT = QuietHours(start=time(22, 0), end=time(7, 0))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_an_overnight_window_holds_until_the_morning_in_local_time() -> None:
    # 23:30 in Amsterdam (winter, UTC+1) -> held until 07:00 local = 06:00 UTC next day.
    assert quiet_until(utc(2026, 1, 14, 22, 30), NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # 03:00 local, same night -> 07:00 local the same day.
    assert quiet_until(utc(2026, 1, 15, 2, 0), NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # 12:00 local is not quiet; 07:00 sharp is no longer quiet; 22:00 sharp is.
    assert quiet_until(utc(2026, 1, 15, 11, 0), NIGHT, AMS) is None
    assert quiet_until(utc(2026, 1, 15, 6, 0), NIGHT, AMS) is None
    assert quiet_until(utc(2026, 1, 15, 21, 0), NIGHT, AMS) == utc(2026, 1, 16, 6, 0)


def test_the_window_ends_at_local_07_00_across_the_spring_and_autumn_changes() -> None:
    # Night of 28-29 March 2026: clocks go 02:00 -> 03:00; 07:00 CEST is 05:00 UTC.
    assert quiet_until(utc(2026, 3, 28, 22, 0), NIGHT, AMS) == utc(2026, 3, 29, 5, 0)
    # Night of 24-25 October 2026: clocks go 03:00 -> 02:00; 07:00 CET is 06:00 UTC.
    assert quiet_until(utc(2026, 10, 24, 21, 30), NIGHT, AMS) == utc(2026, 10, 25, 6, 0)


def test_a_window_ending_in_the_skipped_hour_ends_when_the_clock_jumps() -> None:
    ends_0230 = QuietHours(start=time(23, 0), end=time(2, 30))
    # 02:30 does not exist on 29 March in Amsterdam; the first instant past it is 03:00 CEST.
    assert quiet_until(utc(2026, 3, 28, 23, 0), ends_0230, AMS) == utc(2026, 3, 29, 1, 0)
    assert local_instant(date(2026, 3, 29), time(2, 30), ZoneInfo(AMS)) == utc(2026, 3, 29, 1, 0)


def test_a_daytime_window_and_another_zone() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 0))
    assert quiet_until(utc(2026, 6, 1, 5, 30), lunch, "Asia/Ho_Chi_Minh") == utc(2026, 6, 1, 6, 0)
    assert quiet_until(utc(2026, 6, 1, 3, 30), lunch, "Asia/Ho_Chi_Minh") is None
    assert quiet_until(utc(2026, 6, 1, 6, 0), lunch, "Asia/Ho_Chi_Minh") is None


def test_the_digest_goes_at_the_chosen_local_hour_across_dst() -> None:
    # 08:00 in Amsterdam: 07:00 UTC in winter, 06:00 UTC after the spring change.
    assert digest_time(utc(2026, 3, 28, 7, 30), 8, None, AMS) == utc(2026, 3, 29, 6, 0)
    assert digest_time(utc(2026, 3, 27, 6, 59), 8, None, AMS) == utc(2026, 3, 27, 7, 0)
    assert digest_time(utc(2026, 10, 24, 7, 0), 8, None, AMS) == utc(2026, 10, 25, 7, 0)
    # An unknown zone falls back to UTC rather than failing the whole notification.
    assert digest_time(utc(2026, 1, 1, 9, 0), 8, None, "Nowhere/Land") == utc(2026, 1, 2, 8, 0)


def test_a_digest_hour_inside_quiet_hours_waits_for_their_end() -> None:
    # 06:00 is inside 22:00-07:00: the digest goes at 07:00 local (06:00 UTC in winter).
    assert digest_time(utc(2026, 1, 14, 12, 0), 6, NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # 23:00 too: it waits for the next morning, not the one before.
    assert digest_time(utc(2026, 1, 14, 12, 0), 23, NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # 23:30 local, after the 23:00 digest hour: that digest waits until 07:00 and takes it.
    assert digest_time(utc(2026, 1, 14, 22, 30), 23, NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # 06:30 local, after a 06:00 digest hour: today's digest has not gone yet either.
    assert digest_time(utc(2026, 1, 15, 5, 30), 6, NIGHT, AMS) == utc(2026, 1, 15, 6, 0)
    # At 07:00 sharp it has gone: the next is tomorrow's.
    assert digest_time(utc(2026, 1, 15, 6, 0), 6, NIGHT, AMS) == utc(2026, 1, 16, 6, 0)
    # Outside the window, or without one, it goes at the chosen hour.
    assert digest_time(utc(2026, 1, 14, 12, 0), 8, NIGHT, AMS) == utc(2026, 1, 15, 7, 0)
    assert digest_time(utc(2026, 1, 14, 12, 0), 6, None, AMS) == utc(2026, 1, 15, 5, 0)
