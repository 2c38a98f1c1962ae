"""One-click unsubscribe (RFC 8058): a signed token in the mail's List-Unsubscribe URL
switches email off for the categories it names, for the person it names, without sign-in.

Token: `base64url(json) . base64url(hmac_sha256(key, json))` with the service's declared
unsubscribe key; the JSON names the person, the categories and when it was issued. It
cannot be forged or edited (HMAC), it only ever switches email OFF (so a leaked link can
do no more than its owner's "stop these emails"), security notices are never in it, and
it expires after `TOKEN_DAYS` (older mails point to the settings page instead).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from common.errors import NotFound
from services.notifications.logic import settings
from services.notifications.logic.ports import Ports, Signer
from services.notifications.models.domain import ALWAYS_ON, Category, Channel

TOKEN_DAYS = 400
MAX_TOKEN_CHARS = 600


@dataclass(frozen=True)
class Unsubscribe:
    subject: str
    categories: tuple[Category, ...]
    issued_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(signer: Signer, subject: str, categories: list[Category], now: datetime) -> str:
    allowed = sorted({c.value for c in categories if c not in ALWAYS_ON})
    payload = json.dumps(
        {"v": 1, "s": subject, "c": allowed, "i": int(now.timestamp())},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    return f"{_b64(payload)}.{_b64(signer.sign(payload))}"


def read_token(signer: Signer, token: str, now: datetime) -> Unsubscribe:
    """The request a valid token makes; NotFound for anything else (no oracle)."""
    try:
        payload_text, mac_text = token.split(".", 1)
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except (ValueError, binascii.Error) as exc:
        raise NotFound() from exc
    if len(token) > MAX_TOKEN_CHARS or not hmac.compare_digest(mac, signer.sign(payload)):
        raise NotFound()
    try:
        body = json.loads(payload)
        request = Unsubscribe(
            subject=str(body["s"]),
            categories=tuple(Category(c) for c in body["c"]),
            issued_at=datetime.fromtimestamp(int(body["i"]), tz=now.tzinfo),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise NotFound() from exc
    if body.get("v") != 1 or request.issued_at < now - timedelta(days=TOKEN_DAYS):
        raise NotFound()
    if any(c in ALWAYS_ON for c in request.categories):
        raise NotFound()
    return request


def preview(ports: Ports, token: str) -> Unsubscribe:
    """What the token would switch off (GET: link checkers fetch mail links; nothing changes)."""
    return read_token(ports.unsubscribe, token, ports.clock())


def unsubscribe(ports: Ports, token: str) -> Unsubscribe:
    """Switch email off for the token's categories (idempotent; other choices untouched)."""
    request = read_token(ports.unsubscribe, token, ports.clock())

    def switch_off(channels: dict[Category, dict[Channel, bool]]) -> None:
        for category in request.categories:
            channels.setdefault(category, {})[Channel.EMAIL] = False

    settings.change_channels(ports, request.subject, switch_off)
    return request
