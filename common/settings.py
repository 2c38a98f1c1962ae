"""Configuration: only `SCTS_`-prefixed environment variables, parsed once per cold start.

Settings are plain pydantic models filled from the environment (`EnvSettings`), not
pydantic-settings: every field here is a scalar, and pydantic-settings' import (~60 ms,
its CLI, dotenv and secrets sources) was the largest single cost of a handler's cold init
beyond Powertools and boto3 (`bench/cold_init.py`).
"""

from __future__ import annotations

import os
from typing import ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class EnvSettings(BaseModel):
    """A settings model: each field is read from `<env_prefix><FIELD NAME>` (any case)."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    env_prefix: ClassVar[str] = "SCTS_"

    @classmethod
    def from_environment(cls) -> Self:
        prefix = cls.env_prefix.upper()
        values = {
            name.upper()[len(prefix) :].lower(): value
            for name, value in os.environ.items()
            if name.upper().startswith(prefix)
        }
        return cls.model_validate({f: values[f] for f in cls.model_fields if f in values})


SettingsT = TypeVar("SettingsT", bound=EnvSettings)


class SettingsError(RuntimeError):
    """The environment does not configure this function; names the variables, never values."""


def load_settings(settings_type: type[SettingsT]) -> SettingsT:
    """`settings_type` from the environment, failing with the SCTS_* names to fix.

    pydantic's own error echoes the offending input, which may be a secret, and names
    fields rather than the environment variables an operator has to set.
    """
    try:
        return settings_type.from_environment()
    except ValidationError as exc:
        prefix = settings_type.env_prefix
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            variable = f"{prefix}{'_'.join(str(p) for p in error['loc'])}".upper()
            reason = "is not set" if error["type"] == "missing" else f"is invalid: {error['msg']}"
            problems.append(f"{variable} {reason}")
        raise SettingsError(
            f"{settings_type.__name__} cannot be loaded: " + "; ".join(problems)
        ) from None


class ServiceSettings(EnvSettings):
    """What every function of every service is told. Services subclass it to add theirs."""

    service_name: str = Field(pattern=r"^[a-z]+$")
    stage: str = Field(default="local", pattern=r"^[a-z0-9-]+$")
    version: str = "0.0.0"
    git_commit: str = "unknown"


class JwtSettings(EnvSettings):
    """How the service itself re-verifies Cognito tokens (zero trust behind the gateway)."""

    jwt_issuer: str
    jwt_audience: str = Field(description="Comma-separated app client ids.")
    jwks_url: str

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.jwt_audience.split(",") if a.strip())


class EventBusSettings(EnvSettings):
    event_bus_name: str
