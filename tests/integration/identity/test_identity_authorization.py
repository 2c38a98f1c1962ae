"""Every route of identity's topology x every kind of caller.

The expected answer is derived from the policy of issue 4 (the built-in roles' permission
sets, CAMs read-only on assigned accounts, SCTS administrators manage the platform and
read the people and audit of any account), never copied from the handlers: allowed ->
the route's success status; denied inside an account the caller may see -> 403; denied
anywhere else -> 404 (existence does not leak); platform routes deny with 403.
One world per module: each call gets a fresh target and the state is restored after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from common.access import Action, Area, permission
from common.topology import AuthKind
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from services.identity.topology import TOPOLOGY

from .conftest import (
    ACCEPT,
    ACCOUNT,
    ACCOUNTS,
    INVITES,
    MEMBER,
    Cloud,
    Reply,
    User,
    World,
    build_world,
    cloud_context,
    invite_and_accept,
    totp_code,
)

pytestmark = pytest.mark.integration

INVITATION = INVITES + "/{subject}"
ACCOUNT_CAM = ACCOUNT + "/cams/{subject}"

SCTS_ADMIN_READS = frozenset({permission(Area.USERS, Action.READ)})
"""Issue 4: SCTS administrators see the audit log (and the people and CAMs) of any account;
they change nothing inside an account except its status and its CAMs."""


@dataclass(frozen=True)
class Profile:
    """What a caller is, as far as account A is concerned."""

    role: RoleName | None = None
    cam: bool = False
    assigned_to_a: bool = False
    scts_admin: bool = False

    @property
    def sees_account(self) -> bool:
        return self.role is not None or self.assigned_to_a or self.scts_admin


PROFILES: dict[str, Profile] = {
    "admin": Profile(role=RoleName.ADMIN),
    "trader": Profile(role=RoleName.TRADER),
    "finance": Profile(role=RoleName.FINANCE),
    "viewer": Profile(role=RoleName.VIEWER),
    "cam": Profile(cam=True, assigned_to_a=True),
    "unassigned_cam": Profile(cam=True),
    "scts_admin": Profile(scts_admin=True),
    "other_admin": Profile(),  # admin of account B, nothing in A
    "stranger": Profile(),
}
INSIDE_A = [who for who, p in PROFILES.items() if p.role is not None or p.assigned_to_a]


# ---- the policy: one rule per kind of route


@dataclass(frozen=True)
class Rule:
    name: str
    allows: Callable[[Profile], bool]
    account_scoped: bool = True
    object_hidden: bool = False
    """Denials are 404 even inside the account (the object is the caller's own or none)."""

    def expected(self, profile: Profile, success: int) -> int:
        if self.allows(profile):
            return success
        if not self.account_scoped:
            return 403
        if self.object_hidden or not profile.sees_account:
            return 404
        return 403


def needs(area: Area, action: Action) -> Rule:
    wanted = permission(area, action)

    def allows(p: Profile) -> bool:
        if p.role is not None:
            return wanted in BUILT_IN_ROLES[p.role]
        if p.assigned_to_a:
            return action is Action.READ
        return p.scts_admin and wanted in SCTS_ADMIN_READS

    return Rule(wanted, allows)


SEES_ACCOUNT = Rule("sees the account", lambda p: p.sees_account)
SCTS_ADMIN_IN_ACCOUNT = Rule("SCTS admin (account)", lambda p: p.scts_admin)
OWN_INVITATION = Rule(
    "own invitation, accepted before", lambda p: p.role is not None, object_hidden=True
)
"""Nobody in the grid has a pending invitation to A, but A's members accepted theirs:
accepting again answers their membership (a retry after a lost response). Accepting a
pending invitation is in the flow tests."""
AUTHENTICATED = Rule("authenticated", lambda p: True, account_scoped=False)
SCTS_ADMIN_OR_CAM = Rule("SCTS admin or CAM", lambda p: p.scts_admin or p.cam, False)
SCTS_ADMIN = Rule("SCTS admin", lambda p: p.scts_admin, account_scoped=False)


# ---- the world and the targets each call acts on


@dataclass
class Grid:
    world: World
    spare_cam: User
    people: dict[str, User] = field(default_factory=dict)
    targets: dict[str, User] = field(default_factory=dict)
    """Per account ("a", "b"): a viewer whose role is changed and who is removed, re-added."""
    invitees: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Per account: (email, subject) of a pending invitation that is resent, revoked, re-issued."""

    @property
    def cloud(self) -> Cloud:
        return self.world.cloud

    @property
    def root(self) -> User:
        return self.world.scts_admin

    def account(self, which: str) -> str:
        return self.world.account_a if which == "a" else self.world.account_b

    def account_admin(self, which: str) -> User:
        return self.people["admin" if which == "a" else "other_admin"]


@dataclass(frozen=True)
class Target:
    params: dict[str, str]
    body: Any = None


Prepare = Callable[[Grid, str, str], Target]
"""(grid, caller, which account) -> the path parameters and body of one call."""


def _email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:10]}@grid.example"


def in_account(body: Any = None) -> Prepare:
    return lambda g, who, which: Target({"account_id": g.account(which)}, body)


def target_member(g: Grid, who: str, which: str) -> Target:
    params = {"account_id": g.account(which), "subject": g.targets[which].sub}
    return Target(params, {"role": "trader"})


def target_member_to_remove(g: Grid, who: str, which: str) -> Target:
    return Target(target_member(g, who, which).params)


def invite(g: Grid, which: str, email: str) -> str:
    reply = g.cloud.call(
        "POST",
        INVITES,
        g.account_admin(which),
        {"email": email, "role": "viewer"},
        account_id=g.account(which),
    )
    assert reply.status == 201, reply.body
    return str(reply.body["subject"])


def pending_invitation(g: Grid, who: str, which: str) -> Target:
    subject = g.invitees[which][1]
    return Target({"account_id": g.account(which), "subject": subject})


After = Callable[[Grid, str, Target], None]
"""Undo a successful call so the next caller meets the same state: (grid, account, target)."""


def role_back(g: Grid, which: str, target: Target) -> None:
    reply = g.cloud.request(
        "PUT", MEMBER, g.account_admin(which), {"role": "viewer"}, None, target.params
    )
    assert reply.status == 200, reply.body


def re_add_member(g: Grid, which: str, target: Target) -> None:
    member = g.targets[which]
    invite(g, which, member.email)
    accepted = g.cloud.call("POST", ACCEPT, member, account_id=g.account(which))
    assert accepted.status == 200, accepted.body


def re_invite(g: Grid, which: str, target: Target) -> None:
    email, _ = g.invitees[which]
    g.invitees[which] = (email, invite(g, which, email))


def reactivate(g: Grid, which: str, target: Target) -> None:
    account_status("active")(g, "scts_admin", which)


def unassign_spare_cam(g: Grid, which: str, target: Target) -> None:
    spare_cam(assigned=False)(g, "scts_admin", which)


def new_invitation(g: Grid, who: str, which: str) -> Target:
    return Target({"account_id": g.account(which)}, {"email": _email("n"), "role": "viewer"})


def spare_cam(*, assigned: bool) -> Prepare:
    def prepare(g: Grid, who: str, which: str) -> Target:
        account_id = g.account(which)
        method = "PUT" if assigned else "DELETE"
        reply = g.cloud.call(
            method, ACCOUNT_CAM, g.root, account_id=account_id, subject=g.spare_cam.sub
        )
        assert reply.status in (200, 204, 404, 409), reply.body
        return Target({"account_id": account_id, "subject": g.spare_cam.sub})

    return prepare


def account_status(status: str) -> Prepare:
    def prepare(g: Grid, who: str, which: str) -> Target:
        account_id = g.account(which)
        verb = "suspend" if status == "suspended" else "reactivate"
        body = {"reason": "grid"} if verb == "suspend" else None
        reply = g.cloud.call("POST", ACCOUNT + "/" + verb, g.root, body, account_id=account_id)
        assert reply.status in (200, 409), reply.body
        return Target(
            {"account_id": account_id}, {"reason": "grid"} if status == "active" else None
        )

    return prepare


def started_totp(g: Grid, who: str, which: str) -> Target:
    started = g.cloud.call("POST", "/v1/me/mfa/totp", g.people[who])
    assert started.status == 200, started.body
    return Target({}, {"code": totp_code(str(started.body["secret_code"]))})


def nothing(body: Any = None) -> Prepare:
    return lambda g, who, which: Target({}, body)


def fresh_body(make: Callable[[], Any]) -> Prepare:
    return lambda g, who, which: Target({}, make())


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    rule: Rule
    success: int
    prepare: Prepare
    after_success: After | None = None
    after_any: After | None = None
    """Put back what the preparation changed (account status, CAMs), whatever the answer."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def account_scoped(self) -> bool:
        return self.rule.account_scoped


CASES: list[Case] = [
    # everyone signed in
    Case("GET", "/v1/me", AUTHENTICATED, 200, nothing()),
    Case("GET", "/v1/me/preferences", AUTHENTICATED, 200, nothing()),
    Case("PUT", "/v1/me/preferences", AUTHENTICATED, 200, nothing({"locale": "nl-NL"})),
    Case("POST", "/v1/me/mfa/totp", AUTHENTICATED, 200, nothing()),
    Case("POST", "/v1/me/mfa/totp/verify", AUTHENTICATED, 204, started_totp),
    Case("GET", "/v1/roles", AUTHENTICATED, 200, nothing()),
    Case("GET", ACCOUNTS, AUTHENTICATED, 200, nothing()),
    # platform administration
    Case("POST", ACCOUNTS, SCTS_ADMIN_OR_CAM, 201, nothing({"name": "Grid account"})),
    Case("GET", "/v1/cams", SCTS_ADMIN, 200, nothing()),
    Case("GET", "/v1/audit", SCTS_ADMIN, 200, nothing()),
    Case("GET", "/v1/audit/verify", SCTS_ADMIN, 200, nothing()),
    Case(
        "POST",
        "/v1/cams",
        SCTS_ADMIN,
        201,
        fresh_body(lambda: {"email": _email("c"), "name": "Grid CAM"}),
    ),
    # one account
    Case("GET", ACCOUNT, SEES_ACCOUNT, 200, in_account()),
    Case(
        "POST",
        ACCOUNT + "/suspend",
        SCTS_ADMIN_IN_ACCOUNT,
        200,
        account_status("active"),
        after_success=reactivate,
    ),
    Case(
        "POST",
        ACCOUNT + "/reactivate",
        SCTS_ADMIN_IN_ACCOUNT,
        200,
        account_status("suspended"),
        after_any=reactivate,
    ),
    Case("GET", ACCOUNT + "/members", needs(Area.USERS, Action.READ), 200, in_account()),
    Case("PUT", MEMBER, needs(Area.USERS, Action.MANAGE), 200, target_member, role_back),
    Case(
        "DELETE",
        MEMBER,
        needs(Area.USERS, Action.MANAGE),
        204,
        target_member_to_remove,
        re_add_member,
    ),
    Case("GET", INVITES, needs(Area.USERS, Action.READ), 200, in_account()),
    Case("POST", INVITES, needs(Area.USERS, Action.MANAGE), 201, new_invitation),
    Case("POST", INVITATION + "/resend", needs(Area.USERS, Action.MANAGE), 200, pending_invitation),
    Case(
        "DELETE", INVITATION, needs(Area.USERS, Action.MANAGE), 204, pending_invitation, re_invite
    ),
    Case("GET", ACCOUNT + "/cams", needs(Area.USERS, Action.READ), 200, in_account()),
    Case(
        "PUT",
        ACCOUNT_CAM,
        SCTS_ADMIN_IN_ACCOUNT,
        200,
        spare_cam(assigned=False),
        after_success=unassign_spare_cam,
    ),
    Case(
        "DELETE",
        ACCOUNT_CAM,
        SCTS_ADMIN_IN_ACCOUNT,
        204,
        spare_cam(assigned=True),
        after_any=unassign_spare_cam,
    ),
    Case("GET", ACCOUNT + "/audit", needs(Area.USERS, Action.READ), 200, in_account()),
    Case("GET", ACCOUNT + "/audit/verify", needs(Area.USERS, Action.READ), 200, in_account()),
    Case("POST", ACCEPT, OWN_INVITATION, 200, in_account()),
]
ACCOUNT_CASES = [c for c in CASES if c.account_scoped]
PUBLIC_ROUTES = {
    ("GET", "/v1/version"): 200,
    ("POST", "/v1/password/forgot"): 202,
}
"""Public routes that an anonymous caller completes (confirm needs an emailed code)."""


@pytest.fixture(scope="module")
def grid() -> Iterator[Grid]:
    with pytest.MonkeyPatch.context() as monkeypatch, cloud_context(monkeypatch) as cloud:
        world = build_world(cloud)
        people = dict(world.people)
        cloud.enrol_mfa(people["other_admin"])
        unassigned = cloud.user("lonely-cam@stx.example", mfa=True)
        spare = cloud.user("spare-cam@stx.example", mfa=True)
        for cam in (unassigned, spare):
            made = cloud.call(
                "POST", "/v1/cams", world.scts_admin, {"email": cam.email, "name": "C"}
            )
            assert made.status == 201, made.body
        people["unassigned_cam"] = unassigned
        grid = Grid(world, spare, people)
        for which in ("a", "b"):
            grid.targets[which] = invite_and_accept(
                cloud,
                grid.account_admin(which),
                grid.account(which),
                f"t@{which}.example",
                "viewer",
            )
            email = f"invitee@{which}.example"
            grid.invitees[which] = (email, invite(grid, which, email))
        yield grid


def _call(g: Grid, case: Case, who: str | None, which: str) -> Reply:
    """One call of `case` by `who` (None: anonymous) on a fresh target in account `which`."""
    target = case.prepare(g, who or "admin", which)
    user = g.people[who] if who else None
    reply = g.cloud.request(case.method, case.path, user, target.body, None, target.params)
    if case.after_any is not None:
        case.after_any(g, which, target)
    elif case.after_success is not None and reply.status < 300:
        case.after_success(g, which, target)
    return reply


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_each_caller_gets_exactly_what_the_role_allows(grid: Grid, case: Case) -> None:
    seen = {who: _call(grid, case, who, "a").status for who in PROFILES}
    expected = {who: case.rule.expected(p, case.success) for who, p in PROFILES.items()}
    assert seen == expected, f"{case.method} {case.path} ({case.rule.name})"


def test_the_grid_covers_every_route_of_the_topology() -> None:
    declared = {(r.method, r.path): r.auth for r in TOPOLOGY.routes}
    user_routes = {key for key, auth in declared.items() if auth is AuthKind.USER}
    public_routes = {key for key, auth in declared.items() if auth is AuthKind.PUBLIC}
    in_grid = [c.key for c in CASES]
    assert len(in_grid) == len(set(in_grid)), "a route is in the grid twice"
    assert set(in_grid) == user_routes
    assert set(PUBLIC_ROUTES) <= public_routes
    assert set(declared) == user_routes | public_routes, "a new auth kind needs a grid"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_every_user_route_refuses_an_anonymous_caller(grid: Grid, case: Case) -> None:
    reply = _call(grid, case, None, "a")
    assert reply.status == 401, reply.body


@pytest.mark.parametrize(("route", "status"), PUBLIC_ROUTES.items(), ids=str)
def test_public_routes_answer_anonymous_callers(
    grid: Grid, route: tuple[str, str], status: int
) -> None:
    method, path = route
    body = {"username": "admin@a.example"} if method == "POST" else None
    assert grid.cloud.call(method, path, None, body).status == status


@pytest.mark.parametrize("who", INSIDE_A)
def test_member_of_a_gets_404_for_every_object_of_b(grid: Grid, who: str) -> None:
    refused = {}
    for case in ACCOUNT_CASES:
        refused[case.key] = _call(grid, case, who, "b").status
    assert refused == {case.key: 404 for case in ACCOUNT_CASES}
    entries = grid.cloud.call(
        "GET",
        ACCOUNT + "/audit",
        grid.people["other_admin"],
        account_id=grid.account("b"),
        query={"limit": "100"},
    ).body["items"]
    by_caller = [e for e in entries if e["actor"] == grid.people[who].sub]
    assert by_caller == [], "an outsider's probes never reach B's chain (issue 11 #9)"
    platform = grid.cloud.dynamodb.Table(grid.cloud.table).query(
        KeyConditionExpression=Key("pk").eq("AUDIT#platform")
    )["Items"]
    probes = [
        i
        for i in platform
        if i.get("actor") == grid.people[who].sub
        and i["target"].startswith(f"account:{grid.account('b')}:")
    ]
    assert probes, "the refused requests are audited on the platform chain"
    assert {i["outcome"] for i in probes} == {"denied"}


def test_objects_of_b_answer_404_through_account_a_too(grid: Grid) -> None:
    """B's members and invitations addressed under A, by A's admin (who manages A)."""
    admin_a = grid.people["admin"]
    for case in ACCOUNT_CASES:
        if case.path not in (MEMBER, INVITATION, INVITATION + "/resend"):
            continue
        target = case.prepare(grid, "admin", "b")
        params = {**target.params, "account_id": grid.account("a")}
        reply = grid.cloud.request(case.method, case.path, admin_a, target.body, None, params)
        assert reply.status == 404, (case.key, reply.body)
