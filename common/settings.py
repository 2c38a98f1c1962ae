"""Configuration: only `SCTS_`-prefixed environment variables, parsed once per cold start."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
