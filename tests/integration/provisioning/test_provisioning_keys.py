"""Publishers and API keys: registration by SCTS admins, key handling, the authorizer,
and the service's own re-check of every publisher request."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from contracts import event_type
from infra.local.demo import records as testdata
from services.provisioning import dependencies

from .conftest import ADMINS, TOKENS, Cloud

pytestmark = pytest.mark.integration


def push(cloud: Cloud, key: str | None, **extra: object) -> int:
    reply = cloud.call("POST", "/v1/trades", key=key, body={"records": []}, **extra)  # type: ignore[arg-type]
    return reply.status


def test_only_scts_admins_register_publishers(cloud: Cloud) -> None:
    body = {"name": "STX trading", "all_accounts": True}
    not_admin = cloud.call(
        "POST", "/v1/publishers", token=cloud.admin_token(groups=["cams"]), body=body
    )
    anonymous = cloud.call("POST", "/v1/publishers", body=body)
    assert (not_admin.status, anonymous.status) == (403, 401)


def test_registration_shows_the_key_once_and_stores_only_a_salted_hash(cloud: Cloud) -> None:
    publisher_id, key = cloud.register()
    assert key.startswith("scts_pub_")
    stored = cloud.dynamodb.scan(TableName=cloud.records_table.replace("records", "publishers"))[
        "Items"
    ]
    dumped = repr(stored)
    assert key not in dumped
    secret = key.split("_", 3)[3]  # the secret itself may contain "_"
    assert len(secret) == 43
    assert secret not in dumped
    (key_item,) = [i for i in stored if i["pk"]["S"].startswith("KEY#")]
    assert len(key_item["salt"]["S"]) == 32
    assert len(key_item["key_hash"]["S"]) == 64

    listed = cloud.call("GET", "/v1/publishers", token=cloud.admin_token())
    assert listed.status == 200
    assert listed.body["next_cursor"] is None
    (publisher,) = listed.body["items"]
    assert publisher["publisher_id"] == publisher_id
    assert key not in repr(listed.body)
    assert publisher["keys"][0]["prefix"] == key.split("_")[2]


def test_registration_needs_exactly_one_scope(cloud: Cloud) -> None:
    reply = cloud.call(
        "POST",
        "/v1/publishers",
        token=cloud.admin_token(),
        body={"name": "x", "all_accounts": True, "account_ids": ["acc-1"]},
    )
    assert reply.status == 422


def test_key_opens_publisher_routes_and_records_last_use(cloud: Cloud) -> None:
    publisher_id, key = cloud.register()
    assert push(cloud, key) == 200
    shown = cloud.call(
        "GET", "/v1/publishers/{publisher_id}", token=cloud.admin_token(), publisher_id=publisher_id
    )
    assert shown.body["keys"][0]["last_used_at"] is not None


@pytest.mark.parametrize(
    "presented",
    ["", "not-a-key", "scts_pub_0000000000_" + "A" * 43],
)
def test_unknown_keys_get_401(cloud: Cloud, presented: str) -> None:
    cloud.register()
    assert push(cloud, presented or None) == 401
    assert cloud.denied({"x-api-key": presented})


def test_a_tampered_key_with_a_real_prefix_gets_401(cloud: Cloud) -> None:
    _, key = cloud.register()
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert push(cloud, tampered) == 401
    assert cloud.denied({"x-api-key": tampered})


def test_key_only_in_the_x_api_key_header(cloud: Cloud) -> None:
    _, key = cloud.register()
    assert (
        cloud.call("POST", "/v1/trades", body={"records": []}, query={"api_key": key}).status == 401
    )
    assert cloud.allowed({"x-api-key": key})
    assert cloud.denied({"authorization": key})


def test_user_jwt_never_opens_ingest_routes(cloud: Cloud) -> None:
    _, key = cloud.register()
    admin = cloud.admin_token()
    assert push(cloud, None, token=admin) == 401
    assert push(cloud, key, token=admin) == 401
    assert cloud.denied({"authorization": f"Bearer {admin}", "x-api-key": key})


def test_publisher_key_never_opens_user_routes(cloud: Cloud) -> None:
    _, key = cloud.register()
    assert cloud.call("GET", "/v1/publishers", key=key).status == 401


def test_revoked_key_gets_401_at_once(cloud: Cloud) -> None:
    publisher_id, key = cloud.register()
    assert push(cloud, key) == 200
    prefix = key.split("_")[2]
    revoked = cloud.call(
        "DELETE",
        "/v1/publishers/{publisher_id}/keys/{prefix}",
        token=cloud.admin_token(),
        publisher_id=publisher_id,
        prefix=prefix,
    )
    assert revoked.status == 204
    assert push(cloud, key) == 401
    assert cloud.denied({"x-api-key": key})


def test_revoking_another_publishers_key_is_404(cloud: Cloud) -> None:
    _, key = cloud.register("one")
    other_id, _ = cloud.register("two")
    reply = cloud.call(
        "DELETE",
        "/v1/publishers/{publisher_id}/keys/{prefix}",
        token=cloud.admin_token(),
        publisher_id=other_id,
        prefix=key.split("_")[2],
    )
    assert reply.status == 404
    assert push(cloud, key) == 200


def test_rotation_keeps_the_old_key_for_the_overlap(cloud: Cloud) -> None:
    publisher_id, old = cloud.register()
    rotated = cloud.call(
        "POST",
        "/v1/publishers/{publisher_id}/keys",
        token=cloud.admin_token(),
        body={},
        publisher_id=publisher_id,
    )
    assert rotated.status == 201
    new = rotated.body["api_key"]
    assert push(cloud, old) == 200
    assert push(cloud, new) == 200
    keys = {k["prefix"]: k for k in rotated.body["publisher"]["keys"]}
    old_key = keys[old.split("_")[2]]
    assert old_key["expires_at"] is not None  # default overlap: 24 h from now


def test_rotation_without_overlap_retires_the_old_key_at_once(cloud: Cloud) -> None:
    publisher_id, old = cloud.register()
    rotated = cloud.call(
        "POST",
        "/v1/publishers/{publisher_id}/keys",
        token=cloud.admin_token(),
        body={"overlap_hours": 0},
        publisher_id=publisher_id,
    )
    assert push(cloud, old) == 401
    assert push(cloud, rotated.body["api_key"]) == 200


def test_authorizer_context_must_name_the_same_publisher(cloud: Cloud) -> None:
    """Zero trust: the gateway's verdict is cross-checked, not trusted."""
    publisher_id, key = cloud.register("one")
    other_id, _ = cloud.register("two")
    body = {"records": [testdata.trade()]}
    same = cloud.call(
        "POST", "/v1/trades", key=key, body=body, authorizer={"publisher_id": publisher_id}
    )
    other = cloud.call(
        "POST", "/v1/trades", key=key, body=body, authorizer={"publisher_id": other_id}
    )
    assert (same.status, other.status) == (200, 401)


