"""Bad input changes nothing; the audit chain catches tampering and survives contention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.identity import dependencies

from .conftest import INVITES, MEMBER, Cloud, World

pytestmark = pytest.mark.integration

AUDIT = "/v1/accounts/{account_id}/audit"
VERIFY = "/v1/accounts/{account_id}/audit/verify"


def head(cloud: Cloud, account_id: str) -> Any:
    return cloud.dynamodb.Table(cloud.table).get_item(
        Key={"pk": f"AUDIT#{account_id}", "sk": "HEAD"}
    )["Item"]["seq"]


@pytest.mark.parametrize(
    ("method", "route", "body", "status", "code"),
    [
        ("POST", INVITES, {"email": "not-an-email", "role": "viewer"}, 422, "validation_failed"),
        ("POST", INVITES, {"email": "x@a.example", "role": "owner"}, 422, "validation_failed"),
        # our pattern takes it, the user pool does not (found by the API fuzzing run: was a 500)
        ("POST", INVITES, {"email": "0@0.0", "role": "viewer"}, 422, "validation_failed"),
        (
            "POST",
            INVITES,
            {"email": "x@a.example", "role": "viewer", "admin": True},
            422,
            "validation_failed",
        ),
        ("POST", INVITES, {"email": "trader@a.example", "role": "viewer"}, 409, "already_member"),
        ("PUT", MEMBER, {"role": "viewer"}, 409, "last_admin"),
        ("DELETE", MEMBER, None, 409, "last_admin"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(
    world: World, method: str, route: str, body: Any, status: int, code: str
) -> None:
    cloud, a, admin = world.cloud, world.account_a, world.people["admin"]
    before_head, before_outbox = head(cloud, a), len(cloud.outbox())
    reply = cloud.call(method, route, admin, body, account_id=a, subject=admin.sub)
    assert (reply.status, reply.body["error"]) == (status, code), reply.body
    if status == 422:
        assert reply.body["fields"][0]["path"]
    assert (head(cloud, a), len(cloud.outbox())) == (before_head, before_outbox)


def test_a_cam_address_the_user_pool_refuses_is_a_422_on_the_email(world: World) -> None:
    """Found by the API fuzzing run (`tests/e2e/test_api_fuzzing.py`): it was a 500."""
    cloud, admin = world.cloud, world.scts_admin
    before = cloud.call("GET", "/v1/cams", admin).body["items"]
    reply = cloud.call("POST", "/v1/cams", admin, {"email": "0@0.0", "name": "Zero"})
    assert (reply.status, reply.body["error"]) == (422, "validation_failed"), reply.body
    assert reply.body["fields"] == [
        {"path": "body.email", "reason": "is not an address the sign-in directory accepts"}
    ]
    assert cloud.call("GET", "/v1/cams", admin).body["items"] == before


@pytest.mark.parametrize(
    ("route", "body", "path"),
    [
        ("/v1/accounts", {"name": " \t "}, "body.name"),
        ("/v1/accounts", {"name": "\u200b"}, "body.name"),
        ("/v1/accounts", {"name": "\u202eSCTS\u202c"}, "body.name"),
        ("/v1/accounts", {"name": "A\u0000B"}, "body.name"),
        ("/v1/cams", {"email": "blank@a.example", "name": "   "}, "body.name"),
        ("/v1/me/mfa/totp/verify", {"code": "\u0661\u0662\u0663\u0664\u0665\u0666"}, "body.code"),
    ],
)
def test_blank_or_spoofing_names_and_digits_of_other_scripts_are_a_422_on_the_field(
    world: World, route: str, body: dict[str, str], path: str
) -> None:
    cloud, admin = world.cloud, world.scts_admin
    before = cloud.call("GET", "/v1/accounts", admin).body["items"]
    reply = cloud.call("POST", route, admin, body)
    assert (reply.status, reply.body["error"]) == (422, "validation_failed"), reply.body
    assert [f["path"] for f in reply.body["fields"]] == [path]
    assert cloud.call("GET", "/v1/accounts", admin).body["items"] == before


def test_a_name_is_kept_trimmed(world: World) -> None:
    cloud, admin = world.cloud, world.scts_admin
    created = cloud.call("POST", "/v1/accounts", admin, {"name": "  Trimmed Energy BV "})
    assert created.status == 201, created.body
    assert created.body["name"] == "Trimmed Energy BV"


def test_preferences_are_validated_and_versioned(world: World) -> None:
    cloud, viewer = world.cloud, world.people["viewer"]
    route = "/v1/me/preferences"
    assert cloud.call("GET", route, viewer).body["version"] == 0
    bad = cloud.call("PUT", route, viewer, {"timezone": "Mars/Olympus"})
    assert bad.status == 422
    assert bad.body["fields"][0]["path"].endswith("timezone")
    good = {"locale": "nl-NL", "timezone": "Europe/Amsterdam", "default_currency": "EUR"}
    saved = cloud.call("PUT", route, viewer, good)
    assert saved.status == 200
    assert saved.body["version"] == 1
    assert cloud.call("GET", route, viewer).body["values"]["timezone"] == "Europe/Amsterdam"


def test_audit_pages_newest_first_and_records_denials(world: World) -> None:
    cloud, a = world.cloud, world.account_a
    denied = cloud.call(
        "GET", "/v1/accounts/{account_id}/members", world.people["viewer"], account_id=a
    )
    assert denied.status == 403
    first = cloud.call("GET", AUDIT, world.people["admin"], query={"limit": "3"}, account_id=a)
    assert first.status == 200
    entries = first.body["items"]
    assert entries[0]["action"] == "denied:members.list"
    assert entries[0]["outcome"] == "denied"
    assert entries[0]["actor_name"] == world.people["viewer"].email  # a person, not a sub
    assert [e["seq"] for e in entries] == sorted((e["seq"] for e in entries), reverse=True)
    older = cloud.call(
        "GET",
        AUDIT,
        world.people["admin"],
        query={"limit": "3", "cursor": first.body["next_cursor"]},
        account_id=a,
    )
    assert older.body["items"][0]["seq"] == entries[-1]["seq"] - 1


def _tamper(cloud: Cloud, account_id: str, how: str) -> int:
    table = cloud.dynamodb.Table(cloud.table)
    pk = f"AUDIT#{account_id}"
    items = table.query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues={":pk": pk, ":e": "ENTRY#"},
    )["Items"]
    victim = items[2]
    seq = int(victim["seq"])
    if how == "edit":
        table.update_item(
            Key={"pk": pk, "sk": victim["sk"]},
            UpdateExpression="SET actor = :x",
            ExpressionAttributeValues={":x": "someone-else"},
        )
    elif how == "delete":
        table.delete_item(Key={"pk": pk, "sk": victim["sk"]})
    elif how == "reorder":
        other = items[3]
        table.put_item(Item={**other, "sk": victim["sk"]})
        table.put_item(Item={**victim, "sk": other["sk"]})
    return seq


@pytest.mark.parametrize("how", ["edit", "delete", "reorder"])
def test_verify_names_the_first_tampered_entry(world: World, how: str) -> None:
    cloud, a, admin = world.cloud, world.account_a, world.people["admin"]
    clean = cloud.call("GET", VERIFY, admin, account_id=a)
    assert clean.body["ok"] is True
    assert clean.body["checked"] == clean.body["head_seq"] > 5
    seq = _tamper(cloud, a, how)
    broken = cloud.call("GET", VERIFY, admin, account_id=a).body
    assert broken["ok"] is False
    assert broken["broken"]["seq"] == seq, broken


def test_verify_catches_deleting_the_newest_entry(world: World) -> None:
    cloud, a, admin = world.cloud, world.account_a, world.people["admin"]
    last = head(cloud, a)
    cloud.dynamodb.Table(cloud.table).delete_item(
        Key={"pk": f"AUDIT#{a}", "sk": f"ENTRY#{int(last):012d}"}
    )
    broken = cloud.call("GET", VERIFY, admin, account_id=a).body
    assert broken["broken"]["seq"] == last


def test_expired_invitation_cannot_be_accepted(world: World) -> None:
    cloud, a, admin = world.cloud, world.account_a, world.people["admin"]
    invited = cloud.call(
        "POST", INVITES, admin, {"email": "late@a.example", "role": "viewer"}, account_id=a
    )
    assert invited.status == 201
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
    late = cloud.login_invitee("late@a.example")
    with dependencies.clock.override(lambda: later):
        reply = cloud.call("POST", "/v1/me/invitations/{account_id}/accept", late, account_id=a)
    assert (reply.status, reply.body["error"]) == (410, "invitation_expired")
