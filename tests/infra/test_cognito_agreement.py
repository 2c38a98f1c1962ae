"""The cloud's user pool and the local one are built from one declaration
(infra/shape/cognito_pool.py): the synthesized pool and SPA client, and the pool the local
runtime creates, carry the same password policy, token lifetimes and existence errors."""

from __future__ import annotations

from typing import Any

import pytest

from infra.shape.cognito_pool import (
    PASSWORD_POLICY,
    PREVENT_USER_EXISTENCE_ERRORS,
    TOKEN_VALIDITY,
)
from tests.infra import gates
from tests.support.cognito import local_pool, moto_cognito

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]

UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
POLICY_KEYS = tuple(PASSWORD_POLICY.as_cognito())


def lifetimes(client: dict[str, Any]) -> dict[str, int]:
    """Seconds each token lives, from a client's validity settings and units."""
    units = client["TokenValidityUnits"]
    return {
        kind: int(client[f"{kind}Validity"]) * UNIT_SECONDS[units[kind]]
        for kind in ("AccessToken", "IdToken", "RefreshToken")
    }


EXPECTED_LIFETIMES = {
    "AccessToken": TOKEN_VALIDITY.access_minutes * 60,
    "IdToken": TOKEN_VALIDITY.id_minutes * 60,
    "RefreshToken": TOKEN_VALIDITY.refresh_hours * 3600,
}


def test_every_stage_s_pool_and_spa_client_follow_the_declaration(synthesized: Any) -> None:
    for stage in synthesized.stages:
        platform = synthesized.template(stage.platform)
        (pool,) = gates.resources(platform, "AWS::Cognito::UserPool").values()
        policy = gates.props(pool)["Policies"]["PasswordPolicy"]
        assert {key: policy[key] for key in POLICY_KEYS} == PASSWORD_POLICY.as_cognito()
        (client,) = gates.resources(platform, "AWS::Cognito::UserPoolClient").values()
        properties = gates.props(client)
        assert lifetimes(properties) == EXPECTED_LIFETIMES
        assert properties["PreventUserExistenceErrors"] == "ENABLED"
    assert PREVENT_USER_EXISTENCE_ERRORS


def test_the_local_pool_and_spa_client_follow_the_declaration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with moto_cognito(monkeypatch, layered=False) as cognito:
        pool = local_pool(cognito)
        described = cognito.describe_user_pool(UserPoolId=pool.user_pool_id)["UserPool"]
        client = cognito.describe_user_pool_client(
            UserPoolId=pool.user_pool_id, ClientId=pool.client_id
        )["UserPoolClient"]

    policy = described["Policies"]["PasswordPolicy"]
    assert {key: policy[key] for key in POLICY_KEYS} == PASSWORD_POLICY.as_cognito()
    assert lifetimes(client) == EXPECTED_LIFETIMES
    assert client["PreventUserExistenceErrors"] == "ENABLED"
