"""Resolve: who hears of what, on which channels, exactly once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from common.access import AccountStatus
from services.notifications.logic.intake import take_event
from services.notifications.logic.occurrences import occurrence_of
from services.notifications.logic.resolve import RETENTION_DAYS, resolve
from services.notifications.models.domain import (
    AccountDefaults,
    Category,
    Channel,
    DeliveryStatus,
    Kind,
    PersonPreferences,
    QuietHours,
    Suppression,
    SuppressionReason,
)

from .events import document, invoice, trade
from .fakes import NOW, World

pytestmark = pytest.mark.unit

ACC = "acc_a"
TRADES = ("trades:read", "portfolio:read")
BILLING = ("billing:read",)


@pytest.fixture
def world() -> World:
    w = World()
    w.access.grant(ACC, "trader", *TRADES)
    w.access.grant(ACC, "finance", *BILLING)
    for subject in ("trader", "finance"):
        w.person(subject)
    return w


def told(world: World) -> set[tuple[str, str]]:
    return {(n.subject, n.kind.value) for n in world.store.items.values()}


def test_a_trade_reaches_who_may_read_trades_and_an_invoice_who_may_read_billing(
    world: World,
) -> None:
    take_event(world.ports, trade(ACC, "T-1"))
    take_event(world.ports, invoice(ACC, "INV-1"))
    assert told(world) == {("trader", "trade_executed"), ("finance", "invoice_issued")}
    [message] = [
        m for m in world.queues.take("render") if m["occurrence"]["kind"] == "trade_executed"
    ]
    assert [(i["subject"], sorted(i["channels"])) for i in message["items"]] == [
        ("trader", ["email"])
    ]


@pytest.mark.parametrize(
    ("kind", "who"),
    [
        ("trade_confirmation", {"trader"}),
        ("invoice", {"finance"}),
        ("credit_note", {"finance"}),
        ("redemption_statement", {"trader"}),
        ("monthly_statement", {"owner"}),  # holdings and invoices: portfolio AND billing
    ],
)
def test_a_document_reaches_only_who_may_read_its_kind(
    world: World, kind: str, who: set[str]
) -> None:
    world.access.grant(ACC, "owner", *TRADES, *BILLING)
    world.access.grant(ACC, "reader", "documents:read")  # the documents area alone: nothing
    for subject in ("owner", "reader"):
        world.person(subject)
    take_event(world.ports, document(ACC, kind, "R-1"))
    expected = who | ({"owner"} if kind != "monthly_statement" else set())
    assert {subject for subject, _ in told(world)} == expected


def test_nobody_outside_the_account_and_no_removed_member(world: World) -> None:
    world.access.grant("acc_b", "stranger", *TRADES)
    world.access.revoke(ACC, "trader")
    take_event(world.ports, trade(ACC, "T-1"))
    assert told(world) == set()


def test_a_suspended_account_tells_nobody(world: World) -> None:
    world.access.accounts[ACC] = AccountStatus.SUSPENDED
    assert take_event(world.ports, trade(ACC, "T-1")) == 0


def test_duplicates_and_replays_reuse_the_first_plan(world: World) -> None:
    event = trade(ACC, "T-1")
    take_event(world.ports, event)
    world.access.grant(ACC, "newcomer", *TRADES)  # joined after the event was told
    world.person("newcomer")
    take_event(world.ports, event)
    take_event(world.ports, event)
    assert told(world) == {("trader", "trade_executed")}
    assert len(world.store.items) == 1


def test_a_crash_between_steps_resumes_the_same_plan(world: World) -> None:
    world.access.grant(ACC, "admin", *TRADES)
    world.person("admin")
    world.store.fail_create_after = 1
    event = trade(ACC, "T-1")
    with pytest.raises(RuntimeError):
        take_event(world.ports, event)
    assert len(world.store.items) == 1
    assert world.queues.sent.get("render") is None
    take_event(world.ports, event)
    assert told(world) == {("trader", "trade_executed"), ("admin", "trade_executed")}


def test_an_event_older_than_the_retention_tells_nobody(world: World) -> None:
    old = trade(ACC, "T-0", at=NOW - timedelta(days=RETENTION_DAYS + 1))
    assert take_event(world.ports, old) == 0


def test_cams_hear_only_what_they_opted_into(world: World) -> None:
    world.access.cams[ACC] = {"cam"}
    world.person("cam")
    take_event(world.ports, trade(ACC, "T-1"))
    assert ("cam", "trade_executed") not in told(world)
    world.store.person("cam")["preferences"] = PersonPreferences(
        channels={Category.TRADES: {Channel.INBOX: True}}, version=1
    )
    take_event(world.ports, trade(ACC, "T-2"))
    cam_items = [n for n in world.store.items.values() if n.subject == "cam"]
    assert [n.deliveries[Channel.INBOX].status for n in cam_items] == [DeliveryStatus.DELIVERED]
    assert cam_items[0].deliveries[Channel.EMAIL].reason == "cam_not_opted_in"


def test_choices_account_defaults_mute_and_suppression(world: World) -> None:
    world.store.defaults[ACC] = AccountDefaults(
        account_id=ACC, channels={Category.TRADES: {Channel.EMAIL: False}}, version=1
    )
    take_event(world.ports, trade(ACC, "T-1"))
    [first] = world.store.items.values()
    assert first.deliveries[Channel.EMAIL].reason == "account_default_off"
    world.store.person("trader")["preferences"] = PersonPreferences(
        channels={Category.TRADES: {Channel.EMAIL: True}}, version=1
    )
    world.store.person("trader")["suppression"] = Suppression(
        reason=SuppressionReason.HARD_BOUNCE, at=NOW, detail="550"
    )
    take_event(world.ports, trade(ACC, "T-2"))
    second = max(world.store.items.values(), key=lambda n: n.facts["reference"])
    assert second.deliveries[Channel.EMAIL].status is DeliveryStatus.SUPPRESSED
    world.store.person("trader")["preferences"] = PersonPreferences(muted_accounts=[ACC], version=2)
    take_event(world.ports, trade(ACC, "T-3"))
    assert "T-3" not in {n.facts["reference"] for n in world.store.items.values()}


def test_quiet_hours_hold_and_critical_kinds_skip_them(world: World) -> None:
    world.store.person("trader")["preferences"] = PersonPreferences(
        quiet_hours=QuietHours(start=time(8, 0), end=time(10, 0)), version=1
    )
    world.access.grant(ACC, "trader", *TRADES)
    take_event(world.ports, trade(ACC, "T-1"))  # NOW is 09:00 UTC
    [held] = world.store.items.values()
    assert held.deliveries[Channel.EMAIL].reason == "quiet_hours"
    assert held.deliveries[Channel.EMAIL].due_at == NOW + timedelta(hours=1)
    assert held.deliveries[Channel.INBOX].status is DeliveryStatus.DELIVERED
    assert world.queues.take("render") == []
    occurrence = occurrence_of(trade(ACC, "T-2"))
    assert occurrence is not None
    resolve(world.ports, occurrence.model_copy(update={"kind": Kind.DELIVERY_FAILED}))
    [message] = world.queues.take("render")
    assert message["items"][0]["channels"] == ["email"]


def test_notices_about_a_person_reach_only_them_and_invitations_are_not_mailed_twice(
    world: World,
) -> None:
    from contracts.events import identity as idn

    invited = idn.MemberInvitedData(
        account_id=ACC,
        sequence=9,
        subject="newbie",
        email="newbie@example.com",
        role="viewer",
        expires_at=NOW + timedelta(days=7),
    )
    take_event(world.ports, idn.MEMBER_INVITED.new(invited, account_id=ACC, correlation_id="c"))
    [notice] = world.store.items.values()
    assert (notice.subject, notice.kind.value) == ("newbie", "access_invited")
    assert notice.deliveries[Channel.EMAIL].reason == "mailed_by_identity"
    assert notice.deliveries[Channel.INBOX].status is DeliveryStatus.DELIVERED
    assert world.store.people(["newbie"])["newbie"].contact.email == "newbie@example.com"
    mfa = idn.MfaEnabledData(subject="trader")
    world.store.person("trader")["preferences"] = PersonPreferences(
        channels={Category.TRADES: {Channel.EMAIL: False}}, muted_accounts=[ACC], version=1
    )
    take_event(world.ports, idn.MFA_ENABLED.new(mfa, account_id=None, correlation_id="c"))
    security = next(n for n in world.store.items.values() if n.kind.value == "mfa_enabled")
    assert security.subject == "trader"
    assert security.deliveries[Channel.EMAIL].status is DeliveryStatus.QUEUED  # cannot be off
