"""Demo step of the notifications service (through its public API, before the demo book
is pushed, so the book's trades and invoices land in inboxes people configured):

- Nordic trader: trades on every channel, with a browser registered at the local push
  service (its key pair is in endpoints.json `demo_push`, so its messages can be read);
- Nordic finance: billing by email in a daily digest at 08:00 (their time);
- Nordic admin: the account's defaults (no email for trades, deliveries and retirements:
  the trader's own choice for trades overrides it);
- Saigon viewer: the inbox only (no email, no push), the account's notices muted for none;
- Saigon trader: quiet hours 22:00-07:00 in Asia/Ho_Chi_Minh (set through identity);
- the CAM: opted into the trades of the accounts they manage (inbox only).
"""

from __future__ import annotations

import base64
import os
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from infra.local.cognito import Login
from infra.local.demo import DemoContext

SERVICE = "notifications"
ALL_CHANNELS = {"inbox": True, "email": True, "push": True}


def _ok(response: requests.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"demo notifications: {what}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> tuple[ec.EllipticCurvePrivateKey, str, str]:
    """A browser's push key pair and auth secret (what pushManager.subscribe makes)."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return private, _b64(public), _b64(os.urandom(16))


def subscribe_browser(push_service: str, application_server_key: str) -> str:
    """A subscription at the local push service; its endpoint."""
    created = requests.post(
        f"{push_service}/subscriptions",
        json={"application_server_key": application_server_key},
        timeout=10,
    )
    created.raise_for_status()
    return str(created.json()["endpoint"])


def _preferences(ctx: DemoContext, user: Login, change: dict[str, Any]) -> None:
    client = ctx.client(SERVICE, user)
    current = _ok(client.get("/v1/me/notification-preferences"), "read preferences")
    body = {
        key: current[key]
        for key in ("channels", "email_mode", "digest_hour", "quiet_hours", "muted_accounts")
    }
    body.update(change, version=current["version"])
    _ok(client.put("/v1/me/notification-preferences", json=body), f"preferences of {user.username}")


def _person(ctx: DemoContext, role: str, account_prefix: str) -> Login:
    return next(
        u for u in ctx.users if u.role == role and (u.account or "").startswith(account_prefix)
    )


def run(ctx: DemoContext) -> None:
    nordic_trader = _person(ctx, "trader", "Nordic")
    _preferences(ctx, nordic_trader, {"channels": {"trades": dict(ALL_CHANNELS)}})
    if ctx.push_service_url:
        client = ctx.client(SERVICE, nordic_trader)
        server_key = _ok(client.get("/v1/push/vapid-public-key"), "VAPID key")["public_key"]
        private, p256dh, auth = browser_keys()
        endpoint = subscribe_browser(ctx.push_service_url, server_key)
        body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}, "label": "Demo"}
        _ok(client.post("/v1/me/push-subscriptions", json=body), "register the demo browser")
        ctx.notes["demo_push"] = {
            "username": nordic_trader.username,
            "endpoint": endpoint,
            "auth": auth,
            "private_key_pem": private.private_bytes(
                Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
            ).decode(),
        }
    _preferences(
        ctx,
        _person(ctx, "finance", "Nordic"),
        {
            "email_mode": "daily_digest",
            "digest_hour": 8,
            "channels": {"billing": dict(ALL_CHANNELS)},
        },
    )
    admin = _person(ctx, "admin", "Nordic")
    identity_admin = ctx.client("identity", admin)
    account_id = next(
        m["account_id"]
        for m in _ok(identity_admin.get("/v1/me"), "who am I")["memberships"]
        if m["account_name"].startswith("Nordic")
    )
    notifications_admin = ctx.client(SERVICE, admin)
    defaults = _ok(
        notifications_admin.get(f"/v1/accounts/{account_id}/notification-defaults"), "defaults"
    )
    _ok(
        notifications_admin.put(
            f"/v1/accounts/{account_id}/notification-defaults",
            json={
                "channels": {
                    "trades": {"email": False},
                    "deliveries": {"email": False},
                    "retirements": {"email": False},
                },
                "version": defaults["version"],
            },
        ),
        "account defaults",
    )
    off = {"email": False, "push": False}
    _preferences(
        ctx,
        _person(ctx, "viewer", "Saigon"),
        {
            "channels": {
                c: dict(off)
                for c in ("trades", "deliveries", "retirements", "billing", "documents", "access")
            }
        },
    )
    saigon_trader = _person(ctx, "trader", "Saigon")
    identity = ctx.client("identity", saigon_trader)
    style = _ok(identity.get("/v1/me/preferences"), "identity preferences")["values"]
    _ok(
        identity.put("/v1/me/preferences", json={**style, "timezone": "Asia/Ho_Chi_Minh"}),
        "time zone",
    )
    _preferences(ctx, saigon_trader, {"quiet_hours": {"start": "22:00:00", "end": "07:00:00"}})
    _preferences(ctx, ctx.user("cam"), {"channels": {"trades": {"inbox": True}}})
