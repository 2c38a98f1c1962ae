"""The local EventBridge Scheduler: plays each topology `Schedule` on its cron times.

At each fire time (UTC) it sends `{"schedule": <name>, "scheduled_time": <ISO time>}` to
the schedule's queue, the message EventBridge Scheduler sends in the cloud (with
`<aws.scheduler.scheduled-time>`); the runtime's SQS poller then invokes the function.
Cron expressions are EventBridge's six fields (minutes hours day-of-month month
day-of-week year; day-of-week 1 = Sunday), with `*`, `?`, lists, ranges and `/` steps;
`L`, `W` and `#` are not played here (the topology may not declare them for that reason:
`tests/unit/local/test_local_scheduler.py` checks every declared schedule).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from common.topology import Schedule

log = logging.getLogger("scts.local.scheduler")

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
SEARCH_DAYS = 366 * 5


class UnsupportedCron(ValueError):
    pass


def _value(text: str, field: int) -> int:
    names = MONTHS if field == 3 else DAYS if field == 4 else ()
    if text.upper() in names:
        return names.index(text.upper()) + 1
    if not text.isdigit():
        raise UnsupportedCron(f"cannot play {text!r} in field {field + 1}")
    return int(text)


def field_values(text: str, field: int) -> frozenset[int] | None:
    """The values a field allows; None for `*` / `?` (any)."""
    if text in ("*", "?"):
        return None
    low, high = RANGES[field]
    allowed: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = _value(first, field), _value(last, field)
        else:
            start = _value(base, field)
            end = high if step_text else start
        if not (low <= start <= end <= high) or step < 1:
            raise UnsupportedCron(f"{part!r} is out of range for field {field + 1}")
        allowed.update(range(start, end + 1, step))
    return frozenset(allowed)


@dataclass(frozen=True)
class Cron:
    fields: tuple[frozenset[int] | None, ...]

    @classmethod
    def parse(cls, expression: str) -> Cron:
        parts = expression.split()
        if len(parts) != 6:
            raise UnsupportedCron("a cron expression has six fields")
        return cls(tuple(field_values(part, index) for index, part in enumerate(parts)))

    def _day_matches(self, day: datetime) -> bool:
        _, _, dom, month, dow, year = self.fields
        weekday = (day.weekday() + 1) % 7 + 1  # Monday=0 -> 2; Sunday=6 -> 1
        return (
            (year is None or day.year in year)
            and (month is None or day.month in month)
            and (dom is None or day.day in dom)
            and (dow is None or weekday in dow)
        )

    def next_after(self, moment: datetime) -> datetime:
        """The first fire time strictly after `moment` (UTC, whole minutes)."""
        minutes, hours = self.fields[0], self.fields[1]
        start = moment.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        for _ in range(SEARCH_DAYS):
            if self._day_matches(day):
                for hour in sorted(hours) if hours is not None else range(24):
                    for minute in sorted(minutes) if minutes is not None else range(60):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate >= start:
                            return candidate
            day += timedelta(days=1)
        raise UnsupportedCron("no fire time within five years")


def run_message(schedule: Schedule, fired_at: datetime) -> dict[str, Any]:
    """What the schedule sends (as `Input` with `<aws.scheduler.scheduled-time>`)."""
    return {
        "schedule": schedule.name,
        "scheduled_time": fired_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@dataclass(frozen=True)
class PlayedSchedule:
    schedule: Schedule
    queue_url: str


class LocalScheduler:
    def __init__(
        self, sqs: Any, schedules: Iterable[PlayedSchedule], stop: threading.Event
    ) -> None:
        self._sqs = sqs
        self._schedules = list(schedules)
        self._stop = stop

    def fire(self, played: PlayedSchedule, at: datetime) -> None:
        message = run_message(played.schedule, at)
        self._sqs.send_message(QueueUrl=played.queue_url, MessageBody=json.dumps(message))
        log.info("schedule %s fired for %s", played.schedule.name, message["scheduled_time"])

    def next_fires(self, now: datetime) -> list[tuple[datetime, PlayedSchedule]]:
        return sorted(
            ((Cron.parse(p.schedule.cron).next_after(now), p) for p in self._schedules),
            key=lambda pair: pair[0],
        )

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = datetime.now(UTC)
            upcoming = self.next_fires(now)
            if not upcoming:
                return
            at, played = upcoming[0]
            if self._stop.wait(max(0.0, (at - now).total_seconds())):
                return
            self.fire(played, at)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, name="local-scheduler", daemon=True)
        thread.start()
        return thread
