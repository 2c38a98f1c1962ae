"""The notifications service's configuration (SCTS_* environment variables)."""

from __future__ import annotations

from pydantic import Field

from common.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    notifications_table: str
    access_table: str
    mail_sender: str = ""
    mail_configuration_set: str | None = None
    http_api_url: str = Field(default="", description="This service's API (unsubscribe links).")
    portal_url: str = Field(default="", description="The portal (SPA) links point to.")
    render_queue: str = ""
    email_queue: str = ""
    push_queue: str = ""
    record_queue: str = ""
    notifications_cursor_key_secret_id: str = ""
    notifications_unsubscribe_key_secret_id: str = ""
    notifications_vapid_key_secret_id: str = ""
    extra_push_origins: str = Field(
        default="",
        description="Comma-separated origins allowed as push endpoints besides the public "
        "push services (the local runtime's loopback push service).",
    )

    @property
    def push_origins(self) -> tuple[str, ...]:
        return tuple(o.strip() for o in self.extra_push_origins.split(",") if o.strip())
