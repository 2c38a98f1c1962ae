"""Publisher actions (provisioning's events) in the staff audit trail (issue 17), against
moto: identity's consumer records each event once in the platform chain, and
`GET /v1/audit` lists them with the admin by email and the publisher by name."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.envelope import EventEnvelope
from contracts.events import provisioning as events
from services.identity.handlers import publisher_events

from .conftest import ACCOUNTS, Cloud, FakeContext

pytestmark = pytest.mark.integration

VERIFY = "/v1/accounts/{account_id}/audit/verify"
PUBLISHER = "pub-3b9e0c41d2a7"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def sqs_batch(*envelopes: EventEnvelope[Any]) -> dict[str, Any]:
    """The envelopes as EventBridge hands them to the subscription's queue, one batch."""
    records = []
    for envelope in envelopes:
        detail = envelope.model_dump(mode="json")
        body = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": envelope.detail_type,
            "source": envelope.source,
            "time": detail["occurred_at"],
            "region": "eu-west-1",
            "resources": [],
            "detail": detail,
        }
        records.append(
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "r",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "0",
                    "SenderId": "x",
                    "ApproximateFirstReceiveTimestamp": "0",
                },
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
                "awsRegion": "eu-west-1",
            }
        )
    return {"Records": records}


def deliver(*envelopes: EventEnvelope[Any]) -> None:
    result = publisher_events.handler(sqs_batch(*envelopes), FakeContext())  # type: ignore[arg-type]
    assert result == {"batchItemFailures": []}


def fact(event_type: Any, actor: str, prefix: str, at: datetime, **extra: Any) -> Any:
    data = event_type.data_model(
        publisher_id=PUBLISHER,
        name="STX trading",
        all_accounts=True,
        account_ids=[],
        key_prefix=prefix,
        actor=actor,
        at=at,
        **extra,
    )
    return event_type.new(data, account_id=None, correlation_id="req-1", occurred_at=at)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def staff_audit(cloud: Cloud, user: Any) -> list[dict[str, Any]]:
    page = cloud.call("GET", "/v1/audit", user, query={"limit": "50"})
    assert page.status == 200, page.body
    assert page.body["next_cursor"] is None
    items: list[dict[str, Any]] = page.body["items"]
    return items


def test_publisher_actions_are_recorded_once_and_listed_by_email_and_name(
    cloud: Cloud,
) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    rotator = cloud.user("ops@scts.example", admin=True, mfa=True)
    account = cloud.call("POST", ACCOUNTS, admin, {"name": "Audited"}).body["account_id"]
    registered = fact(events.PUBLISHER_REGISTERED, admin.sub, "a1b2c3d4e5", T0)
    issued = fact(
        events.PUBLISHER_KEY_ISSUED,
        rotator.sub,
        "f6a7b8c9d0",
        T0 + timedelta(minutes=1),
        overlap_ends_at=T0 + timedelta(days=1),
    )
    revoked = fact(events.PUBLISHER_KEY_REVOKED, admin.sub, "a1b2c3d4e5", T0 + timedelta(hours=1))

    # Out of order, twice each, one of them twice in the same batch: each is recorded once.
    deliver(revoked, issued)
    deliver(registered, revoked, registered)
    deliver(issued)

    seen = [e for e in staff_audit(cloud, admin) if e["action"].startswith("publisher.")]
    assert [(e["action"], e["target"], e["at"]) for e in seen] == [
        ("publisher.key.revoke", f"publisher:{PUBLISHER}:key:a1b2c3d4e5", iso(revoked.data.at)),
        ("publisher.key.issue", f"publisher:{PUBLISHER}:key:f6a7b8c9d0", iso(issued.data.at)),
        ("publisher.register", f"publisher:{PUBLISHER}", iso(registered.data.at)),
    ]
    assert [e["actor_email"] for e in seen] == [
        "root@scts.example",
        "ops@scts.example",
        "root@scts.example",
    ]
    assert {e["target_name"] for e in seen} == {"STX trading"}
    assert {(e["chain"], e["outcome"], e["account_id"]) for e in seen} == {
        ("platform", "allowed", None)
    }
    # The staff list still has the account actions, sorted by when they happened.
    everything = staff_audit(cloud, admin)
    assert "account.create" in {e["action"] for e in everything}
    assert [e["at"] for e in everything] == sorted((e["at"] for e in everything), reverse=True)
    verified = cloud.call("GET", VERIFY, admin, account_id=account)
    assert verified.body["ok"] is True, verified.body


def test_a_redelivery_adds_no_entry_to_the_platform_chain(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    registered = fact(events.PUBLISHER_REGISTERED, admin.sub, "a1b2c3d4e5", T0)
    deliver(registered)
    head = cloud.dynamodb.Table(cloud.table).get_item(Key={"pk": "AUDIT#platform", "sk": "HEAD"})[
        "Item"
    ]
    deliver(registered)
    deliver(registered)
    again = cloud.dynamodb.Table(cloud.table).get_item(Key={"pk": "AUDIT#platform", "sk": "HEAD"})[
        "Item"
    ]
    assert again["seq"] == head["seq"]
    listed = [e for e in staff_audit(cloud, admin) if e["action"] == "publisher.register"]
    assert len(listed) == 1


def test_only_scts_admins_see_publisher_actions(cloud: Cloud) -> None:
    admin = cloud.user("root@scts.example", admin=True, mfa=True)
    outsider = cloud.user("someone@else.example")
    deliver(fact(events.PUBLISHER_REGISTERED, admin.sub, "a1b2c3d4e5", T0))
    assert cloud.call("GET", "/v1/audit", outsider).status == 403
