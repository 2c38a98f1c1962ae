"""Token lifetimes and revocation as Cognito applies them, in place of moto's (installed by
cognito_parity.py): the app client's validities, expired tokens refused, global sign-out
reaching the tokens of every alias a user signed in with."""

from __future__ import annotations

from typing import Any

import jwt
from moto.cognitoidp.models import CognitoIdpUserPool

from infra.local import cognito_moto as layer
from infra.local.cognito_moto import serialized


class LiveTokens(dict[str, tuple[str, str]]):
    """A pool's access tokens, where an expired one is no longer found.

    moto checks an access token only by membership in this dict (GetUser, ChangePassword,
    AssociateSoftwareToken, GlobalSignOut...): this makes all of them refuse expired ones.
    """

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str) or not super().__contains__(token):
            return False
        claims = jwt.decode(token, options={"verify_signature": False})
        return bool(claims.get("exp", 0) > layer.now())


@serialized
def create_jwt(
    self: CognitoIdpUserPool,
    client_id: str,
    username: str,
    token_use: str,
    expires_in: int | None = None,
    extra_data: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """moto signs every token for an hour: the client's validity applies instead."""
    if expires_in is None:
        expires_in = layer.validity_seconds(self.clients.get(client_id), token_use)
    if not isinstance(self.access_tokens, LiveTokens):
        self.access_tokens = LiveTokens(self.access_tokens)
    result: tuple[str, int] = layer.original("create_jwt")(
        self, client_id, username, token_use, expires_in, extra_data
    )
    return result


@serialized
def create_refresh_token(
    self: CognitoIdpUserPool, client_id: str, username: str
) -> tuple[str, str]:
    result: tuple[str, str] = layer.original("create_refresh_token")(self, client_id, username)
    layer.state().refresh_issued[result[0]] = layer.now()
    return result


@serialized
def create_tokens_from_refresh_token(
    self: CognitoIdpUserPool, refresh_token: str
) -> tuple[str, str, int]:
    layer.refuse_expired_refresh(self, refresh_token)
    result: tuple[str, str, int] = layer.original("create_tokens_from_refresh_token")(
        self, refresh_token
    )
    return result


@serialized
def sign_out(self: CognitoIdpUserPool, username: str) -> None:
    """moto revokes only tokens issued under the very name given: revoke the user's tokens
    whichever alias (email or id) they signed in with."""
    user = layer.find_user(self, username)
    signed_in_as = {entry[1] for entry in self.access_tokens.values()} | {
        entry[1] for entry in self.refresh_tokens.values() if entry is not None
    }
    aliases = {name for name in signed_in_as if user and layer.find_user(self, name) is user}
    for name in {username} | aliases:
        layer.original("sign_out")(self, name)
