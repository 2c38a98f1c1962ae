"""The demo step's data goes through the real API: every record accepted, the revoked
key refused (HTTP routed in-process; identity's account list stubbed)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from infra.local.cognito import Login
from infra.local.demo import ApiClient, DemoContext
from infra.local.demo import provisioning as demo

from .conftest import Cloud
from .test_provisioning_cli import InProcessPortal, serve_in_process

pytestmark = pytest.mark.integration

PORTAL = "http://provisioning.test"
IDENTITY = "http://identity.test"
ACCOUNTS = [
    {"account_id": "acc-7f3c2a91", "name": "Nordic Green Energy BV"},
    {"account_id": "acc-1b2c3d4e", "name": "Saigon Solar Trading JSC"},
]


class IdentityAccounts(BaseAdapter):
    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:  # type: ignore[override]
        assert request.path_url == "/v1/accounts"
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps({"items": ACCOUNTS, "next_cursor": None}).encode()
        response.request = request
        return response

    def close(self) -> None:
        pass


class InProcessDemo(DemoContext):
    def __init__(self, cloud: Cloud) -> None:
        super().__init__(
            services={"identity": IDENTITY, "provisioning": PORTAL},
            ingest_apis={"provisioning": PORTAL},  # both APIs answered in-process by template
            pool=None,  # type: ignore[arg-type]
            mailbox_url="http://mailbox.test",
            cognito_client=None,
        )
        self.cloud = cloud
        self.add_user(Login("admin@scts.local", "pw", role="scts-admin"))

    def client(self, service: str, user: Login | None = None) -> ApiClient:
        client = ApiClient(self.services[service], self.cloud.admin_token() if user else None)
        client.session.mount(PORTAL, InProcessPortal(self.cloud))
        client.session.mount(IDENTITY, IdentityAccounts())
        return client


def test_demo_step_pushes_its_book_and_leaves_a_revoked_key(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "TRADES_PER_ACCOUNT", 12)  # moto slows with table size
    serve_in_process(cloud, PORTAL, monkeypatch)
    for account in ACCOUNTS:
        cloud.account_created(account["account_id"], account["name"])
    ctx = InProcessDemo(cloud)

    demo.run(ctx)

    names = [p["name"] for p in ctx.publishers]
    assert names == [demo.PUBLISHER, demo.REVOKED_PUBLISHER]
    types = {e["detail_type"] for e in cloud.outbox()}
    assert {
        "CounterpartyLinked",
        "TradeExecuted",
        "TradeAmended",
        "TradeCancelled",
        "DeliveryCompleted",
        "RetirementCompleted",
        "InvoiceIssued",
        "DocumentPublished",
    } <= types
    revoked_key = ctx.publishers[1]["api_key"]
    assert cloud.call("POST", "/v1/trades", key=revoked_key, body={"records": []}).status == 401
