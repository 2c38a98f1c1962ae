"""Helpers of the notifications e2e tests: logins, the demo publisher, the mailbox, the
local push service (with a browser's own keys, to decrypt what it received)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import http_ece
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.demo import ApiClient
from infra.local.demo import records as testdata
from infra.local.demo.notifications import browser_keys, subscribe_browser

NORDIC = "Nordic Green Energy BV"
DEADLINE_SECONDS = 180
"""Generous: ingest -> outbox -> relay -> bus -> queue -> resolve -> render -> dispatch on a
shared, loaded machine (the bench reports the real figures)."""
T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, deadline: float = DEADLINE_SECONDS) -> T:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = probe()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"not within {deadline} s: {what}")


def pool_of(endpoints: dict[str, Any]) -> UserPool:
    c = endpoints["cognito"]
    return UserPool(c["endpoint"], c["region"], c["user_pool_id"], c["client_id"])


@dataclass
class Browser:
    """A browser's push subscription: its endpoint and the keys only it holds."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    p256dh: str
    auth: str

    def received(self) -> list[dict[str, Any]]:
        messages = requests.get(f"{self.endpoint}/messages", timeout=10)
        messages.raise_for_status()
        return [self.decrypt(m) for m in messages.json()]

    def decrypt(self, message: dict[str, Any]) -> dict[str, Any]:
        body = base64.b64decode(message["body"])
        auth = base64.urlsafe_b64decode(self.auth + "=" * (-len(self.auth) % 4))
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=auth, version="aes128gcm"
        )
        return {**message, "payload": json.loads(plain)}


@dataclass
class Portal:
    endpoints: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str, account: str | None = NORDIC) -> dict[str, Any]:
        return next(
            u
            for u in self.endpoints["users"]
            if u["role"] == role and (account is None or u["account"] == account)
        )

    def api(
        self,
        service: str,
        username: str | None = None,
        password: str | None = None,
        totp: str | None = None,
    ) -> ApiClient:
        if username is None:
            return ApiClient(self.endpoints["services"][service])
        key = f"{username}"
        if key not in self.tokens:
            pool = pool_of(self.endpoints)
            self.tokens[key] = login(
                client("cognito-idp", pool.endpoint), pool, username, password or "", totp
            )["AccessToken"]
        return ApiClient(self.endpoints["services"][service], self.tokens[key])

    def as_role(self, service: str, role: str, account: str | None = NORDIC) -> ApiClient:
        user = self.user(role, account)
        return self.api(service, user["username"], user["password"], user.get("totp_secret"))

    def account_id(self, name: str = NORDIC) -> str:
        me = self.as_role("identity", "admin").get("/v1/me").json()
        return str(next(m["account_id"] for m in me["memberships"] if m["account_name"] == name))

    def publisher(self) -> ApiClient:
        key = next(
            p["api_key"]
            for p in self.endpoints["publishers"]
            if p["name"] == "STX trading platform"
        )
        publisher = ApiClient(self.endpoints["ingest_apis"]["provisioning"])
        publisher.session.headers["x-api-key"] = key
        return publisher

    def counterparty(self, account_id: str) -> str:
        """A counterparty reference of our own, linked to the account."""
        reference = f"STX-CP-N{uuid.uuid4().hex[:8].upper()}"
        link = testdata.counterparty(reference, account_id, NORDIC)
        answer = self.publisher().post("/v1/counterparties", json={"records": [link]})
        assert answer.status_code < 300, answer.text
        assert answer.json()["counts"]["rejected"] == 0, answer.text
        return reference

    def push_trade(self, counterparty: str) -> str:
        reference = f"STX-T-N{uuid.uuid4().hex[:8].upper()}"
        record = testdata.trade(reference, counterparty)
        answer = self.publisher().post("/v1/trades", json={"records": [record]})
        assert answer.status_code < 300, answer.text
        assert answer.json()["counts"]["accepted"] == 1, answer.text
        return reference

    def push_invoice(self, counterparty: str) -> str:
        reference = f"INV-N{uuid.uuid4().hex[:8].upper()}"
        answer = self.publisher().post(
            "/v1/invoices", json={"records": [testdata.invoice(reference, counterparty)]}
        )
        assert answer.status_code < 300, answer.text
        assert answer.json()["counts"]["accepted"] == 1, answer.text
        return reference

    def inbox(self, api: ApiClient, **query: Any) -> list[dict[str, Any]]:
        answer = api.get("/v1/me/notifications", params={"limit": 200, **query})
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])

    def mail(self, address: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.endpoints['mailbox']}/{address}", timeout=10)
        answer.raise_for_status()
        return list(answer.json())

    def browser_for(self, api: ApiClient) -> Browser:
        server_key = api.get("/v1/push/vapid-public-key").json()["public_key"]
        private, p256dh, auth = browser_keys()
        endpoint = subscribe_browser(self.endpoints["push_service"], server_key)
        body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}, "label": "e2e"}
        created = api.post("/v1/me/push-subscriptions", json=body)
        assert created.status_code == 201, created.text
        return Browser(endpoint, private, p256dh, auth)


DOCUMENT_NOTICE_SUBJECT = "New document: "
"""Documents tell about a trade's confirmation too, naming the trade in the title."""


def titled(items: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    """Notifications about the record itself (not about a document of it)."""
    return [
        i
        for i in items
        if reference in i["title"] and not i["title"].startswith(DOCUMENT_NOTICE_SUBJECT)
    ]


def mails_about(mails: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    """Emails about the record itself (not about a document of it)."""
    return [
        m
        for m in mails
        if reference in m["subject"] and not m["subject"].startswith(DOCUMENT_NOTICE_SUBJECT)
    ]
