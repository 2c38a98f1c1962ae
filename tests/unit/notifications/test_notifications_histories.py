"""Property: a history delivered with duplicates, replays, reordering (within the same
access state) and crashes gives exactly the notifications of the ordered, de-duplicated
history: one per (event, person, channel), with the same outcome on each channel.

Recipients are the members at the time an event is first processed (a removed member hears
nothing from the moment their removal is processed), so the property reorders events only
between two access changes; duplicates and replays may arrive any time later, after
members joined or left, and still change nothing: the first plan is kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.notifications.logic.intake import take_event

from .events import invoice, trade
from .fakes import World

pytestmark = pytest.mark.unit

ACC = "acc_a"
PERMISSIONS = {
    "trader": ("trades:read",),
    "finance": ("billing:read",),
    "viewer": ("trades:read", "billing:read"),
    "newcomer": ("trades:read", "billing:read"),
}
MEMBERS_AT_START = ("trader", "finance", "viewer")


def business_events(count: int) -> list[Any]:
    return [trade(ACC, f"T-{i}") if i % 3 else invoice(ACC, f"INV-{i}") for i in range(count)]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    """(ordered history, delivered history): each item an event or ("grant"|"revoke", who)."""
    events = business_events(draw(st.integers(1, 8)))
    people = list(PERMISSIONS)
    changes: list[tuple[str, str]] = []
    for person in draw(st.permutations(people)):
        if draw(st.booleans()):
            changes.append(("revoke" if person in MEMBERS_AT_START else "grant", person))
    cuts = sorted(
        draw(st.lists(st.integers(0, len(events)), min_size=len(changes), max_size=len(changes)))
    )
    ordered: list[Any] = []
    epochs: list[list[Any]] = []
    start = 0
    for change, cut in zip([*changes, None], [*cuts, len(events)], strict=True):
        epoch = events[start:cut]
        epochs.append(epoch)
        ordered += epoch
        if change is not None:
            ordered.append(change)
        start = cut
    delivered: list[Any] = []
    seen: list[Any] = []
    for index, epoch in enumerate(epochs):
        shuffled: list[Any] = draw(st.permutations(epoch))
        for event in shuffled:
            delivered.append(event)
            seen.append(event)
            if draw(st.booleans()):
                delivered.append(draw(st.sampled_from(seen)))  # a duplicate or a replay
        if index < len(changes):
            delivered.append(changes[index])
    delivered += draw(st.lists(st.sampled_from(events), max_size=4))  # late replays
    return ordered, delivered


def play(history: list[Any], crash_at: int | None = None) -> set[tuple[str, str, str, str]]:
    world = World()
    for person, permissions in PERMISSIONS.items():
        if person in MEMBERS_AT_START:
            world.access.grant(ACC, person, *permissions)
        world.person(person)
    pending = list(history)
    step = 0
    while pending:
        item = pending.pop(0)
        if isinstance(item, tuple):
            action, person = item
            if action == "revoke":
                world.access.revoke(ACC, person)
            else:
                world.access.grant(ACC, person, *PERMISSIONS[person])
            continue
        if step == crash_at:
            world.store.fail_create_after = len(world.store.items)
        step += 1
        try:
            take_event(world.ports, item)
        except RuntimeError:
            pending.insert(0, item)  # the queue delivers it again
    return {
        (n.occurrence_id, n.subject, channel.value, delivery.status.value)
        for n in world.store.items.values()
        for channel, delivery in n.deliveries.items()
    }


@settings(max_examples=150, deadline=None)
@given(histories(), st.one_of(st.none(), st.integers(0, 20)))
def test_duplicated_shuffled_replayed_and_crashed_histories_notify_like_the_ordered_one(
    history: tuple[list[Any], list[Any]], crash_at: int | None
) -> None:
    ordered, delivered = history
    assert play(delivered, crash_at) == play(ordered)
