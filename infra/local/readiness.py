"""'Ready' means every event the demo caused is projected: the event path is drained.

Checked on real state, never by waiting a fixed time. Every event a service commits is an
outbox item (same transaction as its state change); every event the bus accepts is counted
by the bus's archive (as in the cloud, `scts-<stage>-events` archives everything); every
event still on its way to a consumer is a message in a subscription queue (visible, in
flight or delayed). The path is drained when the bus has accepted (or the relay has
dead-lettered) every committed event and no subscription queue holds a message, twice in
a row: a consumer that publishes in turn commits a new outbox item first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from common.outbox import OUTBOX_MARKER
from common.topology import BucketNotification, Subscription

QUEUE_COUNTS = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)
CHECK_SECONDS = 0.5
DRAIN_TIMEOUT_SECONDS = 300
CONFIRMATIONS = 2


@dataclass(frozen=True)
class Backlog:
    """One look at the event path."""

    committed: int
    """Outbox items in every outbox table: events the services wrote."""
    on_bus: int
    """Events the bus accepted (its archive's count)."""
    relay_dead: int
    """Relay DLQ messages: stream batches given up after the relay mapping's maximum record
    age (metadata only, one message per batch; the rows stay unpublished in the outbox)."""
    queued: int
    """Messages in subscription queues: visible, in flight or delayed."""
    dead: int
    """Messages in subscription DLQs: delivered, failed, kept for redrive."""

    @property
    def drained(self) -> bool:
        return self.committed <= self.on_bus + self.relay_dead and self.queued == 0

    def describe(self) -> str:
        text = f"{self.on_bus:,}/{self.committed:,} events on the bus, {self.queued:,} queued"
        if self.dead or self.relay_dead:
            text += f", {self.dead + self.relay_dead:,} dead-lettered"
        return text


def queue_depth(sqs: Any, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=list(QUEUE_COUNTS))
    return sum(int(attributes["Attributes"].get(name, 0)) for name in QUEUE_COUNTS)


def outbox_items(dynamodb: Any, table_name: str) -> int:
    """Outbox items of one table (a COUNT scan: the local runtime's tables are small)."""
    total = 0
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table_name,
        Select="COUNT",
        FilterExpression="attribute_exists(#marker)",
        ExpressionAttributeNames={"#marker": OUTBOX_MARKER},
    )
    for page in pages:
        total += int(page["Count"])
    return total


@dataclass(frozen=True)
class EventPath:
    """Where to look: the runtime's clients and the names `provision` created."""

    dynamodb: Any
    sqs: Any
    events: Any
    outbox_tables: tuple[str, ...]
    archive_name: str
    relay_dlq_url: str
    queue_urls: tuple[str, ...]
    dlq_urls: tuple[str, ...]

    def look(self) -> Backlog:
        return Backlog(
            committed=sum(outbox_items(self.dynamodb, t) for t in self.outbox_tables),
            on_bus=int(self.events.describe_archive(ArchiveName=self.archive_name)["EventCount"]),
            relay_dead=queue_depth(self.sqs, self.relay_dlq_url),
            queued=sum(queue_depth(self.sqs, url) for url in self.queue_urls),
            dead=sum(queue_depth(self.sqs, url) for url in self.dlq_urls),
        )


def wait_until_drained(
    look: Callable[[], Backlog],
    *,
    timeout: float,
    progress: Callable[[Backlog], None] = lambda _: None,
    progress_every: float = 3.0,
    sleep: Callable[[float], Any] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Backlog, bool]:
    """Look until the path is drained `CONFIRMATIONS` times in a row, or `timeout` passes;
    the last look and whether it was drained."""
    deadline = clock() + timeout
    next_report = clock() + progress_every
    confirmed = 0
    while True:
        backlog = look()
        confirmed = confirmed + 1 if backlog.drained else 0
        if confirmed >= CONFIRMATIONS:
            return backlog, True
        if clock() >= deadline:
            return backlog, False
        if clock() >= next_report and not backlog.drained:
            progress(backlog)
            next_report = clock() + progress_every
        sleep(CHECK_SECONDS)


def subscription_queues(provisioned: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(queue urls, DLQ urls) of every subscription and bucket notification: what projects
    events. A service's own stage queues (`WorkQueue`, `MailEvents`: emails and pushes on
    their way out) are not waited for."""
    queues: Iterable[Any] = provisioned.queues
    listed = [q for q in queues if isinstance(q.subscription, Subscription | BucketNotification)]
    return tuple(q.queue_url for q in listed), tuple(q.dlq_url for q in listed)
