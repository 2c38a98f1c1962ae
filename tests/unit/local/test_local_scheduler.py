"""The local scheduler: EventBridge cron expressions, fire times, the message it sends."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest

from infra.local.scheduler import Cron, LocalScheduler, PlayedSchedule, UnsupportedCron, run_message
from services import TOPOLOGIES
from services.documents.topology import MONTHLY_STATEMENTS

pytestmark = pytest.mark.unit


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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
    assert Cron.parse(cron).next_after(at(after)) == at(expected)


@pytest.mark.parametrize("cron", ["0 3 L * ? *", "0 3 ? * 2#1 *", "0 3 1W * ? *", "61 3 1 * ? *"])
def test_what_is_not_played_is_refused(cron: str) -> None:
    with pytest.raises(UnsupportedCron):
        Cron.parse(cron)


def test_every_declared_schedule_can_be_played() -> None:
    for topology in TOPOLOGIES:
        for schedule in topology.schedules:
            assert Cron.parse(schedule.cron).next_after(at("2026-01-01T00:00"))


class _Sqs:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_message(self, QueueUrl: str, MessageBody: str) -> None:
        self.sent.append((QueueUrl, MessageBody))


def test_a_fire_sends_what_eventbridge_scheduler_sends() -> None:
    sqs = _Sqs()
    played = PlayedSchedule(MONTHLY_STATEMENTS, "http://queue")
    scheduler = LocalScheduler(sqs, [played], threading.Event())
    scheduler.fire(played, at("2027-01-01T03:00"))
    assert sqs.sent == [
        (
            "http://queue",
            json.dumps(
                {"schedule": "monthly-statements", "scheduled_time": "2027-01-01T03:00:00Z"}
            ),
        )
    ]
    assert run_message(MONTHLY_STATEMENTS, at("2027-01-01T03:00"))["scheduled_time"].endswith("Z")
    assert scheduler.next_fires(at("2026-12-02T05:00"))[0][0] == at("2027-01-01T03:00")
