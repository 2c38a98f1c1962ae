"""Deployment facts (accounts, regions, external identities) read from CDK context.

Everything account- or organisation-specific lives in the `scts` context object
(cdk.json holds documented placeholders; override per key with `-c scts:<key>=<value>`
on the cdk CLI, or `SCTS_CDK_CONTEXT` for `make synth`). Nothing here is a secret:
secrets are referenced by Secrets Manager name (`/{stage}/scts/{name}`) and resolved
by CloudFormation at deploy time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTEXT_KEY = "scts"
CONTEXT_OVERRIDE_ENV = "SCTS_CDK_CONTEXT"

_ACCOUNT = r"^[0-9]{12}$"
_REGION = r"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class StageConfig(_Frozen):
    """One deployment of the whole portal (one infrastructure account)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9]{1,11}$")
    account: str = Field(pattern=_ACCOUNT)
    region: str = Field(pattern=_REGION)
    production: bool = False
    log_retention_days: int = Field(default=90, ge=1)
    portal_url: str = Field(
        pattern=r"^https://", description="Public SPA origin, used for OAuth callbacks."
    )
    cognito_domain_prefix: str = Field(pattern=r"^[a-z0-9-]{3,63}$")
    threat_protection: bool = Field(
        default=True,
        description="Cognito Plus tier with threat protection enforced (costs per MAU).",
    )
    documents_public_key_pem: str = Field(
        description="Public half of the documents URL-signing key (private half: Secrets "
        "Manager `/{stage}/scts/documents-signing-key`)."
    )
    mail_sender: str = Field(description="Verified SES identity (address) for outgoing mail.")
    alarm_email: str | None = Field(default=None, description="On-call address for alarms.")
    api_rate_limit: int = Field(default=100, ge=1, description="Requests/s per HTTP API stage.")
    api_burst_limit: int = Field(default=200, ge=1)
    waf_rate_limit_per_ip: int = Field(default=1000, ge=10, description="Per 5 minutes.")
    p99_latency_alarm_ms: int = Field(default=2000, ge=1)


class DeployConfig(_Frozen):
    """The whole deployment: the tooling account's pipeline and the stages it deploys."""

    tooling_account: str = Field(pattern=_ACCOUNT)
    tooling_region: str = Field(pattern=_REGION)
    github_connection_arn: str = Field(pattern=r"^arn:aws:(codestar-connections|codeconnections):")
    repository: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    branch: str = "main"
    entra_issuer: str = Field(pattern=r"^https://")
    entra_client_id: str
    version: str = "0.0.0"
    git_commit: str = "unknown"
    stages: tuple[StageConfig, ...] = Field(min_length=1)


def read_cdk_json_context() -> dict[str, Any]:
    """The `context` of the repo's cdk.json, for synthesis outside the cdk CLI."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


def deploy_config(context: dict[str, Any]) -> DeployConfig:
    """Parse the `scts` context object, with `scts:<key>` and env overrides applied."""
    raw: dict[str, Any] = dict(context.get(CONTEXT_KEY) or {})
    for key, value in context.items():
        if key.startswith(f"{CONTEXT_KEY}:"):
            raw[key.split(":", 1)[1]] = _maybe_json(value)
    override = os.environ.get(CONTEXT_OVERRIDE_ENV)
    if override:
        raw.update(json.loads(override))
    return DeployConfig.model_validate({k: v for k, v in raw.items() if not k.startswith("_")})


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value
