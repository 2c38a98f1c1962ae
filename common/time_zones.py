"""Whether a name is an IANA time zone: for schedules in a topology and for what a person
chooses in their preferences."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Files the system's zone directory may hold that are not IANA zones (the system's own
setting, a legacy rule file, a placeholder); EventBridge Scheduler accepts none of them."""
NOT_ZONE_TREES = frozenset({"right", "posix"})
"""The system's copies of every zone (leap-second and POSIX variants, e.g. `right/UTC`): not
IANA names (`available_timezones()` skips them), and browsers' date formatting refuses them."""


@lru_cache(maxsize=1024)
def is_time_zone(name: str) -> bool:
    """Loads that one zone rather than listing all of them: `available_timezones()` walks the
    whole zone database (~20 ms of a cold start). ZoneInfo refuses absolute paths and `..`;
    the cache is bounded because names can come from a request."""
    if name in NOT_ZONES or name.split("/", 1)[0] in NOT_ZONE_TREES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
