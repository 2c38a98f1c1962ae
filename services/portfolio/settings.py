"""The portfolio functions' configuration (SCTS_ environment variables)."""

from __future__ import annotations

from pydantic import Field

from common.settings import ServiceSettings


class PortfolioSettings(ServiceSettings):
    service_name: str = "portfolio"
    read_model_table: str = Field(description="SCTS_READ_MODEL_TABLE")
    usage_table: str = Field(description="SCTS_USAGE_TABLE")
    access_table: str = Field(description="SCTS_ACCESS_TABLE")


class CursorSettings(ServiceSettings):
    """Only the API needs the cursor key: its Secrets Manager id, read via common.secrets."""

    service_name: str = "portfolio"
    cursor_signing_key_secret_id: str = Field(
        description="SCTS_CURSOR_SIGNING_KEY_SECRET_ID: the HMAC key for pagination cursors."
    )
