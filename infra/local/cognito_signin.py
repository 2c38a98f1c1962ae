"""Sign-in as Cognito does it, in place of moto's (installed by cognito_parity.py).

USER_SRP_AUTH is real SRP (the proof checked), challenge sessions are bound to their user,
client and challenge and expire, TOTP secrets are per user and every code is checked, an
unknown user is answered like a wrong password.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

import pyotp
from moto.cognitoidp.exceptions import (
    InvalidParameterException,
    NotAuthorizedError,
    UserNotConfirmedException,
    UserNotFoundError,
)
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)
from moto.cognitoidp.utils import check_secret_hash

from infra.local import cognito_moto as layer
from infra.local import cognito_srp
from infra.local.cognito_moto import INCORRECT, INVALID_SESSION, SETUP_PENDING, serialized

MFA_CODE_ATTEMPTS = 5
"""Wrong TOTP codes one sign-in session may take before it is closed."""
FLOW_SETTING = {  # AuthFlow -> the ExplicitAuthFlows values that allow it
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "REFRESH_TOKEN_AUTH": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "REFRESH_TOKEN": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
}
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
PASSWORD_FLOWS = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")
REFRESH_FLOWS = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")


def _require_flow(client: CognitoIdpUserPoolClient, auth_flow: str) -> None:
    allowed = client.extended_config.get("ExplicitAuthFlows") or DEFAULT_FLOWS
    if not set(FLOW_SETTING.get(auth_flow, ())) & set(allowed):
        raise InvalidParameterException(f"{auth_flow} flow not enabled for this client")


def _require_secret_hash(
    client: CognitoIdpUserPoolClient, username: str, secret_hash: str | None
) -> None:
    if client.generate_secret and not check_secret_hash(
        client.secret, client.id, username, secret_hash
    ):
        raise NotAuthorizedError(f"Unable to verify secret hash for client {client.id}")


def _refuse_wrong_password(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, parameters: dict[str, str]
) -> None:
    """Before moto answers: an unknown user (hidden) or a wrong password, in Cognito's words."""
    user = layer.find_user(pool, parameters.get("USERNAME"))
    if user is None and layer.hides_users(client):
        raise NotAuthorizedError(INCORRECT)
    if user is not None and user.enabled and user.password != parameters.get("PASSWORD"):
        raise NotAuthorizedError(INCORRECT)


def _start_srp(
    backend: CognitoIdpBackend,
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    parameters: dict[str, str],
) -> dict[str, Any]:
    """The PASSWORD_VERIFIER challenge: this sign-in's salt, B and secret block.

    An unknown user (when hidden) gets a challenge of the same shape, stable per name, that
    no password can answer.
    """
    state = layer.state()
    username = parameters.get("USERNAME") or ""
    big_a = cognito_srp.client_public_value(parameters.get("SRP_A") or "")
    if not username or big_a is None:
        raise InvalidParameterException("USERNAME and a valid SRP_A are required")
    _require_secret_hash(client, username, parameters.get("SECRET_HASH"))
    user = layer.find_user(pool, username)
    x = secrets.randbits(256)
    if user is None:
        if not layer.hides_users(client):
            raise UserNotFoundError("User does not exist.")
        user_id = str(uuid.UUID(bytes=state.derive(pool.id, "id", username)[:16], version=4))
        salt = cognito_srp.salt_from(state.derive(pool.id, "salt", username))
    else:
        if not user.enabled:
            raise NotAuthorizedError("User is disabled.")
        if user.status is UserStatus.UNCONFIRMED:
            raise UserNotConfirmedException("User is not confirmed.")
        user_id = user.id
        salt = cognito_srp.salt_from(state.derive(pool.id, user.id, str(user.password)))
        if user.password is not None:
            x = cognito_srp.password_x(pool.id, user_id, user.password, salt)
    password_verifier = cognito_srp.verifier(x)
    server = cognito_srp.ServerValues.create(password_verifier)
    secret_block = base64.b64encode(secrets.token_bytes(64)).decode()
    backend.sessions[secret_block] = (username, pool)
    state.srp[secret_block] = layer.SrpExchange(
        user_id, user is not None, big_a, server, password_verifier
    )
    state.challenges[secret_block] = layer.Challenge("PASSWORD_VERIFIER", client.id, layer.now())
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt,
            "SRP_B": f"{server.big_b:x}",
            "USERNAME": user.username if user is not None else user_id,
            "USER_ID_FOR_SRP": user_id,
            "SECRET_BLOCK": secret_block,
        },
    }


