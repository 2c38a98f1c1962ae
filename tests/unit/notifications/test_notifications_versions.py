"""Provisioning's facts carry the entity's version ("consumers can ignore a version older
than the one they hold"). An older version delivered after a newer one (the bus does not
keep order; a redrive from a DLQ) was told as news: a trade cancelled at version 3, then
"executed" (version 1) told after it; an invoice paid, then told as "issued"."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.envelope import EventEnvelope
from contracts.events import provisioning as prv
from services.notifications.logic.intake import take_event
from services.notifications.logic.wording import wording
from services.notifications.models.domain import Contact

from .events import invoice, trade
from .fakes import World

pytestmark = pytest.mark.unit

ACC = "acc_a"
CONTACT = Contact(subject="sub-1", email="p@example.com")


def cancelled(reference: str, version: int) -> EventEnvelope[Any]:
    executed: prv.Trade = trade(ACC, reference).data
    data = executed.model_copy(
        update={"status": "cancelled", "version": version, "cancellation_reason": "mistake"}
    )
    return prv.TRADE_CANCELLED.new(data, account_id=ACC, correlation_id="c")


@pytest.fixture
def world() -> World:
    w = World()
    w.access.grant(ACC, "trader", "trades:read", "billing:read")
    w.person("trader")
    return w


def told(world: World) -> list[str]:
    return sorted(n.kind.value for n in world.store.items.values())


def test_an_older_version_of_a_trade_arriving_late_tells_nobody(world: World) -> None:
    take_event(world.ports, cancelled("T-1", version=3))
    assert take_event(world.ports, trade(ACC, "T-1", version=1)) == 0
    assert told(world) == ["trade_cancelled"]


def test_an_invoice_issued_arriving_after_it_was_paid_tells_nobody(world: World) -> None:
    take_event(world.ports, invoice(ACC, "INV-1", paid=True, version=2))
    assert take_event(world.ports, invoice(ACC, "INV-1", version=1)) == 0
    assert told(world) == ["invoice_paid"]


def test_the_same_event_again_resumes_and_newer_versions_are_told(world: World) -> None:
    executed = trade(ACC, "T-2", version=1)
    assert take_event(world.ports, executed) == 1
    assert take_event(world.ports, executed) == 1  # a redelivery: the same plan, nothing new
    take_event(world.ports, cancelled("T-2", version=2))
    assert told(world) == ["trade_cancelled", "trade_executed"]


def test_a_version_that_failed_halfway_is_resumed_after_a_newer_one(world: World) -> None:
    """Version 1 was planned, then its hand-off to render failed (throttled); version 2 was
    told meanwhile. Version 1's retry resumes its plan, or its notices would wait queued
    for ever."""
    to_render = world.queues.render
    attempts: list[int] = []

    def throttled_once(messages: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("SendMessageBatch throttled")
        return to_render(messages)

    world.queues.render = throttled_once  # type: ignore[method-assign]
    executed = trade(ACC, "T-3", version=1)
    with pytest.raises(RuntimeError):
        take_event(world.ports, executed)
    take_event(world.ports, cancelled("T-3", version=2))
    assert take_event(world.ports, executed) == 1
    rendered = [m["occurrence"]["kind"] for m in world.queues.sent["render"]]
    assert sorted(rendered) == ["trade_cancelled", "trade_executed"]


def titles(world: World) -> list[str]:
    return sorted(
        wording(n.kind, n.facts, "Acme", CONTACT).title for n in world.store.items.values()
    )


def test_a_later_version_of_an_open_invoice_is_told_as_updated_not_issued_again(
    world: World,
) -> None:
    second = invoice(ACC, "INV-4", version=2)
    take_event(world.ports, invoice(ACC, "INV-4", version=1))
    take_event(world.ports, second)
    take_event(world.ports, second)  # redelivered: the same notices, told alike
    take_event(world.ports, invoice(ACC, "INV-4", version=3, paid=True))
    assert titles(world) == [
        "Invoice INV-4 issued",
        "Invoice INV-4 paid",
        "Invoice INV-4 updated",
    ]


def test_the_first_version_people_hear_of_is_issued_whatever_its_number(world: World) -> None:
    """The bus keeps no order, and a publisher may start at any version: version 2 told
    first is "issued", and version 1 arriving after it is not told."""
    assert take_event(world.ports, invoice(ACC, "INV-5", version=2)) == 1
    assert take_event(world.ports, invoice(ACC, "INV-5", version=1)) == 0
    assert titles(world) == ["Invoice INV-5 issued"]
