"""Lambda entry point of the portfolio HTTP API: one Powertools router per section.

Every route authorizes the caller against the account in the path (verified token + this
service's access projection: 404 across accounts) in its logic function, which then reads
only partitions whose keys start with that account.
"""

from __future__ import annotations

from common.lambda_api import http_handler, service_resolver
from common.observability import observability
from services.portfolio.handlers import (
    billing,
    forward_deals,
    holdings,
    overview,
    retirements,
    trades,
    usage,
)
from services.portfolio.settings import PortfolioSettings
from services.portfolio.topology import TOPOLOGY

obs = observability(TOPOLOGY.service)
app = service_resolver(TOPOLOGY, PortfolioSettings)
for section in (trades, holdings, forward_deals, retirements, billing, usage, overview):
    app.include_router(section.router)

handler = http_handler(app, obs)
