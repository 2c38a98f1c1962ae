"""Logger, Tracer and Metrics for a service, with secrets redacted from every log line.

Powertools' Data Masking needs an exact JSONPath per field; log records carry secrets
under any key at any depth and inside free text, so redaction here matches key names
case-insensitively at every depth and scrubs token-shaped substrings from strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

REDACTED = "***"

_SECRET_KEY = re.compile(
    r"(authorization|x-api-key|api[_-]?key|password|passwd|secret|token|cookie|"
    r"session|credential|private[_-]?key|totp|otp|code_verifier|refresh)",
    re.IGNORECASE,
)
_SECRET_TEXT = (
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),  # JWT
    re.compile(r"\bscts_[a-z]{2,8}_[A-Za-z0-9_-]{16,}"),  # our API keys: scts_<kind>_<secret>
)
_ALLOWED_KEYS = frozenset({"token_use", "correlation_id", "session_id_present"})


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of `value` with secret-named keys masked and token-like text scrubbed."""
    if _depth > 20:
        return REDACTED
    if isinstance(value, dict):
        return {
            key: (
                REDACTED
                if isinstance(key, str) and key not in _ALLOWED_KEYS and _SECRET_KEY.search(key)
                else redact(item, _depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item, _depth + 1) for item in value]
    if isinstance(value, str):
        for pattern in _SECRET_TEXT:
            value = pattern.sub(REDACTED, value)
        return value
    return value


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
