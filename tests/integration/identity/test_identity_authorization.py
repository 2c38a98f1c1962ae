"""Every account-scoped route x every kind of caller: exactly what the role allows;
other accounts answer 404; CAMs read assigned accounts only; revocation is immediate."""

from __future__ import annotations

import pytest

from common.access import (
    AccessGuard,
    AccessProjection,
    Action,
    Area,
    DynamoAccessSource,
    access_table,
)
from common.api import ApiError, UserPrincipal
from contracts.catalog import CATALOG

from .conftest import ACCEPT, ACCOUNTS, INVITES, MEMBER, World, create_table

pytestmark = pytest.mark.integration


# (method, route, body) -> callers allowed in account A; everybody else gets 404 or 403.
READ_MEMBERS = {"admin", "cam", "scts_admin"}
MANAGE = {"admin"}
ANY_MEMBER = {"admin", "trader", "finance", "viewer", "cam", "scts_admin"}

ROUTES = [
    ("GET", "/v1/accounts/{account_id}", None, ANY_MEMBER),
    ("GET", "/v1/accounts/{account_id}/members", None, READ_MEMBERS),
    ("GET", "/v1/accounts/{account_id}/invitations", None, READ_MEMBERS),
    ("GET", "/v1/accounts/{account_id}/cams", None, READ_MEMBERS),
    ("GET", "/v1/accounts/{account_id}/audit", None, READ_MEMBERS),
    ("GET", "/v1/accounts/{account_id}/audit/verify", None, READ_MEMBERS),
    ("POST", INVITES, {"email": "new@a.example", "role": "viewer"}, MANAGE),
    ("POST", "/v1/accounts/{account_id}/suspend", {"reason": "test"}, {"scts_admin"}),
]
CALLERS = ["admin", "trader", "finance", "viewer", "cam", "scts_admin", "other_admin", "stranger"]
INSIDE_A = {"admin", "trader", "finance", "viewer", "cam"}


def _param_id(value: object) -> str:
    """Stable ids across xdist workers: sets are shown sorted (their repr order varies)."""
    return str(sorted(value)) if isinstance(value, (set, frozenset)) else str(value)


@pytest.mark.parametrize(("method", "route", "body", "allowed"), ROUTES, ids=_param_id)
def test_each_caller_gets_exactly_what_the_role_allows(
    world: World, method: str, route: str, body: object, allowed: set[str]
) -> None:
    outcomes = {}
    for who in CALLERS:
        reply = world.cloud.call(method, route, world.people[who], body, account_id=world.account_a)
        outcomes[who] = reply.status
        if reply.status < 300 and method == "POST" and route == INVITES:
            # undo so the next caller meets the same state
            world.cloud.call(
                "DELETE",
                INVITES + "/{subject}",
                world.people["admin"],
                account_id=world.account_a,
                subject=reply.body["subject"],
            )
    expected = {
        who: ("ok" if who in allowed else 403 if who in INSIDE_A else 404) for who in CALLERS
    }
    seen = {who: ("ok" if s < 300 else s) for who, s in outcomes.items()}
    assert seen == expected


def test_member_of_a_gets_404_for_every_object_of_b(world: World) -> None:
    admin_a, b = world.people["admin"], world.account_b
    other = world.people["other_admin"]
    cloud = world.cloud
    for method, route, body in [
        ("GET", "/v1/accounts/{account_id}", None),
        ("GET", "/v1/accounts/{account_id}/members", None),
        ("GET", "/v1/accounts/{account_id}/audit", None),
        ("POST", INVITES, {"email": "x@b.example", "role": "viewer"}),
        ("PUT", MEMBER, {"role": "viewer"}),
        ("DELETE", MEMBER, None),
        ("POST", INVITES + "/{subject}/resend", None),
        ("DELETE", INVITES + "/{subject}", None),
        ("POST", ACCEPT, None),
    ]:
        reply = cloud.call(method, route, admin_a, body, account_id=b, subject=other.sub)
        assert reply.status == 404, (method, route, reply.body)
    assert cloud.call("GET", "/v1/accounts/{account_id}", other, account_id=b).status == 200


def test_cam_sees_assigned_accounts_only_and_loses_access_on_next_request(world: World) -> None:
    cloud, cam, a, b = world.cloud, world.people["cam"], world.account_a, world.account_b
    listed = cloud.call("GET", ACCOUNTS, cam).body["accounts"]
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
    assert cloud.call("GET", ACCOUNTS, cam).body["accounts"] == []


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
    with pytest.raises(ApiError) as denied:
        guard.require(principal, a, Area.BILLING, Action.READ)
    assert denied.value.status == 403

    removed = cloud.call("DELETE", MEMBER, world.people["admin"], account_id=a, subject=trader.sub)
    assert removed.status == 204
    assert cloud.call("GET", "/v1/accounts/{account_id}", trader, account_id=a).status == 404
    assert cloud.call("GET", "/v1/me", trader).body["memberships"] == []

    project()
    with pytest.raises(ApiError) as gone:
        guard.require(principal, a, Area.TRADES, Action.READ)
    assert gone.value.status == 404
