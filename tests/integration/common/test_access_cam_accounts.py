"""A CAM's assigned accounts from the access projection (`common/access/dynamo.py`): the
sparse `bycam` index lists exactly the accounts whose newest CAM event is CamAssigned,
whatever the order or duplication of identity's events, and account names survive a
status change that overtakes the creation. On moto and on DynamoDB Local (AWS's own
engine: its GSIs are the ones production has)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from common.access import AccountStatus
from common.access.dynamo import AccessProjection, DynamoAccessSource
from common.access.topology import access_table
from contracts.envelope import EventEnvelope
from contracts.events import identity as events
from infra.local.aws import DUMMY_KEY
from infra.local.invoke import REGION
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

CAM = "sub-cam"
OTHER_CAM = "sub-other-cam"


@pytest.fixture(scope="module")
def local_url() -> Iterator[str]:
    with dynamodb_local_url() as url:
        yield url


@pytest.fixture(params=["moto", "dynamodb-local"])
def dynamodb(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    if request.param == "moto":
        with mock_aws():
            yield boto3.resource("dynamodb", region_name=REGION)
    else:
        url = request.getfixturevalue("local_url")
        yield boto3.resource("dynamodb", region_name=REGION, endpoint_url=url)


def tables(dynamodb: Any) -> tuple[AccessProjection, DynamoAccessSource]:
    name = f"access-{uuid.uuid4().hex[:10]}"
    create_table(dynamodb.meta.client, name, access_table(cam_accounts=True))
    return AccessProjection(name, dynamodb), DynamoAccessSource(name, dynamodb=dynamodb)


def created(account: str, sequence: int = 1) -> EventEnvelope[Any]:
    data = events.AccountCreatedData(
        account_id=account, sequence=sequence, name=f"Name of {account}", created_by="admin"
    )
    return events.ACCOUNT_CREATED.new(data, account, "test")


def suspended(account: str, sequence: int) -> EventEnvelope[Any]:
    data = events.AccountSuspendedData(account_id=account, sequence=sequence)
    return events.ACCOUNT_SUSPENDED.new(data, account, "test")


def assigned(account: str, sequence: int, cam: str = CAM) -> EventEnvelope[Any]:
    data = events.CamAssignedData(account_id=account, sequence=sequence, subject=cam)
    return events.CAM_ASSIGNED.new(data, account, "test")


def unassigned(account: str, sequence: int, cam: str = CAM) -> EventEnvelope[Any]:
    data = events.CamUnassignedData(account_id=account, sequence=sequence, subject=cam)
    return events.CAM_UNASSIGNED.new(data, account, "test")


def listed(source: DynamoAccessSource, cam: str = CAM) -> list[tuple[str, str | None]]:
    page = source.assigned_accounts(cam, limit=50)
    assert not page.more
    return [(a.account_id, a.name) for a in page.accounts]


def test_assigned_accounts_are_listed_with_their_names(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    for account in ("acc-2", "acc-1", "acc-3"):
        projection.apply(created(account))
    projection.apply(assigned("acc-2", 2))
    projection.apply(assigned("acc-1", 2))
    projection.apply(assigned("acc-3", 2, cam=OTHER_CAM))

    assert listed(source) == [("acc-1", "Name of acc-1"), ("acc-2", "Name of acc-2")]
    assert listed(source, OTHER_CAM) == [("acc-3", "Name of acc-3")]
    assert listed(source, "sub-nobody") == []


def test_assign_then_unassign_removes_the_account(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    projection.apply(created("acc-1"))
    projection.apply(assigned("acc-1", 2))
    assert listed(source) == [("acc-1", "Name of acc-1")]
    projection.apply(unassigned("acc-1", 3))
    assert listed(source) == []
    assert source.facts("acc-1", CAM).cam_assigned is False


def test_every_order_and_duplication_ends_in_the_newest_assignment(dynamodb: Any) -> None:
    """assign(2), unassign(3), assign(4), unassign(5) of acc-1 and assign(2) of acc-2, in
    every order of acc-1's four events, each delivered twice: acc-1 is never listed (its
    newest event unassigns), acc-2 always is; a late assign never brings acc-1 back."""
    history = [assigned("acc-1", 2), unassigned("acc-1", 3), assigned("acc-1", 4)]
    history.append(unassigned("acc-1", 5))
    for order in itertools.permutations(history):
        projection, source = tables(dynamodb)
        projection.apply(created("acc-1"))
        projection.apply(created("acc-2"))
        projection.apply(assigned("acc-2", 2))
        for envelope in [*order, *order]:
            projection.apply(envelope)
        assert listed(source) == [("acc-2", "Name of acc-2")], order


def test_a_late_unassign_of_an_older_sequence_changes_nothing(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    projection.apply(assigned("acc-1", 4))
    assert projection.apply(unassigned("acc-1", 3)) is False
    assert projection.apply(assigned("acc-1", 4)) is False
    assert listed(source) == [("acc-1", None)]


def test_the_name_survives_a_suspension_that_overtook_the_creation(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    assert projection.apply(suspended("acc-1", 2)) is True
    assert projection.apply(created("acc-1", 1)) is True
    assert projection.apply(created("acc-1", 1)) is False
    projection.apply(assigned("acc-1", 3))
    assert listed(source) == [("acc-1", "Name of acc-1")]
    assert source.facts("acc-1", CAM).account_status is AccountStatus.SUSPENDED


def test_a_suspension_after_the_creation_keeps_the_name(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    projection.apply(created("acc-1", 1))
    projection.apply(suspended("acc-1", 2))
    assert source.account_names(["acc-1", "acc-unknown"]) == {"acc-1": "Name of acc-1"}
    assert source.facts("acc-1", CAM).account_status is AccountStatus.SUSPENDED


def test_pages_of_assigned_accounts_cover_each_once(dynamodb: Any) -> None:
    projection, source = tables(dynamodb)
    accounts = [f"acc-{n:02d}" for n in range(7)]
    for account in accounts:
        projection.apply(assigned(account, 1))
    seen: list[str] = []
    after: str | None = None
    while True:
        page = source.assigned_accounts(CAM, limit=3, after=after)
        seen += [a.account_id for a in page.accounts]
        if not page.more:
            break
        after = page.accounts[-1].account_id
    assert seen == accounts
    exact = source.assigned_accounts(CAM, limit=7)
    assert (len(exact.accounts), exact.more) == (7, False)
