"""The documents service's configuration (SCTS_* environment variables only)."""

from __future__ import annotations

from pydantic import Field

from common.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    documents_table: str
    facts_table: str
    access_table: str
    files_bucket: str
    published_files_bucket: str = Field(
        description="Provisioning's bucket: `intake` reads the shared prefix (claim check)."
    )
    documents_signing_key_secret_id: str
    documents_cursor_signing_key_secret_id: str
    monthly_statements_queue: str
    cdn_parameters: str = Field(
        description="SSM path of what the CDN is (`/url`, `/key-pair-id`), written by the edge."
    )
    cdn_parameters_region: str = Field(description="Region of those parameters (the edge's).")
    admin_group: str = "scts-admins"
