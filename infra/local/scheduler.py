"""The topologies' schedules, played locally: a thread (bound to no port) that sends each
declared schedule's run message to the schedule's queue when its EventBridge Scheduler
expression comes due, as Scheduler does in the cloud (`infra.cdk.service.files.schedule`).

- The message is `{"schedule": <name>, "scheduled_time": <ISO instant, UTC>}`; the queue
  (+DLQ) feeds the function, so retries and dead letters are the queue's, as in AWS.
- `rate(n unit)` fires every n units from the runtime's start; `cron(...)` at the minutes
  its fields name, read in the schedule's time zone (DST included, as Scheduler reads it).
  Supported cron fields: numbers, `*`, `?`, lists, ranges, steps and day/month names (the
  `L`, `W` and `#` forms are refused at start: no schedule here uses them).
- Tests and people fire a schedule now with `python -m infra.local.scheduler fire <service>
  <schedule>` (or `request_fire()`): a request file in `<state dir>/schedules/` that the
  thread picks up within a second and answers with a result file (the message id sent).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common.topology import Schedule

log = logging.getLogger("scts.local.scheduler")

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
_RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
REQUESTS_DIR = "schedules"
POLL_SECONDS = 1.0


class UnsupportedExpression(ValueError):
    """A valid Scheduler expression this local player does not evaluate (L, W, #)."""


def _field_values(text: str, low: int, high: int, names: list[str] | None) -> frozenset[int]:
    """The values one cron field allows (`names` map to low, low+1, ...)."""
    if text in {"*", "?"}:
        return frozenset(range(low, high + 1))
    if any(mark in text for mark in ("L", "W", "#")):
        raise UnsupportedExpression(f"cron field {text!r} is not played locally")
    values = _listed_values(text, low, high, names)
    if not values or any(not low <= v <= high for v in values):
        raise UnsupportedExpression(f"cron field {text!r} names values outside {low}-{high}")
    return frozenset(values)


def _listed_values(text: str, low: int, high: int, names: list[str] | None) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in {"*", "?"}:
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _number(first, low, names), _number(last, low, names)
        else:
            start = _number(part, low, names)
            end = high if step > 1 else start
        values.update(range(start, end + 1, step))
    return values


def _number(text: str, low: int, names: list[str] | None) -> int:
    if names and text.upper() in names:
        return low + names.index(text.upper())
    return int(text)


@dataclass(frozen=True)
class Cron:
    """EventBridge Scheduler's cron(minutes hours day-of-month month day-of-week year);
    day-of-week 1-7 is SUN-SAT."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    years: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, expression: str) -> Cron:
        fields = expression.removeprefix("cron(").removesuffix(")").split()
        minute, hour, day, month, weekday, year = fields
        return cls(
            _field_values(minute, 0, 59, None),
            _field_values(hour, 0, 23, None),
            _field_values(day, 1, 31, None),
            _field_values(month, 1, 12, _MONTHS),
            _field_values(weekday, 1, 7, _DAYS),
            _field_values(year, 1970, 2199, None),
            day in {"*", "?"},
            weekday in {"*", "?"},
        )

    def matches(self, local: datetime) -> bool:
        weekday = local.isoweekday() % 7 + 1  # Monday=1 -> 2 ... Sunday=7 -> 1
        day_ok = local.day in self.days if not self.any_day else True
        weekday_ok = weekday in self.weekdays if not self.any_weekday else True
        return (
            local.minute in self.minutes
            and local.hour in self.hours
            and local.month in self.months
            and local.year in self.years
            and day_ok
            and weekday_ok
        )

    def next_after(self, after: datetime, zone: ZoneInfo) -> datetime:
        """The first whole UTC minute after `after` whose local time in `zone` matches
        (minutes skipped by a DST jump never match; repeated ones match once each)."""
        moment = after.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(60 * 24 * 366 * 2):
            if self.matches(moment.astimezone(zone)):
                return moment
            moment += timedelta(minutes=1)
        raise ValueError("the expression never fires within two years")


def next_fire(schedule: Schedule, after: datetime, started: datetime) -> datetime:
    """When `schedule` fires next after `after` (rates count from `started`)."""
    expression = schedule.expression
    if expression.startswith("rate("):
        amount, unit = expression.removeprefix("rate(").removesuffix(")").split()
        period = int(amount) * _RATE_UNITS[unit.rstrip("s")]
        elapsed = (after - started).total_seconds()
        periods = int(elapsed // period) + 1
        return started + timedelta(seconds=periods * period)
    return Cron.parse(expression).next_after(after, ZoneInfo(schedule.timezone))


def run_message(schedule: Schedule, at: datetime) -> dict[str, Any]:
    """The run message (the cloud's schedule target input says the same)."""
    return {
        "schedule": schedule.name,
        "scheduled_time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@dataclass(frozen=True)
class PlayedSchedule:
    """A declared schedule of `service` and the URL of its queue."""

    service: str
    schedule: Schedule
    queue_url: str


@dataclass
class _Entry:
    played: PlayedSchedule
    due: datetime


class LocalScheduler:
    """One thread playing every declared schedule; see the module docstring."""

    def __init__(
        self,
        sqs: Any,
        played: Iterable[PlayedSchedule],
        *,
        state_dir: Path,
        stop: threading.Event,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sqs = sqs
        self._clock = clock
        self._started = clock()
        self._entries = [
            _Entry(p, next_fire(p.schedule, self._started, self._started)) for p in played
        ]
        self._stop = stop
        self.requests_dir = state_dir / REQUESTS_DIR
        self.requests_dir.mkdir(parents=True, exist_ok=True)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        thread.start()
        return thread

    def next_fires(self) -> list[tuple[datetime, PlayedSchedule]]:
        return sorted(((e.due, e.played) for e in self._entries), key=lambda pair: pair[0])

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.tick()

    def tick(self) -> None:
        """Fire what is due (once, however long the thread slept), then answer requests."""
        now = self._clock()
        for entry in self._entries:
            if entry.due <= now:
                self.fire(entry.played, entry.due)
                entry.due = next_fire(entry.played.schedule, now, self._started)
        self._serve_requests()

    def _serve_requests(self) -> None:
        for request in sorted(self.requests_dir.glob("*.request")):
            service, _, name = request.stem.partition(".")
            entry = next(
                (
                    e
                    for e in self._entries
                    if e.played.service == service and e.played.schedule.name == name
                ),
                None,
            )
            outcome: dict[str, Any] = {"fired": False, "error": f"no schedule {service}/{name}"}
            if entry is not None:
                outcome = {"fired": True, "message_id": self.fire(entry.played, self._clock())}
            request.with_suffix(".result").write_text(json.dumps(outcome))
            request.unlink(missing_ok=True)

    def fire(self, played: PlayedSchedule, at: datetime) -> str:
        """Send the run message to the schedule's queue; its message id."""
        message = run_message(played.schedule, at)
        sent = self._sqs.send_message(QueueUrl=played.queue_url, MessageBody=json.dumps(message))
        log.info(
            "schedule %s/%s fired for %s",
            played.service,
            played.schedule.name,
            message["scheduled_time"],
        )
        return str((sent or {}).get("MessageId", ""))


def request_fire(
    state_dir: Path, service: str, schedule: str, timeout: float = 120
) -> dict[str, Any]:
    """Ask the running scheduler to fire `service/schedule` now; its outcome."""
    directory = state_dir / REQUESTS_DIR
    result = directory / f"{service}.{schedule}.result"
    result.unlink(missing_ok=True)
    (directory / f"{service}.{schedule}.request").write_text("now\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result.exists():
            outcome: dict[str, Any] = json.loads(result.read_text())
            result.unlink(missing_ok=True)
            return outcome
        time.sleep(0.2)
    raise TimeoutError(f"the scheduler did not answer for {service}/{schedule}")


def main(argv: list[str] | None = None) -> None:
    from common.settings import load_settings
    from infra.local.runtime import LocalSettings

    parser = argparse.ArgumentParser(
        prog="python -m infra.local.scheduler",
        description="Fire a declared schedule of the running local runtime now.",
        epilog="example: python -m infra.local.scheduler fire notifications digests",
    )
    parser.add_argument("action", choices=["fire"])
    parser.add_argument("service")
    parser.add_argument("schedule")
    args = parser.parse_args(argv)
    outcome = request_fire(load_settings(LocalSettings).state_dir, args.service, args.schedule)
    print(json.dumps(outcome))
    sys.exit(0 if outcome["fired"] else 1)


if __name__ == "__main__":
    main()
