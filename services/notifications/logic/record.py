"""Stage 4, record: the writer of delivery outcomes, fed by the dispatch stages and by
SES's events (SES -> SNS -> queue). The dispatch stages write one outcome themselves,
"sent", the moment the provider took a notice (so a late retry never sends it again); the
record stage writes it again from their message, which changes nothing unless that write
failed. Outcomes only move a delivery forward (`STATUS_RANK`), so a late, repeated or
out-of-order report never takes one back. A hard bounce or a
complaint suppresses the person's email (they see why in their settings and may lift it
after fixing their mailbox)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.notifications.logic.ports import Outcome, Ports
from services.notifications.models.domain import Channel, Suppression, SuppressionReason


@dataclass(frozen=True)
class Recorded:
    applied: int
    outcomes: list[Outcome]
    suppressed: list[str]


def record(ports: Ports, outcomes: Sequence[Outcome]) -> int:
    return ports.store.record(outcomes, ports.clock()) if outcomes else 0


def outcome_message(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return {
        "outcomes": [
            {
                "subject": o.subject,
                "notification_id": o.notification_id,
                "channel": o.channel.value,
                "status": o.status,
                "reason": o.reason,
                "provider_id": o.provider_id,
                "detail": o.detail,
            }
            for o in outcomes
        ]
    }


def outcomes_of(message: dict[str, Any]) -> list[Outcome]:
    return [
        Outcome(
            o["subject"],
            o["notification_id"],
            Channel(o["channel"]),
            o["status"],
            o.get("reason"),
            o.get("provider_id"),
            o.get("detail"),
        )
        for o in message["outcomes"]
    ]


def ses_event(body: dict[str, Any]) -> dict[str, Any] | None:
    """The SES event in a queue message (raw delivery, or inside an SNS envelope)."""
    if "eventType" in body or "notificationType" in body:
        return body
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        inner = json.loads(body["Message"])
        return inner if isinstance(inner, dict) else None
    return None


SES_KINDS = ("Delivery", "Bounce", "Complaint", "Reject")


class NotYetRecorded(Exception):
    """SES reported on an email whose sending this stage has not recorded yet: the report
    and the email stage's outcome come on two queues, in either order. The report waits for
    its queue's retry (then the DLQ), never dropped: a lost bounce mails a dead address on."""


def apply_ses_event(ports: Ports, event: dict[str, Any]) -> Recorded:
    """What SES says about one of our emails (the configuration set carries only this
    service's mail); a report about one not recorded yet raises `NotYetRecorded`."""
    kind = event.get("eventType") or event.get("notificationType") or ""
    message_id = str(event.get("mail", {}).get("messageId", ""))
    mailed = ports.store.deliveries_of_message(message_id) if message_id else None
    if mailed is None:
        if message_id and kind in SES_KINDS:
            raise NotYetRecorded(f"SES reported {kind} on an email not recorded yet")
        return Recorded(0, [], [])
    now = ports.clock()
    status: tuple[str, str | None] | None = None
    detail: str | None = None
    suppression: Suppression | None = None
    if kind == "Delivery":
        status = ("delivered", None)
    elif kind == "Bounce":
        bounce = event.get("bounce", {})
        detail = _diagnostic(bounce.get("bouncedRecipients", []))
        if bounce.get("bounceType") == "Permanent":
            status = ("bounced", "hard_bounce")
            suppression = Suppression(reason=SuppressionReason.HARD_BOUNCE, at=now, detail=detail)
    elif kind == "Complaint":
        feedback = str(event.get("complaint", {}).get("complaintFeedbackType", ""))
        suppression = Suppression(
            reason=SuppressionReason.COMPLAINT, at=now, detail=f"marked as spam {feedback}".strip()
        )
    elif kind == "Reject":
        status = ("not_sent", "rejected")
    outcomes = (
        [
            Outcome(mailed.subject, nid, Channel.EMAIL, status[0], status[1], detail=detail)
            for nid in mailed.notification_ids
        ]
        if status
        else []
    )
    applied = record(ports, outcomes)
    if suppression is not None:
        ports.store.set_suppression(mailed.subject, suppression)
    return Recorded(applied, outcomes, [mailed.subject] if suppression else [])


def _diagnostic(recipients: list[dict[str, Any]]) -> str:
    for recipient in recipients:
        code = recipient.get("diagnosticCode") or recipient.get("status")
        if code:
            return str(code)[:300]
    return "the receiving server refused the address"
