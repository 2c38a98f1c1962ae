"""When the runtime says Ready: the event path drained, confirmed, with progress meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from common.topology import Function, ServiceTopology, Subscription, WorkQueue
from infra.local import readiness
from infra.local.readiness import CONFIRMATIONS, Backlog, wait_until_drained
from infra.local.resources import Provisioned, SubscriptionQueues

pytestmark = pytest.mark.unit

DRAINED = Backlog(committed=5, on_bus=5, relay_dead=0, queued=0, dead=0)


@pytest.mark.parametrize(
    ("backlog", "drained"),
    [
        (DRAINED, True),
        (Backlog(committed=5, on_bus=4, relay_dead=0, queued=0, dead=0), False),  # relaying
        (Backlog(committed=5, on_bus=5, relay_dead=0, queued=1, dead=0), False),  # projecting
        (Backlog(committed=5, on_bus=4, relay_dead=1, queued=0, dead=0), True),  # relay gave up
        (Backlog(committed=5, on_bus=5, relay_dead=0, queued=0, dead=2), True),  # in the DLQ
        (Backlog(committed=0, on_bus=0, relay_dead=0, queued=0, dead=0), True),  # no demo
    ],
)
def test_drained_means_every_committed_event_left_the_path(backlog: Backlog, drained: bool) -> None:
    assert backlog.drained is drained


def test_describe_names_the_dead_lettered_events() -> None:
    backlog = Backlog(committed=9, on_bus=8, relay_dead=1, queued=0, dead=2)
    assert backlog.describe() == "8/9 events on the bus, 0 queued, 3 dead-lettered"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def looks(*backlogs: Backlog) -> Iterator[Backlog]:
    yield from backlogs
    while True:
        yield backlogs[-1]


def test_waits_for_consecutive_drained_looks_and_reports_progress() -> None:
    busy = Backlog(committed=5, on_bus=2, relay_dead=0, queued=3, dead=0)
    # A drained look between busy ones (a consumer about to publish) is not enough.
    sequence = looks(*[busy] * 8, DRAINED, busy, DRAINED)
    clock = FakeClock()
    reported: list[Backlog] = []
    backlog, drained = wait_until_drained(
        lambda: next(sequence),
        timeout=60,
        progress=reported.append,
        progress_every=1.0,
        sleep=clock.sleep,
        clock=clock,
    )
    assert drained
    assert backlog == DRAINED
    assert reported
    assert all(not r.drained for r in reported)
    assert clock.now == pytest.approx(0.5 * (8 + 1 + 1 + CONFIRMATIONS - 1))


def test_gives_up_after_the_timeout_with_the_last_look() -> None:
    busy = Backlog(committed=5, on_bus=5, relay_dead=0, queued=1, dead=0)
    clock = FakeClock()
    backlog, drained = wait_until_drained(lambda: busy, timeout=10, sleep=clock.sleep, clock=clock)
    assert not drained
    assert backlog == busy
    assert clock.now == pytest.approx(10)


def test_ready_waits_for_subscriptions_not_for_a_services_own_stage_queues() -> None:
    topology = ServiceTopology(
        service="svc",
        functions=(Function(name="f", handler="x.y.h"),),
        subscriptions=(
            Subscription(name="events", detail_types=("A",), sources=("scts.a",), function="f"),
        ),
        work_queues=(WorkQueue(name="render", function="f"),),
    )
    provisioned = Provisioned(
        event_bus_name="bus",
        queues=[
            SubscriptionQueues(topology, topology.subscriptions[0], "q-events", "arn", "d-events"),
            SubscriptionQueues(topology, topology.work_queues[0], "q-render", "arn", "d-render"),
        ],
    )
    assert readiness.subscription_queues(provisioned) == (("q-events",), ("d-events",))
