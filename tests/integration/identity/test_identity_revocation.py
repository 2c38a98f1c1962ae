"""What revokes access takes effect on the next request: CAM unassignment in identity,
member removal in identity and in another service's access projection."""

from __future__ import annotations

import pytest

from common.access import AccessGuard, Action, Area, UserPrincipal
from common.access.dynamo import AccessProjection, DynamoAccessSource
from common.access.topology import access_table
from common.api_errors import status_for
from common.errors import DomainError
from contracts.catalog import CATALOG
from tests.support.tables import create_table

from .conftest import ACCOUNTS, MEMBER, World

pytestmark = pytest.mark.integration


def test_cam_sees_assigned_accounts_only_and_loses_access_on_next_request(world: World) -> None:
    cloud, cam, a, b = world.cloud, world.people["cam"], world.account_a, world.account_b
    listed = cloud.call("GET", ACCOUNTS, cam).body["items"]
    assert [x["account_id"] for x in listed] == [a]
    assert cloud.call("GET", "/v1/accounts/{account_id}/members", cam, account_id=b).status == 404
    assert cloud.call("GET", "/v1/accounts/{account_id}/members", cam, account_id=a).status == 200
    assert (
        cloud.call(
            "PUT", MEMBER, cam, {"role": "viewer"}, account_id=a, subject=world.people["viewer"].sub
        ).status
        == 403
    )
    unassigned = cloud.call(
        "DELETE",
        "/v1/accounts/{account_id}/cams/{subject}",
        world.scts_admin,
        account_id=a,
        subject=cam.sub,
    )
    assert unassigned.status == 204
    assert cloud.call("GET", "/v1/accounts/{account_id}/members", cam, account_id=a).status == 404
    assert cloud.call("GET", ACCOUNTS, cam).body["items"] == []


def test_removed_member_is_refused_by_identity_and_by_a_projection(world: World) -> None:
    cloud, a, trader = world.cloud, world.account_a, world.people["trader"]
    projection_table = "scts-test-portfolio-access"
    create_table(cloud.dynamodb.meta.client, projection_table, access_table())
    projection = AccessProjection(projection_table, cloud.dynamodb)
    guard = AccessGuard(DynamoAccessSource(projection_table, dynamodb=cloud.dynamodb))
    principal = UserPrincipal(sub=trader.sub, username=trader.email, claims={})

    def project() -> None:
        for envelope in cloud.outbox():
            projection.apply(CATALOG.parse(envelope))

    project()
    guard.require(principal, a, Area.TRADES, Action.MANAGE)
    with pytest.raises(DomainError) as denied:
        guard.require(principal, a, Area.BILLING, Action.READ)
    assert status_for(denied.value) == 403

    removed = cloud.call("DELETE", MEMBER, world.people["admin"], account_id=a, subject=trader.sub)
    assert removed.status == 204
    assert cloud.call("GET", "/v1/accounts/{account_id}", trader, account_id=a).status == 404
    assert cloud.call("GET", "/v1/me", trader).body["memberships"] == []

    project()
    with pytest.raises(DomainError) as gone:
        guard.require(principal, a, Area.TRADES, Action.READ)
    assert status_for(gone.value) == 404
