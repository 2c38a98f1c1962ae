"""Reading a declared secret (see common.topology.Secret) from Secrets Manager.

Powertools Parameters caches the value for `max_age` seconds, so a warm function does
not call Secrets Manager per request and a rotated value is picked up within minutes.
Parameters is imported on first read: most requests and many functions never read a secret,
and its import is part of every cold start otherwise (`bench/cold_init.py`).
"""

from __future__ import annotations

CACHE_SECONDS = 300


class SecretUnavailable(RuntimeError):
    """The secret is missing or not a string; the message names the id, never a value."""


def read_secret(secret_id: str, *, max_age: int = CACHE_SECONDS) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_secret(secret_id, max_age=max_age)
    except parameters.exceptions.GetParameterError as exc:
        raise SecretUnavailable(f"secret {secret_id} could not be read") from exc
    if not isinstance(value, str) or not value:
        raise SecretUnavailable(f"secret {secret_id} is empty or binary")
    return value
