"""infra/local/scheduler.py: the local player of declared schedules."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from common.topology import Function, Schedule, ServiceTopology
from infra.local.invoke import InvokeResult
from infra.local.scheduler import Cron, LocalScheduler, UnsupportedExpression, next_fire

pytestmark = pytest.mark.unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_cron_is_read_in_the_schedule_time_zone_across_dst() -> None:
    daily_8 = Cron.parse("cron(0 8 * * ? *)")
    # Winter: 08:00 in Amsterdam is 07:00 UTC; after the March change it is 06:00 UTC.
    assert daily_8.next_after(utc(2026, 3, 28, 7, 30), AMSTERDAM) == utc(2026, 3, 29, 6, 0)
    assert daily_8.next_after(utc(2026, 3, 27, 8, 0), AMSTERDAM) == utc(2026, 3, 28, 7, 0)
    # 02:30 does not exist on 29 March 2026 in Amsterdam: the next one is a day later.
    at_0230 = Cron.parse("cron(30 2 * * ? *)")
    assert at_0230.next_after(utc(2026, 3, 28, 12, 0), AMSTERDAM) == utc(2026, 3, 30, 0, 30)


def test_cron_steps_weekdays_and_unsupported_forms() -> None:
    quarter = Cron.parse("cron(0/15 * * * ? *)")
    assert quarter.next_after(utc(2026, 1, 1, 10, 7), ZoneInfo("UTC")) == utc(2026, 1, 1, 10, 15)
    weekdays = Cron.parse("cron(0 9 ? * MON-FRI *)")
    # 2026-01-03 is a Saturday: next is Monday the 5th.
    assert weekdays.next_after(utc(2026, 1, 3, 0, 0), ZoneInfo("UTC")) == utc(2026, 1, 5, 9, 0)
    with pytest.raises(UnsupportedExpression):
        Cron.parse("cron(0 9 L * ? *)")


def test_rates_count_from_the_start() -> None:
    schedule = Schedule(name="r", expression="rate(5 minutes)", function="f")
    start = utc(2026, 1, 1, 0, 0, 10)
    assert next_fire(schedule, start, start) == utc(2026, 1, 1, 0, 5, 10)
    assert next_fire(schedule, utc(2026, 1, 1, 0, 12), start) == utc(2026, 1, 1, 0, 15, 10)


def test_fire_now_retries_then_dead_letters(tmp_path: Path) -> None:
    topology = ServiceTopology(
        service="svc",
        functions=(Function(name="f", handler="x.y.h"),),
        schedules=(Schedule(name="scan", expression="rate(1 day)", function="f", max_retries=2),),
    )
    calls: list[dict[str, Any]] = []
    dead: list[dict[str, Any]] = []

    def invoke(name: str, event: dict[str, Any]) -> InvokeResult:
        calls.append(event)
        return InvokeResult({"errorMessage": "boom"}, error="Unhandled")

    scheduler = LocalScheduler(
        [(topology, topology.schedules[0], "scts-local-svc-f")],
        invoke,
        state_dir=tmp_path,
        dead_letter=dead.append,
        stop=threading.Event(),
    )
    (scheduler.requests_dir / "svc.scan.request").write_text("now")
    scheduler._serve_requests()
    assert len(calls) == 3
    assert calls[0]["schedule"] == "scan"
    assert dead[0]["schedule"] == "scan"
    assert "boom" in dead[0]["error"]
    result = (scheduler.requests_dir / "svc.scan.result").read_text()
    assert '"fired": true' in result
    assert "boom" in result
