"""Lambda entry point of provisioning's HTTP API (payload 2.0): the admin routes
(publishers and their keys, `publisher_routes`) and `/v1/version`. Publisher routes are
the ingest API's (`handlers/ingest.py`)."""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from services.provisioning.handlers import publisher_routes
from services.provisioning.handlers.telemetry import obs
from services.provisioning.settings import ProvisioningSettings
from services.provisioning.topology import API, TOPOLOGY

app = service_resolver(TOPOLOGY, ProvisioningSettings, function=API)
app.include_router(publisher_routes.router)

handler = http_handler(app, obs)
