"""Lambda entry point for the identity HTTP API: one Powertools router per section (each
its OpenAPI tag); every route parses, calls one use case in `logic/`, maps the result."""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.identity.handlers import (
    accounts,
    audit,
    cams,
    invitations,
    me,
    members,
    password,
    roles,
)
from services.identity.settings import IdentitySettings
from services.identity.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, IdentitySettings)
for section in (password, me, roles, accounts, members, invitations, cams, audit):
    app.include_router(section.router)

handler = http_handler(app, obs)
