"""common/topology.py: work queues, mail events and schedules are validated like the rest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from common.topology import (
    Function,
    MailEvents,
    PlatformRef,
    Schedule,
    ServiceTopology,
    WorkQueue,
    schedule_expression_problem,
)

pytestmark = pytest.mark.unit

F = (Function(name="work", handler="x.y.handler"),)


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 day)",
        "cron(0 6 * * ? *)",
        "cron(0/15 * * * ? *)",
        "cron(30 8 ? * MON-FRI *)",
    ],
)
def test_scheduler_expressions_we_accept(expression: str) -> None:
    assert schedule_expression_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("rate(1 minutes)", "singular"),
        ("rate(5 minute)", "singular"),
        ("rate(0 minutes)", "expected"),
        ("every 5 minutes", "expected"),
        ("cron(0 6 * * *)", "6 fields"),
        ("cron(0 6 * * * *)", "exactly one"),
        ("cron(0 6 ? * ? *)", "exactly one"),
    ],
)
def test_scheduler_expressions_we_refuse_say_why(expression: str, why: str) -> None:
    problem = schedule_expression_problem(expression)
    assert problem is not None
    assert why in problem
    with pytest.raises(ValidationError, match=why):
        Schedule(name="scan", expression=expression, function="work")


def test_a_schedule_names_a_real_time_zone_and_function() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        Schedule(name="scan", expression="rate(1 hour)", function="work", timezone="Mars/Base")
    with pytest.raises(ValidationError, match="unknown"):
        ServiceTopology(
            service="x",
            functions=F,
            schedules=(Schedule(name="scan", expression="rate(1 hour)", function="nope"),),
        )
    with pytest.raises(ValidationError, match="schedule names repeat"):
        ServiceTopology(
            service="x",
            functions=F,
            schedules=(
                Schedule(name="scan", expression="rate(1 hour)", function="work"),
                Schedule(name="scan", expression="rate(2 hours)", function="work"),
            ),
        )


def test_work_queues_and_mail_events_are_queues_with_their_own_names() -> None:
    topology = ServiceTopology(
        service="x",
        functions=F,
        work_queues=(WorkQueue(name="render", function="work"),),
        mail_events=MailEvents(name="mail-events", function="work"),
        platform=frozenset({PlatformRef.MAIL_SENDER}),
    )
    assert [q.name for q in topology.queue_fed] == ["render", "mail-events"]
    assert topology.work_queues[0].env_var == "SCTS_RENDER_QUEUE"
    assert topology.mail_configuration_set("prod") == "scts-prod-x-mail-events"
    with pytest.raises(ValidationError, match="share one queue"):
        ServiceTopology(
            service="x",
            functions=F,
            work_queues=(
                WorkQueue(name="a", function="work"),
                WorkQueue(name="a", function="work"),
            ),
        )
    with pytest.raises(ValidationError, match="MAIL_SENDER"):
        ServiceTopology(
            service="x", functions=F, mail_events=MailEvents(name="mail-events", function="work")
        )


def test_a_time_zone_is_an_iana_zone_name() -> None:
    from zoneinfo import available_timezones

    from common.time_zones import NOT_ZONES, is_time_zone

    listed = available_timezones() - NOT_ZONES
    assert len(listed) > 300
    assert all(is_time_zone(name) for name in listed)
    for name in (
        "Mars/Base",
        "",
        "utc",
        *NOT_ZONES,
        "../etc/passwd",
        "/etc/localtime",
        "Europe/../UTC",
        "right/UTC",
        "posix/Europe/Paris",
        "a\0b",
        "x" * 5000,
    ):
        assert not is_time_zone(name), name[:20]
