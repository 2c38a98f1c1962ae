"""Lambda entry point of provisioning's ingest API (API Gateway REST API, payload 1.0):
the publisher routes, batches per kind (`batch_routes`) and uploads (`upload_routes`),
each request admitted by the service's own API-key check (`publisher_auth`)."""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from services.provisioning.handlers import batch_routes, upload_routes
from services.provisioning.handlers.publisher_auth import publisher_check
from services.provisioning.handlers.telemetry import obs
from services.provisioning.settings import ProvisioningSettings
from services.provisioning.topology import INGEST, TOPOLOGY

app = service_resolver(
    TOPOLOGY, ProvisioningSettings, publisher_check=publisher_check, function=INGEST
)
app.include_router(batch_routes.router)
app.include_router(upload_routes.router)

handler = http_handler(app, obs)
