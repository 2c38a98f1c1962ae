"""What the local Cognito layer (cognito_parity.py) keeps beside moto's own state, and the
lookups its parts share. Nothing here patches moto; `cognito_parity.install()` does."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from moto.cognitoidp.exceptions import (
    InvalidParameterException,
    NotAuthorizedError,
    ResourceNotFoundError,
)
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
)
from moto.core.exceptions import JsonRESTError

from infra.local import cognito_srp
from infra.shape.cognito_pool import password_parameter_error, password_violation

INCORRECT = "Incorrect username or password."
INVALID_SESSION = "Invalid session for the user."
EXPIRED_SESSION = "Invalid session for the user, session is expired."
SETUP_PENDING = "ASSOCIATE_SOFTWARE_TOKEN"
"""What an MFA_SETUP session allows until VerifySoftwareToken succeeds with it."""
DEFAULT_SESSION_MINUTES = 3
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
TOKEN_SETTINGS = {  # token_use -> (validity setting, unit key, Cognito's default, its unit)
    "access": ("AccessTokenValidity", "AccessToken", 1, "hours"),
    "id": ("IdTokenValidity", "IdToken", 1, "hours"),
    "refresh": ("RefreshTokenValidity", "RefreshToken", 30, "days"),
}

clock: Callable[[], float] = time.time
"""The layer's clock: read as `cognito_moto.clock()` so tests can move it."""


def now() -> float:
    return clock()


def error(kind: str, message: str) -> JsonRESTError:
    """A Cognito error moto has no class for (or words differently)."""
    return JsonRESTError(kind, message)


@dataclass
class Challenge:
    """A challenge session: which answer it allows, from which client, since when."""

    name: str
    client_id: str
    issued_at: float
    failures: int = 0


@dataclass(frozen=True)
class SrpExchange:
    user_id: str
    known_user: bool
    big_a: int
    server: cognito_srp.ServerValues
    password_verifier: int


@dataclass(frozen=True)
class ResetCode:
    code: str
    expires_at: float


@dataclass
class State:
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    challenges: dict[str, Challenge] = field(default_factory=dict)
    srp: dict[str, SrpExchange] = field(default_factory=dict)
    reset_codes: dict[tuple[str, str], ResetCode] = field(default_factory=dict)
    reset_failures: dict[tuple[str, str], int] = field(default_factory=dict)
    totp_pending: dict[tuple[str, str], str] = field(default_factory=dict)
    totp_active: dict[tuple[str, str], str] = field(default_factory=dict)
    refresh_issued: dict[str, float] = field(default_factory=dict)

    def derive(self, *parts: str) -> bytes:
        """Stable per run, unguessable: simulated ids and salts, per-password salts."""
        return hmac.new(self.key, "\x00".join(parts).encode(), hashlib.sha256).digest()


_state = State()
_calls = threading.RLock()
ORIGINALS: dict[str, Any] = {}
"""moto's own methods, by name, while the layer is installed."""
F = TypeVar("F", bound=Callable[..., Any])


def state() -> State:
    return _state


def reset_state() -> None:
    global _state
    _state = State()


def original(name: str) -> Any:
    return ORIGINALS[name]


def serialized(function: F) -> F:
    """moto's server answers requests on threads: one Cognito call at a time."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _calls:
            return function(*args, **kwargs)

    return call  # type: ignore[return-value]


def pool_and_client(
    backend: CognitoIdpBackend, client_id: str
) -> tuple[CognitoIdpUserPool, CognitoIdpUserPoolClient]:
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool, pool.clients[client_id]
    raise ResourceNotFoundError(client_id)


def hides_users(client: CognitoIdpUserPoolClient) -> bool:
    """PreventUserExistenceErrors=ENABLED: unknown users are answered like known ones."""
    return client.extended_config.get("PreventUserExistenceErrors") == "ENABLED"


def find_user(pool: CognitoIdpUserPool, username: str | None) -> CognitoIdpUser | None:
    """By username or alias (email), as Cognito resolves a USERNAME."""
    user: CognitoIdpUser | None = pool._get_user(username) if username else None
    return user


def validity_seconds(client: CognitoIdpUserPoolClient | None, token_use: str) -> int:
    setting, unit_key, default, default_unit = TOKEN_SETTINGS[token_use]
    config = client.extended_config if client is not None else {}
    value = config.get(setting)
    unit = (config.get("TokenValidityUnits") or {}).get(unit_key) or default_unit
    return int(default if value is None else value) * UNIT_SECONDS[unit]


def check_password(pool: CognitoIdpUserPool, password: str) -> None:
    """The request validation and the pool's policy, with Cognito's errors."""
    problem = password_parameter_error(password)
    if problem:
        raise InvalidParameterException(problem)
    policy = (pool.extended_config.get("Policies") or {}).get("PasswordPolicy") or {}
    violation = password_violation(policy, password)
    if violation:
        raise error("InvalidPasswordException", violation)


def refuse_expired_refresh(pool: CognitoIdpUserPool, refresh_token: str | None) -> None:
    issued = _state.refresh_issued.get(refresh_token or "")
    owner = pool.refresh_tokens.get(refresh_token or "")
    if issued is None or owner is None:
        return
    if now() - issued > validity_seconds(pool.clients.get(owner[0]), "refresh"):
        raise NotAuthorizedError("Refresh Token has expired")


# ---- challenge sessions


def record_challenge(result: dict[str, Any], client_id: str) -> None:
    """Remember a session an answer hands out, and the one challenge it allows."""
    session, name = result.get("Session"), result.get("ChallengeName")
    if session and name:
        expected = SETUP_PENDING if name == "MFA_SETUP" else str(name)
        _state.challenges[str(session)] = Challenge(expected, client_id, now())


def close_challenge(backend: CognitoIdpBackend, key: str) -> None:
    _state.challenges.pop(key, None)
    _state.srp.pop(key, None)
    backend.sessions.pop(key, None)


def open_challenge(
    backend: CognitoIdpBackend, key: str | None, client: CognitoIdpUserPoolClient, name: str
) -> tuple[Challenge, str, CognitoIdpUserPool]:
    """The live session `key` issued for challenge `name` to this client: (challenge, the
    username it was issued for, its pool). Anything else is NotAuthorizedException."""
    challenge = _state.challenges.get(key or "")
    entry = backend.sessions.get(key or "")
    if not key or challenge is None or entry is None:
        raise NotAuthorizedError(INVALID_SESSION)
    if challenge.name != name or challenge.client_id != client.id:
        raise NotAuthorizedError(INVALID_SESSION)
    minutes = client.extended_config.get("AuthSessionValidity") or DEFAULT_SESSION_MINUTES
    if now() - challenge.issued_at > 60 * int(minutes):
        close_challenge(backend, key)
        raise NotAuthorizedError(EXPIRED_SESSION)
    username, pool = entry
    return challenge, username, pool
