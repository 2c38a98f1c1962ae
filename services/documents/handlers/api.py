"""Lambda entry point for the documents HTTP API: one Powertools router per section (each
its OpenAPI tag); every route parses, calls one use case in `logic/`, maps the result."""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.documents.handlers import admin, bundles, library
from services.documents.settings import DocumentsSettings
from services.documents.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, DocumentsSettings)
for section in (library, bundles, admin):
    app.include_router(section.router)

handler = http_handler(app, obs)
