"""An address our pattern accepts (up to 254 characters) but longer than the user pool
takes as a username (128, AdminGetUser's documented limit) is the caller's input error on
the email, never a 500: on invitations and on CAM creation. moto does not check the limit,
so the client here refuses as Cognito does."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from services.identity import dependencies
from services.identity.adapters.cognito import CognitoDirectory

from .conftest import INVITES, REGION, World

pytestmark = pytest.mark.integration

COGNITO_USERNAME_LIMIT = 128
TOO_LONG = "x" * 120 + "@a.example"


def cognito_like_directory(world: World) -> CognitoDirectory:
    client = boto3.client("cognito-idp", region_name=REGION)

    def refuse_long_usernames(params: dict[str, Any], **_: Any) -> None:
        if len(params.get("Username", "")) > COGNITO_USERNAME_LIMIT:
            raise client.exceptions.InvalidParameterException(
                {"Error": {"Code": "InvalidParameterException", "Message": "1 validation error"}},
                "AdminGetUser",
            )

    client.meta.events.register(
        "provide-client-params.cognito-identity-provider.AdminGetUser", refuse_long_usernames
    )
    return CognitoDirectory(world.cloud.pool_id, world.cloud.client_id, client=client)


@pytest.mark.parametrize("who", ["admin", "scts_admin"])
def test_an_address_too_long_for_the_user_pool_is_a_422_on_the_email(
    world: World, who: str
) -> None:
    cloud = world.cloud
    with dependencies.directory.override(cognito_like_directory(world)):
        if who == "admin":
            body = {"email": TOO_LONG, "role": "viewer"}
            reply = cloud.call("POST", INVITES, world.people[who], body, account_id=world.account_a)
        else:
            body = {"email": TOO_LONG, "name": "Long"}
            reply = cloud.call("POST", "/v1/cams", world.people[who], body)
    assert (reply.status, reply.body["error"]) == (422, "validation_failed"), reply.body
    assert [f["path"] for f in reply.body["fields"]] == ["body.email"]


class RegisteredMeanwhile(CognitoDirectory):
    """The first lookup of `email` finds nobody, and someone else creates the user before
    this request does (another account inviting the same person at the same moment)."""

    def __init__(self, world: World, email: str) -> None:
        super().__init__(world.cloud.pool_id, world.cloud.client_id)
        self._cloud, self._email, self._raced = world.cloud, email, False

    def find_user(self, email: str) -> Any:
        if email == self._email and not self._raced:
            self._raced = True
            self._cloud.cognito.admin_create_user(
                UserPoolId=self._cloud.pool_id,
                Username=email,
                UserAttributes=[{"Name": "email", "Value": email}],
                MessageAction="SUPPRESS",
            )
            return None
        return super().find_user(email)


@pytest.mark.parametrize("who", ["admin", "scts_admin"])
def test_a_person_registered_meanwhile_is_a_409_to_retry_never_a_500(
    world: World, who: str
) -> None:
    cloud, email = world.cloud, "wanted@both.example"
    if who == "admin":
        body: dict[str, str] = {"email": email, "role": "viewer"}
        route, params = INVITES, {"account_id": world.account_a}
    else:
        body, route, params = {"email": email, "name": "Wanted"}, "/v1/cams", {}
    with dependencies.directory.override(RegisteredMeanwhile(world, email)):
        raced = cloud.request("POST", route, world.people[who], body, None, params)
    assert (raced.status, raced.body["error"]) == (409, "conflict"), raced.body
    assert [f["path"] for f in raced.body["fields"]] == ["body.email"]
    assert cloud.mails_to(email) == []
    again = cloud.request("POST", route, world.people[who], body, None, params)
    assert again.status == 201, again.body
