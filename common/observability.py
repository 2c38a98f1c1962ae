"""Logger, Tracer and Metrics for a service, with secrets redacted from every log line.

Redaction runs on the whole structured record just before it is serialized, so it covers
the message, `extra=` fields, appended keys, a logged event and `logger.exception`
tracebacks alike. Two rules:
- a value whose key names a secret (authorization, cookie, password, token, secret,
  credential, session, api key, private key, OTP/TOTP, verification codes...) is replaced,
  at any depth, whatever the key's case or style (`X-Api-Key`, `refreshToken`, `api_key`);
- token-shaped text is scrubbed from every string: JWTs, `Bearer ...`, our API keys
  (`scts_<kind>_<secret>`), AWS access key ids, presigned-URL signatures and
  `password=...`-style pairs.

Why not Powertools' Data Masking: its `erase` takes exact JSONPath expressions, matched
case-sensitively; secrets in log records sit under open-ended key names in any style and
inside free text (tracebacks, messages), which JSONPath cannot express, and building the
JSONPath parsers on every log line is slow. Data Masking remains the tool for masking
known fields of a known payload (e.g. before storing or returning it).

Correlation: API handlers made by `common.lambda_api.http_handler` log the API Gateway
request id as `correlation_id`; read it with `obs.logger.get_correlation_id()` and pass it
to `EventType.new(...)` so every event the request causes carries it. Consumers set it
from the incoming envelope's `correlation_id` (see common/consumer.py).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from pydantic import BaseModel

REDACTED = "***"
MAX_DEPTH = 20

_SECRET_WORDS = frozenset(
    {
        "authorization",
        "bearer",
        "cookie",
        "cookies",
        "credential",
        "credentials",
        "jwt",
        "otp",
        "passphrase",
        "passwd",
        "password",
        "passwords",
        "pwd",
        "secret",
        "secrets",
        "session",
        "signature",
        "token",
        "tokens",
        "totp",
        "apikey",
        "passcode",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("api", "keys"),
        ("private", "key"),
        ("access", "key"),
        ("code", "verifier"),
        ("confirmation", "code"),
        ("verification", "code"),
        ("mfa", "code"),
        ("user", "code"),
        ("secret", "hash"),
    }
)
_ALLOWED_KEYS = frozenset({"token_use", "correlation_id", "session_id_present"})
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

_SECRET_TEXT = (
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),  # JWT
    re.compile(r"\bscts_[a-z]{2,8}_[A-Za-z0-9_-]{16,}"),  # our API keys: scts_<kind>_<secret>
    re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),  # AWS access key ids
    re.compile(
        r"(?i)(?<=[?&])(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s\"']+"
    ),  # presigned URLs
    re.compile(
        r"(?i)\b((?:password|passwd|pwd|secret|api[_-]?key|[a-z_]*token)[\"']?\s*[=:]\s*)"
        r"(?:\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"
    ),  # key=value / "key": "value" pairs inside text
)


def secret_key(key: str) -> bool:
    """Whether a mapping key names a secret (any case or style: snake, kebab, camel)."""
    if key in _ALLOWED_KEYS:
        return False
    words = [w.lower() for w in _WORD.findall(key)]
    if _SECRET_WORDS.intersection(words):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(words))


def _scrub(text: str) -> str:
    for pattern in _SECRET_TEXT:
        text = pattern.sub(lambda m: (m.group(1) if m.lastindex else "") + REDACTED, text)
    return text


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of `value` with secret-named keys masked and token-like text scrubbed."""
    if _depth > MAX_DEPTH:
        return REDACTED
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return {
            key: (
                REDACTED if isinstance(key, str) and secret_key(key) else redact(item, _depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redact(item, _depth + 1) for item in value]
    if isinstance(value, bytes):
        return _scrub(value.decode("utf-8", errors="replace"))
    if isinstance(value, str):
        return _scrub(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return _scrub(str(value))


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter with `redact` applied to the whole record."""

    def serialize(self, log: dict[str, Any] | Any) -> str:
        return super().serialize(redact(log) if isinstance(log, dict) else log)


@dataclass(frozen=True)
class Observability:
    logger: Logger
    tracer: Tracer
    metrics: Metrics


def observability(service: str) -> Observability:
    """The Logger (JSON, redacted), Tracer and Metrics (EMF) for one service.

    Namespace, log level and sampling come from the standard POWERTOOLS_* variables.
    """
    return Observability(
        logger=Logger(service=service, logger_formatter=RedactingFormatter()),
        tracer=Tracer(service=service),
        metrics=Metrics(service=service, namespace="SCTS"),
    )
