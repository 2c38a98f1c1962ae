"""Work on a clock (declared in the topology; EventBridge Scheduler in the cloud, the
runtime's scheduler locally):

- `overdue_scan` (daily): invoices past their due date and still open become an
  `invoice_overdue` occurrence each, with a stable id (account, reference, due date), so a
  re-run or a retried scan tells nobody twice;
- `release_held` (every 5 minutes): channels held by quiet hours whose window has ended go
  to the render stage;
- `send_digests` (every 15 minutes): each person's digest-waiting emails whose digest time
  has come go out as one email.

Each hands work to the render stage and then drops the due entries it handed over; a
crash between the two hands it over again, which the dispatch claim makes harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from services.notifications.logic.ports import DueEntry, OpenInvoice, Ports
from services.notifications.logic.resolve import DIGEST, HOLD, resolve
from services.notifications.models.domain import Channel, Kind, Occurrence

OVERDUE_NAMESPACE = uuid.UUID("5b0c3d9e-2f41-4c8a-9d6b-7e1f0a2b3c4d")
SCAN_LIMIT = 1000
DUE_LIMIT = 2000
RELEASE_BATCH = 100


def overdue_occurrence(invoice: OpenInvoice) -> Occurrence:
    became_overdue = datetime.combine(invoice.due_date + timedelta(days=1), time(0), tzinfo=UTC)
    stable = uuid.uuid5(
        OVERDUE_NAMESPACE, f"overdue|{invoice.account_id}|{invoice.reference}|{invoice.due_date}"
    )
    return Occurrence(
        occurrence_id=str(stable),
        kind=Kind.INVOICE_OVERDUE,
        account_id=invoice.account_id,
        occurred_at=became_overdue,
        facts=invoice.facts,
        correlation_id=f"overdue-scan-{invoice.due_date}",
    )


def overdue_scan(ports: Ports) -> int:
    """Tell about each invoice that became overdue (due date before today, UTC), unless
    credit notes took off all it still owed (it is not overdue then, only settled)."""
    today = ports.clock().astimezone(UTC).date()
    told = 0
    for invoice in ports.store.overdue_invoices(today, SCAN_LIMIT):
        credited = ports.store.invoice_credits(invoice.account_id, invoice.reference)
        if invoice.owed is None or credited < invoice.owed:
            told += resolve(ports, overdue_occurrence(invoice))
        ports.store.invoice_told(invoice)
    return told


def _hand_over(ports: Ports, entries: Sequence[DueEntry], per_message: int) -> None:
    by_channel: dict[Channel, list[DueEntry]] = {}
    for entry in entries:
        by_channel.setdefault(entry.channel, []).append(entry)
    messages = []
    for channel, mine in by_channel.items():
        for start in range(0, len(mine), per_message):
            chunk = mine[start : start + per_message]
            messages.append(
                {
                    "channel": channel.value,
                    "notifications": [
                        {"subject": e.subject, "notification_id": e.notification_id} for e in chunk
                    ],
                }
            )
    ports.queues.render(messages)
    ports.store.drop_due(entries)


def release_held(ports: Ports, now: datetime | None = None) -> int:
    entries = ports.store.due(HOLD, now or ports.clock(), DUE_LIMIT)
    _hand_over(ports, entries, RELEASE_BATCH)
    return len(entries)


def send_digests(ports: Ports, now: datetime | None = None) -> int:
    """One render message per person, so each gets one digest email."""
    entries = ports.store.due(DIGEST, now or ports.clock(), DUE_LIMIT)
    by_person: dict[str, list[DueEntry]] = {}
    for entry in entries:
        by_person.setdefault(entry.subject, []).append(entry)
    for mine in by_person.values():
        _hand_over(ports, mine, len(mine))
    return len(by_person)
