"""The identity demo step, run in-process: its HTTP calls go straight into the handler and
the mailbox is read from moto's SES, so the step's API usage is checked without `make run`."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import requests

from infra.local.cognito import Login, UserPool
from infra.local.demo import ApiClient, DemoContext
from infra.local.demo import identity as demo_identity
from services.identity.handlers import api

from .conftest import PASSWORD, Cloud, FakeContext, request_event

pytestmark = pytest.mark.integration

BASE = "http://identity.test"
MAILBOX = "http://mailbox.test/mailbox"


def _response(status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return response


def test_demo_creates_accounts_cam_and_people_through_the_api(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    def request(self: ApiClient, method: str, path: str, **kwargs: Any) -> requests.Response:
        token = str(self.session.headers.get("Authorization", " ")).split(" ", 1)[1] or None
        event = request_event(method, path, path, token, kwargs.get("json"))
        result = api.handler(event, FakeContext())  # type: ignore[arg-type]
        return _response(result["statusCode"], (result.get("body") or "").encode())

    def mailbox(url: str, **_: Any) -> requests.Response:
        address = unquote(urlsplit(url).path.rsplit("/", 1)[1])
        return _response(200, cloud.mails_to(address))

    monkeypatch.setattr(ApiClient, "request", request)
    monkeypatch.setattr(requests, "get", mailbox)

    root = cloud.user("admin@scts.local", admin=True)
    secret = cloud.enrol_mfa(root)
    ctx = DemoContext(
        services={"identity": BASE},
        pool=UserPool("http://moto.test", "eu-west-1", cloud.pool_id, cloud.client_id),
        mailbox_url=MAILBOX,
        cognito_client=cloud.cognito,
        users=[Login("admin@scts.local", PASSWORD, "scts-admin", totp_secret=secret)],
    )
    demo_identity.run(ctx)

    roles = sorted((u.account or "", u.role) for u in ctx.users if u.role != "scts-admin")
    assert roles == [
        ("Nordic Green Energy BV", "admin"),
        ("Nordic Green Energy BV", "cam"),
        ("Nordic Green Energy BV", "finance"),
        ("Nordic Green Energy BV", "trader"),
        ("Saigon Solar Trading JSC", "admin"),
        ("Saigon Solar Trading JSC", "trader"),
        ("Saigon Solar Trading JSC", "viewer"),
    ]
    assert all(u.totp_secret for u in ctx.users if u.role in ("admin", "cam"))
    finance = next(u for u in ctx.users if u.role == "finance")
    me = ctx.client("identity", finance).get("/v1/me").json()
    assert [m["role"] for m in me["memberships"]] == ["finance"]
