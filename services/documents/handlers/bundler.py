"""Lambda entry point: `BundleRequested` -> the ZIP of a period, in the bucket."""

from __future__ import annotations

from typing import Any

from common.consumer import consumer_handler
from common.observability import observability
from contracts.catalog import CATALOG
from contracts.envelope import EventEnvelope
from services.documents import SERVICE, dependencies
from services.documents.logic.bundles import build

obs = observability(SERVICE)


def handle(envelope: EventEnvelope[Any]) -> None:
    if envelope.detail_type != "BundleRequested":
        return
    done = build(dependencies.ports(), envelope)
    obs.logger.info("bundle built" if done else "bundle not built (known, or failed)")


handler = consumer_handler(CATALOG, handle, obs)
