"""Consumer of identity's AccountCreated: the accounts publishers may link to."""

from __future__ import annotations

from typing import Any

from common.consumer import consumer_handler
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from contracts.events.identity import AccountCreatedData
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.dependencies import record_store
from services.provisioning.handlers.telemetry import obs


def remember_account(envelope: EventEnvelope[Any]) -> None:
    """Idempotent: a replayed or older event leaves the projection as it is."""
    data = envelope.data
    if isinstance(data, AccountCreatedData):
        store: DynamoRecordStore = record_store()  # its module is loaded during init
        store.record_account(data.account_id, data.name, data.sequence)


handler = consumer_handler(CATALOG, remember_account, obs)
