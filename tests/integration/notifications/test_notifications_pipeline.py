"""The whole pipeline in-process against moto: an event -> resolve -> render -> email (SES)
and push (the local push service, decrypted with the browser's key) -> record; SES's
bounce through the record stage suppresses email; every API answer matches the committed
OpenAPI document."""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import UTC, datetime, timedelta
from email import message_from_string

import pytest
import requests
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from moto.core.models import DEFAULT_ACCOUNT_ID

from common.errors import Unavailable
from infra.local.demo.notifications import browser_keys, subscribe_browser
from infra.local.sqs_poller import sqs_event
from services.notifications import dependencies
from services.notifications.adapters.queues import RetryBackoff
from services.notifications.handlers import stages
from services.notifications.logic import pipeline
from services.notifications.models.domain import PushSubscription
from tests.e2e.notifications.portal import Browser
from tests.support.intercept import intercepted
from tests.support.openapi_check import assert_matches_openapi
from tests.unit.notifications.events import invoice, trade

from .conftest import REGION, Cloud, FakeContext

pytestmark = pytest.mark.integration

ACC = "acc_pipeline"


def report_permanent_bounce(cloud: Cloud, message_id: str, address: str) -> None:
    """What SES publishes on the mail-events queue when `address` bounced for good."""
    bounce = {
        "eventType": "Bounce",
        "mail": {"messageId": message_id},
        "bounce": {
            "bounceType": "Permanent",
            "bouncedRecipients": [{"emailAddress": address, "diagnosticCode": "smtp; 550 5.1.1"}],
        },
    }
    url = cloud.sqs.get_queue_url(QueueName="scts-test-notifications-mail-events")["QueueUrl"]
    cloud.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(bounce))


