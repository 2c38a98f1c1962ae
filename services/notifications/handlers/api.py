"""Lambda entry point for the notifications HTTP API: one Powertools router per section
(each its OpenAPI tag); every route parses, calls one use case in `logic/`, maps the result."""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.notifications.handlers import inbox, preferences, push, unsubscribe
from services.notifications.settings import NotificationsSettings
from services.notifications.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, NotificationsSettings)
for section in (inbox, preferences, push, unsubscribe):
    app.include_router(section.router)

handler = http_handler(app, obs)
