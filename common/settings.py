"""Configuration: only `SCTS_`-prefixed environment variables, parsed once per cold start."""

from __future__ import annotations

from typing import TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


class SettingsError(RuntimeError):
    """The environment does not configure this function; names the variables, never values."""


def load_settings(settings_type: type[SettingsT]) -> SettingsT:
    """`settings_type()` from the environment, failing with the SCTS_* names to fix.

    pydantic's own error echoes the offending input, which may be a secret, and names
    fields rather than the environment variables an operator has to set.
    """
    try:
        return settings_type()
    except ValidationError as exc:
        prefix = str(settings_type.model_config.get("env_prefix", ""))
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            variable = f"{prefix}{'_'.join(str(p) for p in error['loc'])}".upper()
            reason = "is not set" if error["type"] == "missing" else f"is invalid: {error['msg']}"
            problems.append(f"{variable} {reason}")
        raise SettingsError(
            f"{settings_type.__name__} cannot be loaded: " + "; ".join(problems)
        ) from None


class ServiceSettings(BaseSettings):
    """What every function of every service is told. Services subclass it to add theirs."""

    model_config = SettingsConfigDict(env_prefix="SCTS_", frozen=True, extra="ignore")

    service_name: str = Field(pattern=r"^[a-z]+$")
    stage: str = Field(default="local", pattern=r"^[a-z0-9-]+$")
    version: str = "0.0.0"
    git_commit: str = "unknown"


class JwtSettings(BaseSettings):
    """How the service itself re-verifies Cognito tokens (zero trust behind the gateway)."""

    model_config = SettingsConfigDict(env_prefix="SCTS_", frozen=True, extra="ignore")

    jwt_issuer: str
    jwt_audience: str = Field(description="Comma-separated app client ids.")
    jwks_url: str

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.jwt_audience.split(",") if a.strip())


class EventBusSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCTS_", frozen=True, extra="ignore")

    event_bus_name: str
