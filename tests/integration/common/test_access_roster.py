"""common.access: an account's roster read from the projection (who is told what)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from common.access import AccountStatus
from common.access.dynamo import AccessProjection, DynamoAccessSource
from common.access.topology import access_table
from contracts.events import identity as ev
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

TABLE = "roster-test-access"
ACCOUNT = "acc_1"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        create_table(boto3.client("dynamodb"), TABLE, access_table())
        yield boto3.resource("dynamodb")


def _event(event_type: Any, data: Any) -> Any:
    return event_type.new(data, account_id=ACCOUNT, correlation_id="c")


def history() -> list[Any]:
    return [
        _event(
            ev.ACCOUNT_CREATED,
            ev.AccountCreatedData(account_id=ACCOUNT, sequence=1, name="A", created_by="root"),
        ),
        _event(
            ev.ACCESS_GRANTED,
            ev.AccessGrantedData(
                account_id=ACCOUNT,
                sequence=2,
                subject="trader",
                email="t@a.example",
                role="trader",
                permissions=["trades:read", "trades:manage"],
            ),
        ),
        _event(
            ev.ACCESS_GRANTED,
            ev.AccessGrantedData(
                account_id=ACCOUNT,
                sequence=3,
                subject="finance",
                email="f@a.example",
                role="finance",
                permissions=["billing:read", "billing:manage"],
            ),
        ),
        _event(
            ev.ACCESS_GRANTED,
            ev.AccessGrantedData(
                account_id=ACCOUNT,
                sequence=4,
                subject="gone",
                email="g@a.example",
                role="viewer",
                permissions=["trades:read", "billing:read"],
            ),
        ),
        _event(
            ev.ACCESS_REVOKED, ev.AccessRevokedData(account_id=ACCOUNT, sequence=5, subject="gone")
        ),
        _event(ev.CAM_ASSIGNED, ev.CamAssignedData(account_id=ACCOUNT, sequence=6, subject="cam")),
        _event(ev.CAM_ASSIGNED, ev.CamAssignedData(account_id=ACCOUNT, sequence=7, subject="cam2")),
        _event(
            ev.CAM_UNASSIGNED, ev.CamUnassignedData(account_id=ACCOUNT, sequence=8, subject="cam2")
        ),
    ]


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_the_roster_lists_active_members_by_permission_whatever_the_delivery_order(
    dynamodb: Any, order: int
) -> None:
    projection = AccessProjection(TABLE, dynamodb)
    events = history()
    shuffled = list(events)
    random.Random(order).shuffle(shuffled)
    for envelope in [*shuffled, *events[::2]]:  # every order, with duplicates
        projection.apply(envelope)
    roster = DynamoAccessSource(TABLE, dynamodb=dynamodb).roster(ACCOUNT)
    assert roster.account_status is AccountStatus.ACTIVE
    assert roster.members_with("trades:read") == ["trader"]
    assert roster.members_with("billing:read") == ["finance"]
    assert roster.assigned_cams() == ["cam"]


def test_a_suspended_or_unknown_account_has_nobody_to_tell(dynamodb: Any) -> None:
    projection = AccessProjection(TABLE, dynamodb)
    for envelope in history():
        projection.apply(envelope)
    projection.apply(
        _event(ev.ACCOUNT_SUSPENDED, ev.AccountSuspendedData(account_id=ACCOUNT, sequence=9))
    )
    source = DynamoAccessSource(TABLE, dynamodb=dynamodb)
    suspended = source.roster(ACCOUNT)
    assert suspended.members_with("trades:read") == []
    assert suspended.assigned_cams() == []
    assert source.roster("acc_unknown").members_with("trades:read") == []
