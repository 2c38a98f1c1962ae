"""The portfolio functions' configuration (SCTS_ environment variables)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from common.settings import ServiceSettings


class PortfolioSettings(ServiceSettings):
    service_name: str = "portfolio"
    read_model_table: str = Field(description="SCTS_READ_MODEL_TABLE")
    usage_table: str = Field(description="SCTS_USAGE_TABLE")
    access_table: str = Field(description="SCTS_ACCESS_TABLE")


class CursorSettings(ServiceSettings):
    """Only the API needs the cursor key (Secrets Manager in the cloud, per run locally)."""

    service_name: str = "portfolio"
    cursor_signing_key: SecretStr = Field(
        min_length=32, description="SCTS_CURSOR_SIGNING_KEY: HMAC key for pagination cursors."
    )
