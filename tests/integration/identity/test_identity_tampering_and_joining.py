"""Holes a review found, each closed: a chain deleted whole or a staff entry taken out of
the staff list no longer verifies; the platform chain has a verify route; nobody joins a
suspended account; a member cannot be made a CAM; password recovery answers Cognito's
refusals as it answers an unknown user (or 429), never with a 500."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from services.identity import dependencies
from services.identity.adapters.cognito import CognitoDirectory

from .conftest import ACCEPT, ACCOUNT, INVITES, REGION, Cloud, World

pytestmark = pytest.mark.integration

VERIFY = "/v1/accounts/{account_id}/audit/verify"


def audit_items(cloud: Cloud, chain: str) -> list[dict[str, object]]:
    table = cloud.dynamodb.Table(cloud.table)
    found = table.query(
        KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": f"AUDIT#{chain}"}
    )["Items"]
    return list(found)


def test_a_chain_deleted_whole_does_not_verify(world: World) -> None:
    cloud, account = world.cloud, world.account_b
    assert cloud.call("GET", VERIFY, world.scts_admin, account_id=account).body["ok"] is True
    table = cloud.dynamodb.Table(cloud.table)
    for item in audit_items(cloud, account):
        table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
    answer = cloud.call("GET", VERIFY, world.scts_admin, account_id=account)
    assert answer.status == 200
    assert answer.body["ok"] is False
    assert "account.create" in answer.body["broken"]["reason"]


def test_a_staff_entry_taken_out_of_the_staff_list_does_not_verify(world: World) -> None:
    cloud, account = world.cloud, world.account_a
    suspended = cloud.call(
        "POST", ACCOUNT + "/suspend", world.scts_admin, {"reason": "x"}, account_id=account
    )
    assert suspended.status == 200
    [entry] = [i for i in audit_items(cloud, account) if i.get("action") == "account.suspend"]
    cloud.dynamodb.Table(cloud.table).update_item(
        Key={"pk": entry["pk"], "sk": entry["sk"]}, UpdateExpression="REMOVE kind_pk, kind_sk"
    )
    answer = cloud.call("GET", VERIFY, world.scts_admin, account_id=account).body
    assert answer["ok"] is False
    assert answer["broken"]["reason"] == "entry's place in the staff list was changed"


def test_scts_administrators_verify_the_platform_chain_and_nobody_else(world: World) -> None:
    cloud = world.cloud
    answer = cloud.call("GET", "/v1/audit/verify", world.scts_admin)
    assert answer.status == 200, answer.body
    assert answer.body["ok"] is True
    assert answer.body["checked"] > 0
    for who in ("admin", "cam"):
        assert cloud.call("GET", "/v1/audit/verify", world.people[who]).status == 403


def test_nobody_joins_a_suspended_account(world: World) -> None:
    cloud, account, admin = world.cloud, world.account_a, world.people["admin"]
    invited = cloud.call(
        "POST", INVITES, admin, {"email": "late@a.example", "role": "trader"}, account_id=account
    )
    assert invited.status == 201
    assert (
        cloud.call(
            "POST", ACCOUNT + "/suspend", world.scts_admin, {"reason": "x"}, account_id=account
        ).status
        == 200
    )
    before = [e["detail_type"] for e in cloud.outbox()]
    invitee = cloud.login_invitee("late@a.example")
    answer = cloud.call("POST", ACCEPT, invitee, account_id=account)
    assert (answer.status, answer.body["error"]) == (403, "account_suspended")
    assert [e["detail_type"] for e in cloud.outbox()] == before


def test_a_member_is_not_made_a_cam(world: World) -> None:
    cloud, admin = world.cloud, world.people["admin"]
    answer = cloud.call(
        "POST", "/v1/cams", world.scts_admin, {"email": admin.email, "name": "Member"}
    )
    assert (answer.status, answer.body["error"]) == (409, "staff_cannot_be_member")
    assert cloud.call("GET", "/v1/me", admin).body["cam"] is False


@pytest.mark.parametrize(
    ("cognito_error", "status", "code"),
    [
        ("TooManyFailedAttemptsException", 429, "throttled"),
        ("NotAuthorizedException", 400, "invalid_code"),
    ],
)
def test_password_confirmation_maps_cognitos_refusals(
    cloud: Cloud, cognito_error: str, status: int, code: str
) -> None:
    client = boto3.client("cognito-idp", region_name=REGION)
    stub = Stubber(client)
    stub.add_client_error("confirm_forgot_password", service_error_code=cognito_error)
    stub.activate()
    stubbed = CognitoDirectory(cloud.pool_id, cloud.client_id, client=client)
    body = {"username": "someone@a.example", "code": "123456", "new_password": "Abcdefg1!xyz"}
    with dependencies.directory.override(stubbed):
        answer = cloud.call("POST", "/v1/password/confirm", None, body)
    assert (answer.status, answer.body["error"]) == (status, code)