def _verify_srp(
    backend: CognitoIdpBackend, key: str, pool: CognitoIdpUserPool, responses: dict[str, str]
) -> None:
    """The client's PASSWORD_CLAIM_SIGNATURE must be the proof its password gives; the
    exchange is used once, right or wrong."""
    exchange = layer.state().srp.pop(key, None)
    if exchange is None:
        raise NotAuthorizedError(INVALID_SESSION)
    session_key = cognito_srp.session_key(
        exchange.big_a, exchange.server, exchange.password_verifier
    )
    expected = cognito_srp.proof(
        session_key or b"", pool.id, exchange.user_id, key, responses.get("TIMESTAMP") or ""
    )
    claimed = responses.get("PASSWORD_CLAIM_SIGNATURE") or ""
    if not (exchange.known_user and session_key and cognito_srp.proof_matches(claimed, expected)):
        layer.close_challenge(backend, key)
        raise NotAuthorizedError(INCORRECT)


@serialized
def initiate_auth(
    self: CognitoIdpBackend, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
) -> dict[str, Any]:
    pool, client = layer.pool_and_client(self, client_id)
    parameters = auth_parameters or {}
    _require_flow(client, auth_flow)
    if auth_flow == "USER_SRP_AUTH":
        return _start_srp(self, pool, client, parameters)
    if auth_flow in PASSWORD_FLOWS:
        _refuse_wrong_password(pool, client, parameters)
    if auth_flow in REFRESH_FLOWS:
        layer.refuse_expired_refresh(pool, parameters.get("REFRESH_TOKEN"))
    result: dict[str, Any] = layer.original("initiate_auth")(self, client_id, auth_flow, parameters)
    layer.record_challenge(result, client_id)
    return result


@serialized
def admin_initiate_auth(
    self: CognitoIdpBackend,
    user_pool_id: str,
    client_id: str,
    auth_flow: str,
    auth_parameters: dict[str, str],
) -> dict[str, Any]:
    pool = self.describe_user_pool(user_pool_id)
    client = pool.clients.get(client_id)
    parameters = auth_parameters or {}
    if client is not None:
        _require_flow(client, auth_flow)
        if auth_flow in PASSWORD_FLOWS:
            _refuse_wrong_password(pool, client, parameters)
        if auth_flow in REFRESH_FLOWS:
            layer.refuse_expired_refresh(pool, parameters.get("REFRESH_TOKEN"))
    result: dict[str, Any] = layer.original("admin_initiate_auth")(
        self, user_pool_id, client_id, auth_flow, parameters
    )
    layer.record_challenge(result, client_id)
    return result


def _answer_totp(
    backend: CognitoIdpBackend,
    key: str,
    challenge: layer.Challenge,
    username: str,
    user: CognitoIdpUser,
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    responses: dict[str, str],
) -> dict[str, Any]:
    _require_secret_hash(client, responses.get("USERNAME") or "", responses.get("SECRET_HASH"))
    secret = layer.state().totp_active.get((pool.id, user.id))
    if secret is None or not _totp_matches(secret, responses.get("SOFTWARE_TOKEN_MFA_CODE")):
        challenge.failures += 1
        if challenge.failures >= MFA_CODE_ATTEMPTS:
            layer.close_challenge(backend, key)
        raise layer.error("CodeMismatchException", "Invalid code received for user")
    layer.close_challenge(backend, key)
    result: dict[str, Any] = backend._log_user_in(pool, client, username)
    return result


