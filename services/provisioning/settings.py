"""The provisioning service's configuration (SCTS_* environment variables only)."""

from __future__ import annotations

from pydantic import Field

from common.settings import ServiceSettings


class ProvisioningSettings(ServiceSettings):
    records_table: str
    publishers_table: str
    idempotency_table: str
    files_bucket: str
    ingest_usage_plan_id: str | None = Field(
        default=None,
        description="The ingest API's usage plan (set on its key managers: the `api` function).",
    )
    admin_group: str = "scts-admins"
    key_overlap_hours: int = Field(default=24, ge=0, le=24 * 7)
    upload_url_seconds: int = Field(default=900, ge=60, le=3600)
    idempotency_hours: int = Field(default=24, ge=1, le=24 * 7)
    upload_chunk_rows: int = Field(
        default=500, ge=1, le=5000, description="Rows of an upload applied (and saved) at once."
    )
    publisher_requests_per_minute: int = Field(default=600, ge=1)
