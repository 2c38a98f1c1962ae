"""Dispatch and held notices: an email the provider refuses waits for the retry alone (the
others of its job are not sent again), and a held (digest) notice follows the person's
choices at the time it goes out, not those of the time it was held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from services.notifications.logic import pipeline, schedules
from services.notifications.logic.intake import take_event
from services.notifications.logic.ports import MailedNotices, PushAnswer, SentMail
from services.notifications.models.domain import (
    Category,
    Channel,
    DeliveryStatus,
    PersonPreferences,
    PushSubscription,
)

from .events import trade
from .fakes import Mailbox, PushBox, World

pytestmark = pytest.mark.unit

ACC = "acc_a"


@dataclass
class RefusingMailbox(Mailbox):
    """Refuses mail to `refused` (a throttle, a rejected address...) until told otherwise."""

    refused: str = ""

    def send_raw(self, to: str, raw: bytes) -> SentMail:
        if to == self.refused:
            raise RuntimeError("the provider refused the message")
        return super().send_raw(to, raw)


def traders(world: World, *subjects: str) -> None:
    for subject in subjects:
        world.access.grant(ACC, subject, "trades:read")
        world.person(subject)


def email_status(world: World, subject: str) -> DeliveryStatus:
    [notification] = [n for (s, _), n in world.store.items.items() if s == subject]
    return notification.deliveries[Channel.EMAIL].status


def email_job_refused_for_bob() -> tuple[RefusingMailbox, World, dict[str, Any]]:
    """A trade told to alice and bob by email, rendered: its email job, whose provider
    refuses bob's address."""
    mailbox = RefusingMailbox(refused="bob@example.com")
    world = World(mailbox=mailbox)
    traders(world, "alice", "bob")
    take_event(world.ports, trade(ACC, "T-1", at=world.clock.now))
    for message in world.queues.take("render"):
        pipeline.render_occurrence(world.ports, message)
    [job] = world.queues.take("email")
    return mailbox, world, job


def test_an_email_the_provider_refuses_waits_for_the_retry_and_the_others_go_once() -> None:
    mailbox, world, job = email_job_refused_for_bob()

    outcomes, retry = pipeline.dispatch_emails(world.ports, job)
    assert retry
    assert [(o.subject, o.status) for o in outcomes] == [("alice", "sent")]
    world.store.record(outcomes, world.clock.now)
    assert email_status(world, "bob") is DeliveryStatus.QUEUED  # released, not leased

    mailbox.refused = ""
    world.clock.now += timedelta(seconds=pipeline.LEASE_SECONDS + 30)
    outcomes, retry = pipeline.dispatch_emails(world.ports, job)
    assert not retry
    assert [(o.subject, o.status) for o in outcomes] == [("bob", "sent")]
    assert sorted(to for to, _ in mailbox.sent) == ["alice@example.com", "bob@example.com"]


def test_a_digest_leaves_out_what_the_person_switched_off_after_it_was_held() -> None:
    world = World()
    traders(world, "carol")
    world.store.save_preferences("carol", PersonPreferences(email_mode="daily_digest", version=1))
    take_event(world.ports, trade(ACC, "T-1", at=world.clock.now))
    off = {Category.TRADES: {Channel.EMAIL: False}}
    world.store.save_preferences(
        "carol", PersonPreferences(email_mode="daily_digest", channels=off, version=2)
    )

    schedules.send_digests(world.ports, now=world.clock.now + timedelta(days=1))
    for message in world.queues.take("render"):
        pipeline.render_held(world.ports, message)
    assert world.queues.take("email") == []
    [notification] = world.store.items.values()
    email = notification.deliveries[Channel.EMAIL]
    assert (email.status, email.reason) == (DeliveryStatus.NOT_SENT, "switched_off")


def test_a_held_email_of_a_person_without_an_address_now_is_not_sent_not_left_queued() -> None:
    world = World()
    traders(world, "dave")
    world.store.save_preferences("dave", PersonPreferences(email_mode="daily_digest", version=1))
    take_event(world.ports, trade(ACC, "T-1", at=world.clock.now))
    world.store.person("dave")["contact"]["email"] = None  # the address went away since

    schedules.send_digests(world.ports, now=world.clock.now + timedelta(days=1))
    for message in world.queues.take("render"):
        pipeline.render_held(world.ports, message)
    [notification] = world.store.items.values()
    email = notification.deliveries[Channel.EMAIL]
    assert (email.status, email.reason) == (DeliveryStatus.NOT_SENT, "no_address")


def test_a_digest_rendered_again_at_dispatch_needs_its_persons_address_then() -> None:
    world = World()
    for account in (ACC, "acc_b"):
        world.access.grant(account, "erin", "trades:read")
    world.person("erin")
    world.store.save_preferences("erin", PersonPreferences(email_mode="daily_digest", version=1))
    for account, reference in ((ACC, "T-1"), ("acc_b", "T-2")):
        take_event(world.ports, trade(account, reference, at=world.clock.now))
    schedules.send_digests(world.ports, now=world.clock.now + timedelta(days=1))
    for message in world.queues.take("render"):
        pipeline.render_held(world.ports, message)
    [job] = world.queues.take("email")
    world.access.revoke("acc_b", "erin")  # the digest is rendered again without T-2...
    world.store.person("erin")["contact"]["email"] = None  # ...for an address now gone

    outcomes, retry = pipeline.dispatch_emails(world.ports, job)
    assert not retry
    assert sorted((o.status, o.reason) for o in outcomes) == [
        ("not_sent", "access_revoked"),
        ("not_sent", "no_address"),
    ]
    assert world.mailbox.sent == []


