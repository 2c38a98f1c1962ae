"""Consumer of provisioning's publisher events: SCTS administrators' actions on publishers
(register, key rotation, key revocation) become entries of the platform audit chain, listed
in the staff audit trail (`GET /v1/audit`). Idempotent on the event id."""

from __future__ import annotations

from typing import Any

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.identity import SERVICE, dependencies
from services.identity.logic.publisher_audit import record_publisher_action

obs = observability(SERVICE)


def record(envelope: EventEnvelope[Any]) -> None:
    recorded = record_publisher_action(dependencies.ports(), envelope)
    obs.logger.info("publisher action", extra={"recorded": recorded})


handler = consumer_handler(CATALOG, record, obs)
