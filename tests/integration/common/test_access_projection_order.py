"""The access projection's sequence rule (`common/access/dynamo.py`): an event is
applied only when its per-account sequence is newer than what the item holds, so a late,
duplicated or reordered delivery can never bring back access that was revoked, nor hide a
newer change. Every order of the same events ends in the same items."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from common.access.dynamo import AccessProjection, DynamoAccessSource
from common.access.topology import access_table
from contracts.envelope import EventEnvelope
from contracts.events import identity as events
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

REGION = "eu-west-1"
ACCOUNT = "acc-1"
MEMBER = "sub-trader"
VIEWER = ["trades:read"]
ADMIN = ["trades:manage", "trades:read"]


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.resource("dynamodb", region_name=REGION)


def projection(dynamodb: Any, name: str) -> AccessProjection:
    create_table(dynamodb.meta.client, name, access_table())
    return AccessProjection(name, dynamodb)


def items(dynamodb: Any, name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = dynamodb.Table(name).scan(ConsistentRead=True)["Items"]
    return sorted(found, key=lambda i: (i["pk"], i["sk"]))


def granted(sequence: int, permissions: list[str]) -> EventEnvelope[Any]:
    data = events.AccessGrantedData(
        account_id=ACCOUNT,
        sequence=sequence,
        subject=MEMBER,
        email="t@example.com",
        role="viewer" if permissions == VIEWER else "admin",
        permissions=permissions,
    )
    return events.ACCESS_GRANTED.new(data, ACCOUNT, "test")


def changed(sequence: int, permissions: list[str]) -> EventEnvelope[Any]:
    data = events.AccessChangedData(
        account_id=ACCOUNT, sequence=sequence, subject=MEMBER, role="admin", permissions=permissions
    )
    return events.ACCESS_CHANGED.new(data, ACCOUNT, "test")


def revoked(sequence: int) -> EventEnvelope[Any]:
    data = events.AccessRevokedData(account_id=ACCOUNT, sequence=sequence, subject=MEMBER)
    return events.ACCESS_REVOKED.new(data, ACCOUNT, "test")


def member(dynamodb: Any, name: str) -> dict[str, Any]:
    (item,) = [i for i in items(dynamodb, name) if i["sk"] == f"MEMBER#{MEMBER}"]
    return item


def test_a_newer_event_replaces_what_an_older_one_wrote(dynamodb: Any) -> None:
    access = projection(dynamodb, "newer")
    assert access.apply(granted(1, VIEWER)) is True
    assert access.apply(changed(2, ADMIN)) is True
    assert access.apply(revoked(3)) is True
    assert (member(dynamodb, "newer")["status"], member(dynamodb, "newer")["sequence"]) == (
        "revoked",
        3,
    )


def test_a_late_or_repeated_grant_cannot_undo_a_revocation(dynamodb: Any) -> None:
    access = projection(dynamodb, "late")
    grant = granted(1, ADMIN)
    assert access.apply(grant) is True
    assert access.apply(revoked(2)) is True
    before = items(dynamodb, "late")
    assert access.apply(grant) is False  # redelivered
    assert access.apply(granted(1, VIEWER)) is False  # an older fact, arriving late
    assert access.apply(revoked(2)) is False  # the same sequence again
    assert items(dynamodb, "late") == before
    assert member(dynamodb, "late")["status"] == "revoked"


def test_every_order_of_the_same_events_ends_in_the_same_items(dynamodb: Any) -> None:
    history = [granted(1, VIEWER), changed(2, ADMIN), revoked(3), granted(4, VIEWER)]
    reference = projection(dynamodb, "in-order")
    for event in history:
        reference.apply(event)
    expected = items(dynamodb, "in-order")
    assert member(dynamodb, "in-order")["permissions"] == VIEWER
    for number, order in enumerate(itertools.permutations(history)):
        name = f"order-{number}"
        shuffled = projection(dynamodb, name)
        for event in (*order, order[0]):  # and one duplicate
            shuffled.apply(event)
        assert items(dynamodb, name) == expected, order


def test_a_change_that_overtakes_its_grant_keeps_the_members_email(dynamodb: Any) -> None:
    """AccessChanged carries no email: the person's email lives in its own item, so a
    reordered change neither loses it nor is undone by the late grant."""
    access = projection(dynamodb, "overtaken")
    assert access.apply(changed(2, ADMIN)) is True
    assert access.apply(granted(1, VIEWER)) is True  # only the email is news
    assert access.apply(granted(1, VIEWER)) is False
    assert member(dynamodb, "overtaken")["permissions"] == ADMIN
    source = DynamoAccessSource("overtaken", dynamodb=dynamodb)
    assert source.facts(ACCOUNT, MEMBER).member_email == "t@example.com"
    assert source.facts(ACCOUNT, "sub-somebody-else").member_email is None
    assert source.roster(ACCOUNT).members == {MEMBER: frozenset(ADMIN)}