def test_a_sent_email_is_not_sent_again_by_a_retry_after_its_claim_ended() -> None:
    """The job is retried (for bob) after the lease ended, while the record stage has not
    yet written alice's outcome (slow, throttled): alice must not get the email twice."""
    mailbox, world, job = email_job_refused_for_bob()
    pipeline.dispatch_emails(world.ports, job)  # its outcomes wait on the record queue

    mailbox.refused = ""
    world.clock.now += timedelta(seconds=pipeline.LEASE_SECONDS + 30)
    pipeline.dispatch_emails(world.ports, job)
    assert sorted(to for to, _ in mailbox.sent) == ["alice@example.com", "bob@example.com"]
    [alice] = [n for (s, _), n in world.store.items.items() if s == "alice"]
    email = alice.deliveries[Channel.EMAIL]
    assert (email.status, email.provider_id) == (DeliveryStatus.SENT, "msg-1")
    assert world.store.deliveries_of_message("msg-1") == MailedNotices(
        "alice", (alice.notification_id,)
    )


def test_a_sent_push_is_not_sent_again_by_a_retry_after_its_claim_ended() -> None:
    world = World()
    traders(world, "alice", "bob")
    for subject in ("alice", "bob"):
        world.store.add_push_subscription(
            PushSubscription(
                subscription_id=f"sub-{subject}",
                subject=subject,
                endpoint=f"https://push.example/{subject}",
                p256dh="key",
                auth="auth",
                created_at=world.clock.now,
            ),
            limit=10,
        )
    world.pushbox.answers["https://push.example/bob"] = 503  # bob's push service is busy
    take_event(world.ports, trade(ACC, "T-1", at=world.clock.now))
    for message in world.queues.take("render"):
        pipeline.render_occurrence(world.ports, message)
    [job] = world.queues.take("push")
    _, retry = pipeline.dispatch_pushes(world.ports, job)  # outcomes wait on the record queue
    assert retry

    world.pushbox.answers.clear()
    world.clock.now += timedelta(seconds=pipeline.LEASE_SECONDS + 30)
    pipeline.dispatch_pushes(world.ports, job)
    assert sorted(endpoint for endpoint, *_ in world.pushbox.sent) == [
        "https://push.example/alice",
        "https://push.example/bob",
    ]


def alice_with_a_browser(world: World) -> dict[str, object]:
    """Alice, a trader with one browser, told of a trade: the push job."""
    traders(world, "alice")
    world.store.add_push_subscription(
        PushSubscription(
            subscription_id="sub-alice",
            subject="alice",
            endpoint="https://push.example/alice",
            p256dh="key",
            auth="auth",
            created_at=world.clock.now,
        ),
        limit=10,
    )
    take_event(world.ports, trade(ACC, "T-1", at=world.clock.now))
    for message in world.queues.take("render"):
        pipeline.render_occurrence(world.ports, message)
    [job] = world.queues.take("push")
    return job


@dataclass
class FailingPushBox(PushBox):
    """Raises (a secret not readable, a library's error) for `failing` once."""

    failing: str = ""

    def send(
        self, subscription: PushSubscription, payload: bytes, *, ttl: int, urgency: str, topic: str
    ) -> PushAnswer:
        if subscription.endpoint == self.failing:
            self.failing = ""
            raise RuntimeError("the push sender failed")
        return super().send(subscription, payload, ttl=ttl, urgency=urgency, topic=topic)


def test_a_push_the_sender_failed_on_is_sent_by_the_stages_next_retry() -> None:
    """The failed message comes back within seconds (the stage's backoff), long before the
    claim's lease ends: it found the push still claimed, took it for another attempt's,
    and was deleted as done. The push stayed "sending" for ever, never sent."""
    world = World(pushbox=FailingPushBox(failing="https://push.example/alice"))
    job = alice_with_a_browser(world)
    _, retry = pipeline.dispatch_pushes(world.ports, job)
    assert retry

    world.clock.now += timedelta(seconds=5)  # the first retry's delay
    outcomes, retry = pipeline.dispatch_pushes(world.ports, job)
    assert [(o.subject, o.status) for o in outcomes] == [("alice", "sent")]
    assert not retry
    assert [endpoint for endpoint, *_ in world.pushbox.sent] == ["https://push.example/alice"]


def test_a_dispatch_that_fails_midway_gives_its_claims_back_for_the_retry() -> None:
    world = World()
    job = alice_with_a_browser(world)
    subscriptions = world.store.push_subscriptions

    def throttled_once(subject: str) -> list[PushSubscription]:
        world.store.push_subscriptions = subscriptions  # type: ignore[method-assign]
        raise RuntimeError("the store is busy")

    world.store.push_subscriptions = throttled_once  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        pipeline.dispatch_pushes(world.ports, job)

    world.clock.now += timedelta(seconds=5)
    outcomes, _ = pipeline.dispatch_pushes(world.ports, job)
    assert [(o.subject, o.status) for o in outcomes] == [("alice", "sent")]
