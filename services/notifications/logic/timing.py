"""When a notification may go out, in the person's own time zone (DST included).

- Quiet hours: a daily window of local wall-clock times; `end` before `start` means it runs
  overnight (22:00-07:00). Held channels go out at the window's end.
- Digest: once a day at the person's chosen local hour; an hour inside the quiet window
  waits for its end, like every other held notice.

A local time that does not exist on a day (skipped by a DST change, e.g. 02:30 on the
spring-forward night) is reached at the first instant at or after it: the change itself.
A local time that exists twice (fall back) is taken at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.notifications.models.domain import QuietHours


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The first UTC instant whose wall-clock time in `tz` on `day` is at or after `at`."""
    naive = datetime.combine(day, at)
    earlier = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if earlier.astimezone(tz).replace(tzinfo=None) == naive:
        return earlier
    # In a gap: fold=1 reads the time with the offset after the change, which lands before
    # the gap; step to the first minute the clock shows `at` or later.
    candidate = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    while candidate.astimezone(tz).replace(tzinfo=None) < naive:
        candidate += timedelta(minutes=1)
    return candidate


def quiet_until(now: datetime, quiet: QuietHours | None, tz_name: str) -> datetime | None:
    """The end of the quiet window `now` falls in (UTC), or None when it is not quiet."""
    if quiet is None:
        return None
    tz = zone(tz_name)
    local = now.astimezone(tz)
    today, clock = local.date(), local.time().replace(tzinfo=None)
    if quiet.start < quiet.end:
        if quiet.start <= clock < quiet.end:
            return local_instant(today, quiet.end, tz)
        return None
    if clock >= quiet.start:
        return local_instant(today + timedelta(days=1), quiet.end, tz)
    if clock < quiet.end:
        return local_instant(today, quiet.end, tz)
    return None


def digest_time(now: datetime, hour: int, quiet: QuietHours | None, tz_name: str) -> datetime:
    """When the person's next digest goes (UTC): at `hour`:00 local, or at the end of the
    quiet window that hour falls in. Yesterday's hour counts too: a digest held by quiet
    hours past its hour has not gone yet, and takes what arrives meanwhile."""
    tz = zone(tz_name)
    local_day = now.astimezone(tz).date()
    for offset in range(-1, 3):
        slot = local_instant(local_day + timedelta(days=offset), time(hour), tz)
        at = quiet_until(slot, quiet, tz_name) or slot
        if at > now:
            return at
    raise AssertionError("a local hour comes round within three days")