def test_each_publisher_is_throttled_on_its_own(cloud: Cloud) -> None:
    two_a_minute = dependencies.settings().model_copy(update={"publisher_requests_per_minute": 2})
    fixed = datetime.now(UTC).replace(second=1)  # all calls in one window
    with dependencies.settings.override(two_a_minute), dependencies.clock.override(lambda: fixed):
        _, busy = cloud.register("busy")
        _, quiet = cloud.register("quiet")
        replies = [
            cloud.call("POST", "/v1/trades", key=busy, body={"records": []}) for _ in range(3)
        ]
        assert [r.status for r in replies] == [200, 200, 429]
        assert push(cloud, quiet) == 200
    assert replies[2].headers["Retry-After"] == "60"
    assert replies[2].body["error"] == "throttled"


def test_a_publisher_feeds_only_known_accounts(cloud: Cloud) -> None:
    body = {"name": "narrow", "account_ids": ["acc-never-created"]}
    reply = cloud.call("POST", "/v1/publishers", token=cloud.admin_token(), body=body)
    assert reply.status == 422
    assert reply.body["fields"][0]["path"] == "body.account_ids"


def test_an_account_named_twice_is_read_once(cloud: Cloud) -> None:
    """Found by the API fuzzing run: a repeated account id reached DynamoDB's BatchGetItem,
    which refuses duplicate keys (a 500)."""
    cloud.account_created("acc-twice")
    body = {"name": "twice", "account_ids": ["acc-twice", "acc-twice"]}
    reply = cloud.call("POST", "/v1/publishers", token=cloud.admin_token(), body=body)
    assert reply.status == 201, reply.body
    assert reply.body["publisher"]["account_ids"] == ["acc-twice"]
    unknown = {"name": "twice unknown", "account_ids": ["acc-none", "acc-none"]}
    refused = cloud.call("POST", "/v1/publishers", token=cloud.admin_token(), body=unknown)
    assert (refused.status, refused.body["fields"][0]["path"]) == (422, "body.account_ids")