@serialized
def respond_to_auth_challenge(
    self: CognitoIdpBackend,
    session: str,
    client_id: str,
    challenge_name: str,
    challenge_responses: dict[str, str],
) -> dict[str, Any]:
    _, client = layer.pool_and_client(self, client_id)
    responses = challenge_responses or {}
    verifier = challenge_name == "PASSWORD_VERIFIER"
    key = responses.get("PASSWORD_CLAIM_SECRET_BLOCK") if verifier else session
    challenge, username, pool = layer.open_challenge(self, key, client, challenge_name)
    assert key is not None
    if verifier:
        _verify_srp(self, key, pool, responses)
    user = layer.find_user(pool, username)
    if user is None or layer.find_user(pool, responses.get("USERNAME")) is not user:
        raise NotAuthorizedError(INVALID_SESSION)
    if challenge_name == "SOFTWARE_TOKEN_MFA":
        return _answer_totp(self, key, challenge, username, user, pool, client, responses)
    result: dict[str, Any] = layer.original("respond_to_auth_challenge")(
        self, session, client_id, challenge_name, responses
    )
    layer.state().challenges.pop(key, None)
    layer.record_challenge(result, client_id)
    return result


# ---- TOTP


def _totp_matches(secret: str, code: str | None) -> bool:
    return bool(code) and pyotp.TOTP(secret).verify(str(code), for_time=int(layer.now()))


def _token_owner(
    backend: CognitoIdpBackend, access_token: str
) -> tuple[CognitoIdpUserPool, str, CognitoIdpUser]:
    for pool in backend.user_pools.values():
        if access_token and access_token in pool.access_tokens:
            username = pool.access_tokens[access_token][1]
            user = layer.find_user(pool, username)
            if user is not None:
                return pool, username, user
    raise NotAuthorizedError("Invalid Access Token")


def _setup_session(
    backend: CognitoIdpBackend, session: str
) -> tuple[layer.Challenge, CognitoIdpUserPool, str, CognitoIdpUser]:
    """An MFA_SETUP sign-in session, which may associate and verify a software token."""
    challenge = layer.state().challenges.get(session)
    entry = backend.sessions.get(session)
    client = entry[1].clients.get(challenge.client_id) if challenge and entry else None
    if client is None:
        raise NotAuthorizedError(INVALID_SESSION)
    _, username, pool = layer.open_challenge(backend, session, client, SETUP_PENDING)
    user = layer.find_user(pool, username)
    if user is None or challenge is None:
        raise NotAuthorizedError(INVALID_SESSION)
    return challenge, pool, username, user


@serialized
def associate_software_token(
    self: CognitoIdpBackend, access_token: str, session: str
) -> dict[str, str]:
    """A new secret per call, per user; the active one stays until a code verifies this."""
    if session:
        _, pool, _, user = _setup_session(self, session)
    else:
        pool, _, user = _token_owner(self, access_token)
    secret = base64.b32encode(secrets.token_bytes(32)).decode().rstrip("=")
    layer.state().totp_pending[(pool.id, user.id)] = secret
    return {"SecretCode": secret, **({"Session": session} if session else {})}


@serialized
def verify_software_token(
    self: CognitoIdpBackend,
    access_token: str,
    session: str,
    user_code: str,
    friendly_device_name: str,
) -> dict[str, str]:
    state = layer.state()
    if session:
        challenge, pool, username, user = _setup_session(self, session)
    else:
        pool, username, user = _token_owner(self, access_token)
    secret = state.totp_pending.get((pool.id, user.id))
    if secret is None or not _totp_matches(secret, user_code):
        raise layer.error(
            "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
        )
    state.totp_active[(pool.id, user.id)] = state.totp_pending.pop((pool.id, user.id))
    user.token_verified = True
    if not session:
        return {"Status": "SUCCESS"}
    layer.close_challenge(self, session)
    next_session = str(uuid.uuid4())
    self.sessions[next_session] = (username, pool)
    state.challenges[next_session] = layer.Challenge("MFA_SETUP", challenge.client_id, layer.now())
    return {"Status": "SUCCESS", "Session": next_session}
