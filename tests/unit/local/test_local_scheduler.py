"""The local scheduler: EventBridge Scheduler expressions (cron in a time zone across DST,
rates), fire times, and the run message it sends to the schedule's queue."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from common.topology import Schedule
from infra.local.scheduler import (
    Cron,
    LocalScheduler,
    PlayedSchedule,
    UnsupportedExpression,
    next_fire,
    run_message,
)
from services.documents.topology import MONTHLY_STATEMENTS
from services.topologies import TOPOLOGIES

pytestmark = pytest.mark.unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC_ZONE = ZoneInfo("UTC")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "after", "expected"),
    [
        ("0 3 1 * ? *", "2026-12-02T05:00", "2027-01-01T03:00"),
        ("0 3 1 * ? *", "2026-11-30T23:59", "2026-12-01T03:00"),
        ("0 3 1 * ? *", "2026-12-01T03:00", "2027-01-01T03:00"),
        ("*/15 * * * ? *", "2026-12-02T05:07", "2026-12-02T05:15"),
        ("30 8 ? * MON-FRI *", "2026-12-05T09:00", "2026-12-07T08:30"),  # Sat -> Monday
        ("0 0 ? * 1 *", "2026-12-02T00:00", "2026-12-06T00:00"),  # 1 = Sunday
        ("0 12 29 FEB ? *", "2026-03-01T00:00", "2028-02-29T12:00"),
    ],
)
def test_next_fire_times(cron: str, after: str, expected: str) -> None:
    assert Cron.parse(f"cron({cron})").next_after(at(after), UTC_ZONE) == at(expected)


@pytest.mark.parametrize("cron", ["0 3 L * ? *", "0 3 ? * 2#1 *", "0 3 1W * ? *", "61 3 1 * ? *"])
def test_what_is_not_played_is_refused(cron: str) -> None:
    with pytest.raises(UnsupportedExpression):
        Cron.parse(f"cron({cron})")


def test_every_declared_schedule_can_be_played() -> None:
    start = at("2026-01-01T00:00")
    for topology in TOPOLOGIES:
        for schedule in topology.schedules:
            assert next_fire(schedule, start, start) > start


def test_cron_is_read_in_the_schedule_time_zone_across_dst() -> None:
    daily_8 = Cron.parse("cron(0 8 * * ? *)")
    # Winter: 08:00 in Amsterdam is 07:00 UTC; after the March change it is 06:00 UTC.
    assert daily_8.next_after(utc(2026, 3, 28, 7, 30), AMSTERDAM) == utc(2026, 3, 29, 6, 0)
    assert daily_8.next_after(utc(2026, 3, 27, 8, 0), AMSTERDAM) == utc(2026, 3, 28, 7, 0)
    # 02:30 does not exist on 29 March 2026 in Amsterdam: the next one is a day later.
    at_0230 = Cron.parse("cron(30 2 * * ? *)")
    assert at_0230.next_after(utc(2026, 3, 28, 12, 0), AMSTERDAM) == utc(2026, 3, 30, 0, 30)


def test_rates_count_from_the_start() -> None:
    schedule = Schedule(name="r", expression="rate(5 minutes)", function="f")
    start = utc(2026, 1, 1, 0, 0, 10)
    assert next_fire(schedule, start, start) == utc(2026, 1, 1, 0, 5, 10)
    assert next_fire(schedule, utc(2026, 1, 1, 0, 12), start) == utc(2026, 1, 1, 0, 15, 10)


class _Sqs:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_message(self, QueueUrl: str, MessageBody: str) -> dict[str, Any]:
        self.sent.append((QueueUrl, MessageBody))
        return {"MessageId": f"m{len(self.sent)}"}


def test_a_fire_sends_what_eventbridge_scheduler_sends(tmp_path: Path) -> None:
    sqs = _Sqs()
    played = PlayedSchedule("documents", MONTHLY_STATEMENTS, "http://queue")
    clock = [at("2026-12-02T05:00")]
    scheduler = LocalScheduler(
        sqs, [played], state_dir=tmp_path, stop=threading.Event(), clock=lambda: clock[0]
    )
    assert scheduler.next_fires()[0][0] == at("2027-01-01T03:00")
    clock[0] = at("2027-01-01T03:00:30")
    scheduler.tick()
    scheduler.tick()  # due once, sent once
    assert sqs.sent == [
        (
            "http://queue",
            json.dumps(
                {"schedule": "monthly-statements", "scheduled_time": "2027-01-01T03:00:00Z"}
            ),
        )
    ]
    assert run_message(MONTHLY_STATEMENTS, at("2027-01-01T03:00"))["scheduled_time"].endswith("Z")
    assert scheduler.next_fires()[0][0] == at("2027-02-01T03:00")


def test_fire_now_sends_a_run_and_answers_with_its_message_id(tmp_path: Path) -> None:
    sqs = _Sqs()
    scan = Schedule(name="scan", expression="rate(1 day)", function="f")
    scheduler = LocalScheduler(
        sqs, [PlayedSchedule("svc", scan, "http://q")], state_dir=tmp_path, stop=threading.Event()
    )
    (scheduler.requests_dir / "svc.scan.request").write_text("now")
    (scheduler.requests_dir / "svc.nothing.request").write_text("now")
    scheduler.tick()
    assert [json.loads(body)["schedule"] for _, body in sqs.sent] == ["scan"]
    fired = json.loads((scheduler.requests_dir / "svc.scan.result").read_text())
    assert fired == {"fired": True, "message_id": "m1"}
    unknown = json.loads((scheduler.requests_dir / "svc.nothing.result").read_text())
    assert unknown["fired"] is False
