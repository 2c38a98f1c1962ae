"""Every service's topology, in one tuple: what the CDK app, the local runtime, the contract
exports and the tests walk. Kept out of `services/__init__.py` so that a Lambda importing
its own handler never imports the other services' declarations."""

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
