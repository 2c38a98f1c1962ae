"""Identity's configuration (SCTS_* environment variables)."""

from __future__ import annotations

from pydantic import Field

from common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    identity_table: str
    user_pool_id: str
    mail_sender: str
    jwt_audience: str
    portal_url: str = ""
    identity_cursor_signing_key_secret_id: str = Field(
        description="SCTS_IDENTITY_CURSOR_SIGNING_KEY_SECRET_ID: the HMAC key of list cursors."
    )

    @property
    def spa_client_id(self) -> str:
        """The app client public routes (forgot password) talk to: the first JWT audience."""
        return self.jwt_audience.split(",")[0].strip()
