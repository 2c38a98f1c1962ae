"""`POST /v1/accounts` with an Idempotency-Key: a retry after a lost response answers the
first answer (same status, same account) and creates nothing; the key is the caller's own,
for 24 hours, and bound to the body it was first sent with."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.identity import dependencies
from services.identity.handlers import api

from .conftest import ACCOUNTS, Cloud, FakeContext, Reply, User, request_event

pytestmark = pytest.mark.integration


def create(cloud: Cloud, user: User, name: str, key: str | None) -> Reply:
    event = request_event("POST", ACCOUNTS, ACCOUNTS, user.token, {"name": name})
    if key is not None:
        event["headers"]["idempotency-key"] = key
    result = api.handler(event, FakeContext())  # type: ignore[arg-type]
    return Reply(result["statusCode"], json.loads(result["body"]))


def created_events(cloud: Cloud) -> list[dict[str, Any]]:
    return [e for e in cloud.outbox() if e["detail_type"] == "AccountCreated"]


def accounts_seen_by(cloud: Cloud, user: User) -> list[str]:
    listed = cloud.call("GET", ACCOUNTS, user)
    assert listed.status == 200, listed.body
    return [a["account_id"] for a in listed.body["items"]]


@pytest.fixture
def root(cloud: Cloud) -> User:
    return cloud.user("root@scts.example", admin=True, mfa=True)


def test_a_retry_with_the_same_key_answers_the_first_account(cloud: Cloud, root: User) -> None:
    first = create(cloud, root, "Nordic Green", "retry-1")
    assert first.status == 201, first.body

    again = create(cloud, root, "Nordic Green", "retry-1")

    assert (again.status, again.body) == (first.status, first.body)
    assert accounts_seen_by(cloud, root) == [first.body["account_id"]]
    assert len(created_events(cloud)) == 1


def test_a_cam_retrying_is_assigned_once_to_one_account(cloud: Cloud, root: User) -> None:
    cam = cloud.user("cam@stx.example", mfa=True)
    made = cloud.call("POST", "/v1/cams", root, {"email": cam.email, "name": "Cam"})
    assert made.status == 201, made.body

    first = create(cloud, cam, "Saigon Solar", "cam-key")
    again = create(cloud, cam, "Saigon Solar", "cam-key")

    assert (again.status, again.body) == (201, first.body)
    assert accounts_seen_by(cloud, cam) == [first.body["account_id"]]
    assigned = [e for e in cloud.outbox() if e["detail_type"] == "CamAssigned"]
    assert len(assigned) == 1


def test_the_same_key_with_another_body_is_refused(cloud: Cloud, root: User) -> None:
    first = create(cloud, root, "Nordic Green", "k")
    assert first.status == 201, first.body

    other = create(cloud, root, "Someone Else", "k")

    assert other.status == 422, other.body
    assert other.body["error"] == "idempotency_key_reused"
    assert [f["path"] for f in other.body["fields"]] == ["header.idempotency-key"]
    assert accounts_seen_by(cloud, root) == [first.body["account_id"]]


def test_the_key_is_the_callers_own(cloud: Cloud, root: User) -> None:
    other_admin = cloud.user("root2@scts.example", admin=True, mfa=True)
    mine = create(cloud, root, "Nordic Green", "shared-key")
    theirs = create(cloud, other_admin, "Nordic Green", "shared-key")
    assert (mine.status, theirs.status) == (201, 201)
    assert mine.body["account_id"] != theirs.body["account_id"]
    assert len(created_events(cloud)) == 2


def test_without_a_key_every_request_creates_an_account(cloud: Cloud, root: User) -> None:
    assert create(cloud, root, "Nordic Green", None).status == 201
    assert create(cloud, root, "Nordic Green", None).status == 201
    assert len(created_events(cloud)) == 2


def test_a_key_is_forgotten_after_24_hours(cloud: Cloud, root: User) -> None:
    first = create(cloud, root, "Nordic Green", "daily")
    later = datetime.now(UTC) + timedelta(hours=24, minutes=1)
    with dependencies.clock.override(lambda: later):
        again = create(cloud, root, "Nordic Green", "daily")
    assert again.status == 201, again.body
    assert again.body["account_id"] != first.body["account_id"]
    assert len(created_events(cloud)) == 2


def test_a_key_longer_than_128_characters_is_refused(cloud: Cloud, root: User) -> None:
    reply = create(cloud, root, "Nordic Green", "k" * 129)
    assert reply.status == 422, reply.body
    assert created_events(cloud) == []


def test_a_caller_who_may_not_create_accounts_is_refused_whatever_the_key(
    cloud: Cloud, root: User
) -> None:
    stranger = cloud.user("nobody@x.example")
    assert create(cloud, root, "Nordic Green", "same").status == 201
    assert create(cloud, stranger, "Nordic Green", "same").status == 403
