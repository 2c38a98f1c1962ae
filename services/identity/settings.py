"""Identity's configuration (SCTS_* environment variables)."""

from __future__ import annotations

from common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    identity_table: str
    user_pool_id: str
    mail_sender: str
    jwt_audience: str
    portal_url: str = ""

    @property
    def spa_client_id(self) -> str:
        """The app client public routes (forgot password) talk to: the first JWT audience."""
        return self.jwt_audience.split(",")[0].strip()
