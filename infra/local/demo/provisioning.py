"""Demo step for provisioning: as the bootstrap SCTS admin, register the STX publisher,
link STX counterparty references to the demo accounts, and push a realistic book (trades,
deliveries, retirements, invoices, trade confirmations) through the ingest API (the REST
API of the publisher routes) with the key. Also leaves a revoked key behind, to show that
it gets 401 at once.

Account ids come from identity's API (the accounts the admin created in the identity
step); provisioning learns them from identity's AccountCreated events, so linking waits
until those events have arrived.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus
from typing import Any

import requests

from infra.local.demo import ApiClient, DemoContext
from infra.local.demo.records import counterparty, demo_dataset

log = logging.getLogger("scts.local.demo.provisioning")

SERVICE = "provisioning"
PUBLISHER = "STX trading platform"
REVOKED_PUBLISHER = "STX legacy feed (revoked key)"
TRADES_PER_ACCOUNT = 150
BATCH = 500
ORDER = ("trades", "deliveries", "retirements", "invoices", "documents")
LINK_WAIT_SECONDS = 60


def _ok(response: requests.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"demo provisioning: {what}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def _publisher_client(ctx: DemoContext, key: str) -> ApiClient:
    """A client of the ingest API: publisher routes are served there, not on the HTTP API."""
    client = ApiClient(ctx.ingest_apis[SERVICE])
    client.session.headers["x-api-key"] = key
    return client


def _link(publisher: ApiClient, accounts: list[dict[str, Any]]) -> list[str]:
    """STX-CP-<n> -> account; retried until provisioning has heard of the accounts."""
    links = [
        counterparty(f"STX-CP-{n + 1:04d}", a["account_id"], a["name"])
        for n, a in enumerate(accounts)
    ]
    deadline = time.monotonic() + LINK_WAIT_SECONDS
    while True:
        result = _ok(publisher.post("/v1/counterparties", json={"records": links}), "link")
        if result["counts"]["rejected"] == 0:
            return [link["reference"] for link in links]
        if time.monotonic() > deadline:
            raise RuntimeError(f"demo provisioning: accounts never arrived: {result['results']}")
        time.sleep(0.5)


def _push(publisher: ApiClient, kind: str, records: list[dict[str, Any]]) -> dict[str, int]:
    totals = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        result = _ok(
            publisher.post(
                f"/v1/{kind}",
                json={"records": batch},
                headers={"Idempotency-Key": f"demo-{kind}-{start}"},
            ),
            f"push {kind}",
        )
        for outcome, number in result["counts"].items():
            totals[outcome] += number
    if totals["rejected"]:
        raise RuntimeError(f"demo provisioning: {kind} rejected: {totals}")
    return totals


def _revoked_key(admin: ApiClient, ctx: DemoContext) -> str:
    created = _ok(
        admin.post("/v1/publishers", json={"name": REVOKED_PUBLISHER, "all_accounts": True}),
        "register the revoked publisher",
    )
    publisher_id = created["publisher"]["publisher_id"]
    _ok(admin.delete(f"/v1/publishers/{publisher_id}/keys/{created['key_prefix']}"), "revoke")
    refused = _publisher_client(ctx, created["api_key"]).post("/v1/trades", json={"records": []})
    # The ingest API's authorizer denies; its gateway response for ACCESS_DENIED is 401.
    if refused.status_code != HTTPStatus.UNAUTHORIZED:
        raise RuntimeError(f"demo provisioning: a revoked key got {refused.status_code}")
    return str(created["api_key"])


def run(ctx: DemoContext) -> None:
    scts_admin = ctx.user("scts-admin")
    accounts = _ok(ctx.client("identity", scts_admin).get("/v1/accounts"), "list accounts")["items"]
    if not accounts:
        raise RuntimeError("demo provisioning: identity has no accounts to link")
    admin = ctx.client(SERVICE, scts_admin)
    created = _ok(
        admin.post("/v1/publishers", json={"name": PUBLISHER, "all_accounts": True}),
        "register the publisher",
    )
    key = str(created["api_key"])
    ctx.add_publisher(PUBLISHER, key)
    publisher = _publisher_client(ctx, key)
    references = _link(publisher, accounts)
    data = demo_dataset(references, TRADES_PER_ACCOUNT)
    for kind in ORDER:
        totals = _push(publisher, kind, data[kind])
        log.info("demo provisioning: %s %s", kind, totals)
    ctx.add_publisher(REVOKED_PUBLISHER, _revoked_key(admin, ctx))