def test_keys_name_the_admin_who_issued_and_revoked_them(cloud: Cloud) -> None:
    """The staff console's trail of a publisher: who registered it, who rotated (the new
    key's `created_by`), who revoked; the overlap shows as the old key's `expires_at`."""
    publisher_id, old = cloud.register()
    rotator = TOKENS.access(**{"cognito:groups": [ADMINS], "sub": "sub-rotator"})
    revoker = TOKENS.access(**{"cognito:groups": [ADMINS], "sub": "sub-revoker"})
    path = "/v1/publishers/{publisher_id}/keys"
    rotated = cloud.call("POST", path, token=rotator, body={}, publisher_id=publisher_id)
    assert rotated.status == 201, rotated.body
    new_prefix = rotated.body["key_prefix"]
    old_prefix = old.split("_")[2]
    revoked = cloud.call(
        "DELETE", path + "/{prefix}", token=revoker, publisher_id=publisher_id, prefix=old_prefix
    )
    assert revoked.status == 204
    again = cloud.call(
        "DELETE",
        path + "/{prefix}",
        token=cloud.admin_token(),
        publisher_id=publisher_id,
        prefix=old_prefix,
    )
    assert again.status == 204
    shown = cloud.call(
        "GET", "/v1/publishers/{publisher_id}", token=cloud.admin_token(),
        publisher_id=publisher_id,
    ).body  # fmt: skip
    keys = {k["prefix"]: k for k in shown["keys"]}
    registrar = shown["created_by"]
    assert registrar
    assert (keys[old_prefix]["created_by"], keys[old_prefix]["revoked_by"]) == (
        registrar,
        "sub-revoker",
    )
    assert keys[old_prefix]["expires_at"] is not None
    assert (keys[new_prefix]["created_by"], keys[new_prefix]["revoked_by"]) == (
        "sub-rotator",
        None,
    )


def publisher_events(cloud: Cloud) -> list[dict[str, Any]]:
    found = [e for e in cloud.outbox() if e["detail_type"].startswith("Publisher")]
    return sorted(found, key=lambda e: str(e["occurred_at"]))


def test_admin_actions_on_publishers_leave_events_in_the_outbox(cloud: Cloud) -> None:
    """Register, rotate, revoke: each writes its event (outbox) with the key write; a repeated
    revocation or another publisher's key writes none; the key itself is never in one."""
    cloud.account_created("acc-1")
    publisher_id, old = cloud.register(account_ids=["acc-1"])
    other_id, _ = cloud.register("two")
    rotator = TOKENS.access(**{"cognito:groups": [ADMINS], "sub": "sub-rotator"})
    revoker = TOKENS.access(**{"cognito:groups": [ADMINS], "sub": "sub-revoker"})
    path = "/v1/publishers/{publisher_id}/keys"
    rotated = cloud.call("POST", path, token=rotator, body={}, publisher_id=publisher_id)
    assert rotated.status == 201, rotated.body
    old_prefix = old.split("_")[2]
    for token, owner, expected in (
        (revoker, publisher_id, 204),
        (rotator, publisher_id, 204),
        (revoker, other_id, 404),
    ):
        reply = cloud.call(
            "DELETE", path + "/{prefix}", token=token, publisher_id=owner, prefix=old_prefix
        )
        assert reply.status == expected

    found = publisher_events(cloud)
    assert [(e["detail_type"], e["version"], e["source"]) for e in found] == [
        ("PublisherRegistered", 1, "scts.provisioning"),
        ("PublisherRegistered", 1, "scts.provisioning"),
        ("PublisherKeyIssued", 1, "scts.provisioning"),
        ("PublisherKeyRevoked", 1, "scts.provisioning"),
    ]
    registered, _, issued, revoked = (e["data"] for e in found)
    assert registered["publisher_id"] == publisher_id
    assert (registered["name"], registered["all_accounts"], registered["account_ids"]) == (
        "STX trading",
        False,
        ["acc-1"],
    )
    assert registered["key_prefix"] == old_prefix
    assert (issued["key_prefix"], issued["actor"]) == (rotated.body["key_prefix"], "sub-rotator")
    assert (revoked["key_prefix"], revoked["actor"]) == (old_prefix, "sub-revoker")
    dumped = json.dumps(found)
    assert old not in dumped
    assert rotated.body["api_key"] not in dumped
    assert old.split("_", 3)[3] not in dumped


def test_a_key_is_not_stored_when_its_event_cannot_be(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: an outbox row that cannot be written takes the new key with it."""
    publisher_id, _ = cloud.register()
    taken = uuid4()
    monkeypatch.setattr(event_type, "new_event_id", lambda: taken)
    cloud.dynamodb.put_item(
        TableName=cloud.records_table,
        Item={"pk": {"S": f"OUTBOX#{taken}"}, "sk": {"S": "OUTBOX"}, "other": {"S": "row"}},
    )
    path = "/v1/publishers/{publisher_id}/keys"
    rotated = cloud.call(
        "POST", path, token=cloud.admin_token(), body={}, publisher_id=publisher_id
    )
    assert rotated.status >= 500
    shown = cloud.call(
        "GET", "/v1/publishers/{publisher_id}", token=cloud.admin_token(),
        publisher_id=publisher_id,
    ).body  # fmt: skip
    assert len(shown["keys"]) == 1
    assert [e["detail_type"] for e in publisher_events(cloud)] == ["PublisherRegistered"]
