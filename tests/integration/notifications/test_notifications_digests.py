"""Digests against moto: the email is what its person may read when it goes out (an
account they left is not in it), and SES's answer about it reaches every notice it carried
(one message id, several notifications: stored once, so the record stage can take it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email import message_from_string

import pytest

from services.notifications import dependencies
from services.notifications.logic import schedules
from tests.unit.notifications.events import trade

from .conftest import Cloud, User

pytestmark = pytest.mark.integration

LEFT, STAYED = "acc_left", "acc_stayed"


def email_of(cloud: Cloud, person: User, reference: str) -> dict[str, str | None]:
    page = cloud.call("GET", "/v1/me/notifications", person).body["items"]
    [told] = [n for n in page if reference in n["title"]]
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", person, nid=told["notification_id"])
    [email] = [d for d in detail.body["deliveries"] if d["channel"] == "email"]
    return {"status": email["status"], "reason": email["reason"]}


def text_of(mail: object) -> str:
    parsed = message_from_string(mail.raw_data)  # type: ignore[attr-defined]
    plain = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    payload = plain.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return str(parsed["Subject"]) + payload.decode()


def test_a_digest_tells_only_what_its_person_may_read_and_a_bounce_reaches_all_it_told(
    cloud: Cloud,
) -> None:
    cloud.account(LEFT, "Secret BV")
    cloud.account(STAYED, "Other BV")
    carol = cloud.user("carol@digest.example")
    for account in (LEFT, STAYED):
        cloud.grant(account, carol, "trader", "trades:read")
    body = {"version": 0, "email_mode": "daily_digest", "digest_hour": 8}
    assert cloud.call("PUT", "/v1/me/notification-preferences", carol, body).status == 200
    now = datetime.now(UTC)
    for account, reference in ((LEFT, "T-SECRET-1"), (STAYED, "T-OTHER-1"), (STAYED, "T-OTHER-2")):
        cloud.deliver(trade(account, reference, at=now))
    cloud.drain()
    cloud.revoke(LEFT, carol)

    schedules.send_digests(dependencies.ports(), now=now + timedelta(days=2))
    cloud.drain()
    [mail] = cloud.mails_to(carol.email)
    text = text_of(mail)
    assert "T-OTHER-1" in text
    assert "T-OTHER-2" in text
    assert "T-SECRET-1" not in text  # held before she left; the notice that she left is in
    assert "You no longer have access to Secret BV" in text
    told = dependencies.store().deliveries_of_message(mail.id)
    assert told is not None
    assert len(told.notification_ids) == 3

    bounce = {
        "eventType": "Bounce",
        "mail": {"messageId": mail.id},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"status": "5.1.1"}]},
    }
    url = cloud.sqs.get_queue_url(QueueName="scts-test-notifications-mail-events")["QueueUrl"]
    cloud.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(bounce))
    cloud.drain()
    for reference in ("T-OTHER-1", "T-OTHER-2"):
        assert email_of(cloud, carol, reference) == {"status": "bounced", "reason": "hard_bounce"}
    settings = cloud.call("GET", "/v1/me/notification-preferences", carol).body
    assert settings["email"]["suppressed"]["reason"] == "hard_bounce"
