"""The shared guard: 404 hides existence, 403 for a member lacking the permission, CAMs
read-only, SCTS admins only where the service lists their permissions."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest

from common.access import (
    SCTS_ADMINS_GROUP,
    AccessFacts,
    AccessGuard,
    AccountStatus,
    Action,
    Area,
    Denial,
    GrantKind,
)
from common.access.dynamo import DynamoAccessSource
from common.api_errors import status_for
from common.errors import AccountSuspended, DomainError, Unavailable
from common.principal import UserPrincipal

pytestmark = pytest.mark.unit


class Facts:
    def __init__(self, facts: AccessFacts) -> None:
        self.value = facts

    def facts(self, account_id: str, subject: str) -> AccessFacts:
        return self.value if account_id == "acc_a" else AccessFacts()


def who(groups: list[str] | None = None) -> UserPrincipal:
    return UserPrincipal(sub="s1", username="s1", claims={"cognito:groups": groups or []})


TRADER = AccessFacts(AccountStatus.ACTIVE, frozenset({"trades:read", "trades:manage"}), False)
CAM = AccessFacts(AccountStatus.ACTIVE, None, True)


def status_of(
    guard: AccessGuard, principal: UserPrincipal, account: str, area: Area, action: Action
) -> int:
    try:
        guard.require(principal, account, area, action)
    except DomainError as exc:
        return int(status_for(exc))
    return 200


def test_member_gets_role_permissions_only() -> None:
    guard = AccessGuard(Facts(TRADER))
    assert status_of(guard, who(), "acc_a", Area.TRADES, Action.MANAGE) == 200
    assert status_of(guard, who(), "acc_a", Area.BILLING, Action.READ) == 403
    assert status_of(guard, who(), "acc_b", Area.TRADES, Action.READ) == 404


def test_suspended_account_refuses_members() -> None:
    guard = AccessGuard(Facts(AccessFacts(AccountStatus.SUSPENDED, TRADER.member_permissions)))
    with pytest.raises(DomainError) as refused:
        guard.require(who(), "acc_a", Area.TRADES, Action.READ)
    assert refused.value.code == "account_suspended"


def test_a_suspended_account_stays_readable_by_its_cam_only() -> None:
    """The decision of issue 11 #10 (THREAT_MODEL.md, "suspended accounts"): members are
    refused, staff keep read-only access to look into the account; nobody writes."""
    guard = AccessGuard(Facts(AccessFacts(AccountStatus.SUSPENDED, None, True)))
    assert guard.require(who(), "acc_a", Area.TRADES, Action.READ).kind is GrantKind.CAM
    assert status_of(guard, who(), "acc_a", Area.TRADES, Action.MANAGE) == 403


def test_cam_reads_assigned_account_and_never_manages() -> None:
    guard = AccessGuard(Facts(CAM))
    assert guard.require(who(), "acc_a", Area.BILLING, Action.READ).kind is GrantKind.CAM
    assert status_of(guard, who(), "acc_a", Area.BILLING, Action.MANAGE) == 403
    assert status_of(guard, who(), "acc_b", Area.BILLING, Action.READ) == 404


def test_scts_admin_only_where_listed_and_only_for_known_accounts() -> None:
    admin = who([SCTS_ADMINS_GROUP])
    plain = AccessGuard(Facts(AccessFacts(AccountStatus.ACTIVE)))
    assert status_of(plain, admin, "acc_a", Area.USERS, Action.READ) == 404
    listed = AccessGuard(
        Facts(AccessFacts(AccountStatus.ACTIVE)), scts_admin_permissions=frozenset({"users:read"})
    )
    assert listed.require(admin, "acc_a", Area.USERS, Action.READ).kind is GrantKind.SCTS_ADMIN
    assert status_of(listed, admin, "acc_b", Area.USERS, Action.READ) == 404
    assert status_of(listed, who(), "acc_a", Area.USERS, Action.READ) == 404


def test_denials_reach_the_hook() -> None:
    seen: list[Denial] = []
    guard = AccessGuard(Facts(TRADER), on_denied=seen.append)
    status_of(guard, who(), "acc_a", Area.USERS, Action.MANAGE)
    status_of(guard, who(), "acc_b", Area.USERS, Action.MANAGE)
    assert [(d.account_id, status_for(d.error), d.account_known) for d in seen] == [
        ("acc_a", HTTPStatus.FORBIDDEN, True),
        ("acc_b", HTTPStatus.NOT_FOUND, False),
    ]


def test_scts_admins_who_see_accounts_get_403_in_existing_accounts_only() -> None:
    admin = who([SCTS_ADMINS_GROUP])
    known = Facts(AccessFacts(AccountStatus.ACTIVE))
    hidden = AccessGuard(known, scts_admin_permissions=frozenset({"users:read"}))
    assert status_of(hidden, admin, "acc_a", Area.USERS, Action.MANAGE) == 404
    seeing = AccessGuard(
        known, scts_admin_permissions=frozenset({"users:read"}), scts_admins_see_accounts=True
    )
    assert seeing.require(admin, "acc_a", Area.USERS, Action.READ).kind is GrantKind.SCTS_ADMIN
    assert status_of(seeing, admin, "acc_a", Area.USERS, Action.MANAGE) == 403
    assert status_of(seeing, admin, "acc_b", Area.USERS, Action.MANAGE) == 404
    assert status_of(seeing, who(), "acc_a", Area.USERS, Action.MANAGE) == 404


def test_refuse_answers_like_require_and_reaches_the_hook() -> None:
    seen: list[Denial] = []
    admin = who([SCTS_ADMINS_GROUP])
    member = AccessGuard(Facts(TRADER), on_denied=seen.append)
    assert status_for(member.refuse(who(), "acc_a", "account.suspend", "No.")) == 403
    assert status_for(member.refuse(who(), "acc_b", "account.suspend", "No.")) == 404
    assert member.refuse(who(), "acc_a", "account.suspend", "Only SCTS.").message == "Only SCTS."
    known = Facts(AccessFacts(AccountStatus.ACTIVE))
    plain = AccessGuard(known, on_denied=seen.append)
    seeing = AccessGuard(known, scts_admins_see_accounts=True, on_denied=seen.append)
    assert status_for(plain.refuse(admin, "acc_a", "x", "No.")) == 404
    assert status_for(seeing.refuse(admin, "acc_a", "x", "No.")) == 403
    assert status_for(AccessGuard(Facts(CAM)).refuse(who(), "acc_a", "x", "No.")) == 403
    assert [(d.account_id, d.permission, d.account_known) for d in seen] == [
        ("acc_a", "account.suspend", True),
        ("acc_b", "account.suspend", False),
        ("acc_a", "account.suspend", True),
        ("acc_a", "x", True),
        ("acc_a", "x", True),
    ]


class _Throttling:
    """DynamoDB answering a member's item but leaving the account's unprocessed, `busy`
    times (throttled), then the account as suspended."""

    def __init__(self, busy: int) -> None:
        self.busy = busy
        self.calls = 0

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        ((table, request),) = RequestItems.items()
        self.calls += 1
        account = next(k for k in request["Keys"] if k["sk"] == "ACCOUNT")
        if self.busy:
            self.busy -= 1
            member = {"pk": account["pk"], "sk": "MEMBER#u1", "status": "active"}
            unread = {table: {"Keys": [account], "ConsistentRead": True}}
            return {"Responses": {table: [{**member, "permissions": ["trades:read"]}]},
                    "UnprocessedKeys": unread}  # fmt: skip
        return {"Responses": {table: [{**account, "status": "suspended"}]}, "UnprocessedKeys": {}}


def test_a_throttled_read_of_the_account_is_asked_again_not_taken_as_absent() -> None:
    throttled = _Throttling(busy=2)
    guard = AccessGuard(DynamoAccessSource("access", dynamodb=throttled))
    principal = UserPrincipal(sub="u1", username="u1", claims={})
    with pytest.raises(AccountSuspended):
        guard.require(principal, "acc1", Area.TRADES, Action.READ)
    assert throttled.calls == 3


def test_an_account_that_stays_unread_is_a_retry_not_a_grant() -> None:
    guard = AccessGuard(DynamoAccessSource("access", dynamodb=_Throttling(busy=99)))
    principal = UserPrincipal(sub="u1", username="u1", claims={})
    with pytest.raises(Unavailable):
        guard.require(principal, "acc1", Area.TRADES, Action.READ)