def test_a_trade_travels_every_stage_once(cloud: Cloud) -> None:
    cloud.account(ACC, "Pipeline BV")
    trader, finance = cloud.user("trader@pipeline.example"), cloud.user("finance@pipeline.example")
    cloud.grant(ACC, trader, "trader", "trades:read")
    cloud.grant(ACC, finance, "finance", "billing:read")
    key = cloud.call("GET", "/v1/push/vapid-public-key", trader)
    assert_matches_openapi(
        "notifications", "GET", "/v1/push/vapid-public-key", key.status, key.body
    )
    private, p256dh, auth = browser_keys()
    endpoint = subscribe_browser(cloud.push.origin, key.body["public_key"])
    registered = cloud.call(
        "POST",
        "/v1/me/push-subscriptions",
        trader,
        {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
    )
    assert registered.status == 201
    event = trade(ACC, "T-PIPE-1", at=datetime.now(UTC))
    cloud.deliver(event)
    cloud.deliver(event)  # a duplicate
    cloud.deliver(invoice(ACC, "INV-PIPE-1", at=datetime.now(UTC)))
    cloud.drain()

    page = cloud.call("GET", "/v1/me/notifications", trader)
    assert_matches_openapi("notifications", "GET", "/v1/me/notifications", page.status, page.body)
    [told] = page.body["items"]
    assert told["title"] == "Trade T-PIPE-1 executed"
    [mail] = cloud.mails_to(trader.email)
    parsed = message_from_string(mail.raw_data)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = next(p for p in parsed.walk() if p.get_content_type() == "text/html")
    payload = html.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert "T-PIPE-1" in payload.decode()
    browser = Browser(endpoint, private, p256dh, auth)
    [pushed] = browser.received()
    assert pushed["payload"]["title"] == "Trade T-PIPE-1 executed"
    [finance_mail] = cloud.mails_to(finance.email)  # the invoice, never the trade
    assert "INV-PIPE-1" in message_from_string(finance_mail.raw_data)["Subject"]
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", trader, nid=told["notification_id"])
    assert_matches_openapi(
        "notifications", "GET", "/v1/me/notifications/{notification_id}", detail.status, detail.body
    )
    statuses = {d["channel"]: d["status"] for d in detail.body["deliveries"]}
    assert statuses == {"email": "sent", "inbox": "delivered", "push": "sent"}

    report_permanent_bounce(cloud, mail.id, trader.email)
    cloud.drain()
    settings = cloud.call("GET", "/v1/me/notification-preferences", trader)
    assert_matches_openapi(
        "notifications", "GET", "/v1/me/notification-preferences", settings.status, settings.body
    )
    assert settings.body["email"]["suppressed"]["reason"] == "hard_bounce"
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", trader, nid=told["notification_id"])
    assert {d["channel"]: d["status"] for d in detail.body["deliveries"]}["email"] == "bounced"

    cloud.deliver(trade(ACC, "T-PIPE-2", at=datetime.now(UTC)))
    cloud.drain()
    assert len(cloud.mails_to(trader.email)) == 1  # suppressed: no second email
    assert len(browser.received()) == 2


def test_a_browser_the_push_service_forgot_is_forgotten(cloud: Cloud) -> None:
    cloud.account(ACC, "Pipeline BV")
    trader = cloud.user("gone@pipeline.example")
    cloud.grant(ACC, trader, "trader", "trades:read")
    key = cloud.call("GET", "/v1/push/vapid-public-key", trader).body["public_key"]
    _, p256dh, auth = browser_keys()
    endpoint = subscribe_browser(cloud.push.origin, key)
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    assert cloud.call("POST", "/v1/me/push-subscriptions", trader, body).status == 201
    requests.delete(f"{cloud.push.origin}/subscriptions/{endpoint.rsplit('/', 1)[1]}", timeout=5)
    cloud.deliver(trade(ACC, "T-GONE-1", at=datetime.now(UTC)))
    cloud.drain()
    assert cloud.call("GET", "/v1/me/push-subscriptions", trader).body["items"] == []
    [told] = cloud.call("GET", "/v1/me/notifications", trader).body["items"]
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", trader, nid=told["notification_id"])
    push = next(d for d in detail.body["deliveries"] if d["channel"] == "push")
    assert (push["status"], push["reason"]) == ("not_sent", "no_subscription")


class RetryAtOnce(RetryBackoff):
    """The stages' backoff with no delay: a failed message is visible again at once."""

    def later(self, queue_arn: str, receipt_handle: str, receive_count: int) -> None:
        self._client.change_message_visibility(
            QueueUrl=self._url(queue_arn), ReceiptHandle=receipt_handle, VisibilityTimeout=0
        )


def test_a_bounce_reported_before_its_email_is_recorded_still_suppresses(cloud: Cloud) -> None:
    """SES's report and the email stage's outcome reach the record stage on two queues, in
    either order when the email stage could not write "sent" itself (SES may bounce within
    a second). A bounce that came first was dropped as "not our mail": email went on for
    ever to an address that does not exist."""
    cloud.account(ACC, "Pipeline BV")
    trader = cloud.user("early-bounce@pipeline.example")
    cloud.grant(ACC, trader, "trader", "trades:read")
    cloud.deliver(trade(ACC, "T-PIPE-3", at=datetime.now(UTC)))

    def throttled(*_: object) -> int:
        raise Unavailable("The store is busy; retry.")

    with dependencies.store.override(intercepted(dependencies.store(), record=throttled)):
        cloud.drain(only=("render", "email"))  # sent; its outcome waits on the record queue
    [mail] = cloud.mails_to(trader.email)
    report_permanent_bounce(cloud, mail.id, trader.email)
    with stages.backoff.override(RetryAtOnce(cloud.sqs)):
        # SES was quicker; a batch whose every record failed makes the invocation fail
        # (Powertools), and the queue retries it: either way the report is not deleted
        with contextlib.suppress(BatchProcessingError):
            cloud.drain(rounds=1, only=("mail-events",))
        cloud.drain()  # the outcome, then the bounce again
    settings = cloud.call("GET", "/v1/me/notification-preferences", trader)
    assert settings.body["email"]["suppressed"] is not None, "the bounce was lost"
    assert settings.body["email"]["suppressed"]["reason"] == "hard_bounce"
    [told] = cloud.call("GET", "/v1/me/notifications", trader).body["items"]
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", trader, nid=told["notification_id"])
    assert {d["channel"]: d["status"] for d in detail.body["deliveries"]}["email"] == "bounced"


def test_an_email_job_back_after_its_claim_ended_sends_nothing_twice(cloud: Cloud) -> None:
    """The email stage's message comes back after the claim's lease (a retry for another
    email of the job, a redelivery) while the record stage lags behind: the email sent
    the first time is not sent again, and SES's bounce on it is still matched."""
    cloud.account(ACC, "Pipeline BV")
    trader = cloud.user("lagging-record@pipeline.example")
    cloud.grant(ACC, trader, "trader", "trades:read")
    cloud.deliver(trade(ACC, "T-PIPE-4", at=datetime.now(UTC)))
    cloud.drain(only=("render",))
    name = "scts-test-notifications-email"
    url = cloud.sqs.get_queue_url(QueueName=name)["QueueUrl"]
    received = cloud.sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"]
    job = sqs_event(received, f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT_ID}:{name}")
    assert stages.email_handler(job, FakeContext())["batchItemFailures"] == []  # type: ignore[arg-type]
    [told] = cloud.call("GET", "/v1/me/notifications", trader).body["items"]
    detail = cloud.call("GET", "/v1/me/notifications/{nid}", trader, nid=told["notification_id"])
    assert {d["channel"]: d["status"] for d in detail.body["deliveries"]}["email"] == "sent"

    after_the_lease = datetime.now(UTC) + timedelta(seconds=pipeline.LEASE_SECONDS + 30)
    with dependencies.clock.override(lambda: after_the_lease):
        stages.email_handler(job, FakeContext())  # type: ignore[arg-type]
    [mail] = cloud.mails_to(trader.email)
    cloud.sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
    report_permanent_bounce(cloud, mail.id, trader.email)
    cloud.drain()
    settings = cloud.call("GET", "/v1/me/notification-preferences", trader)
    assert settings.body["email"]["suppressed"]["reason"] == "hard_bounce"


def test_a_stored_browser_key_that_cannot_encrypt_is_forgotten_and_holds_up_nobody(
    cloud: Cloud,
) -> None:
    """A subscription whose key is no P-256 point (kept from before registration checked
    it) made the push sender raise: the whole push job failed, again on every retry, and
    every push of it (other people's too) ended in the DLQ."""
    cloud.account(ACC, "Pipeline BV")
    broken, fine = cloud.user("broken@pipeline.example"), cloud.user("fine@pipeline.example")
    for user in (broken, fine):
        cloud.grant(ACC, user, "trader", "trades:read")
    key = cloud.call("GET", "/v1/push/vapid-public-key", fine).body["public_key"]
    private, p256dh, auth = browser_keys()
    endpoint = subscribe_browser(cloud.push.origin, key)
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    assert cloud.call("POST", "/v1/me/push-subscriptions", fine, body).status == 201
    off_the_curve = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).rstrip(b"=").decode()
    dependencies.store().add_push_subscription(
        PushSubscription(
            subscription_id="0" * 32,
            subject=broken.sub,
            endpoint=subscribe_browser(cloud.push.origin, key),
            p256dh=off_the_curve,
            auth=auth,
            created_at=datetime.now(UTC),
        ),
        limit=10,
    )
    cloud.deliver(trade(ACC, "T-PIPE-5", at=datetime.now(UTC)))
    cloud.drain()

    assert len(Browser(endpoint, private, p256dh, auth).received()) == 1
    assert cloud.call("GET", "/v1/me/push-subscriptions", broken).body["items"] == []
    for user, wanted in ((fine, ("sent", None)), (broken, ("not_sent", "no_subscription"))):
        [told] = cloud.call("GET", "/v1/me/notifications", user).body["items"]
        nid = told["notification_id"]
        detail = cloud.call("GET", "/v1/me/notifications/{nid}", user, nid=nid)
        push = next(d for d in detail.body["deliveries"] if d["channel"] == "push")
        assert (push["status"], push["reason"]) == wanted


def test_an_invoice_issued_arriving_after_its_payment_is_not_told(cloud: Cloud) -> None:
    cloud.account(ACC, "Pipeline BV")
    finance = cloud.user("late-issue@pipeline.example")
    cloud.grant(ACC, finance, "finance", "billing:read")
    paid = invoice(ACC, "INV-PIPE-2", paid=True, version=2, at=datetime.now(UTC))
    cloud.deliver(paid)
    cloud.deliver(invoice(ACC, "INV-PIPE-2", version=1, at=datetime.now(UTC)))  # reordered
    cloud.deliver(paid)  # and a duplicate of the newest
    cloud.drain()
    titles = [i["title"] for i in cloud.call("GET", "/v1/me/notifications", finance).body["items"]]
    assert titles == ["Invoice INV-PIPE-2 paid"]
    [mail] = cloud.mails_to(finance.email)
    assert "paid" in message_from_string(mail.raw_data)["Subject"]
