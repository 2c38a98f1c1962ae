"""The portal's services. Each folder: handlers/ (Lambda entry points), logic/ (domain
rules, no AWS), adapters/ (the only code that calls AWS), models/, and topology.py."""

from common.topology import ServiceTopology, check_shares
from services.documents.topology import TOPOLOGY as DOCUMENTS
from services.identity.topology import TOPOLOGY as IDENTITY
from services.notifications.topology import TOPOLOGY as NOTIFICATIONS
from services.portfolio.topology import TOPOLOGY as PORTFOLIO
from services.provisioning.topology import TOPOLOGY as PROVISIONING

TOPOLOGIES: tuple[ServiceTopology, ...] = (
    IDENTITY,
    PROVISIONING,
    PORTFOLIO,
    DOCUMENTS,
    NOTIFICATIONS,
)

check_shares(TOPOLOGIES)
