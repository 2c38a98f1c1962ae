"""Lambda entry point for the documents HTTP API."""

from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.documents.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY)
handler = http_handler(app, obs)
