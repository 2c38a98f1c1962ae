"""A Web Push service on loopback (what FCM, Mozilla autopush or Apple run for browsers),
so the notifications service's real push path (VAPID + RFC 8291 encryption) runs locally.

POST   /subscriptions              {"application_server_key": "<b64url>"} -> {"id", "endpoint"}
                                   (a browser's pushManager.subscribe(); the test or browser
                                   keeps its own P-256 key pair and auth secret)
DELETE /subscriptions/<id>         the subscription ends: pushes to it are answered 410 Gone
POST   /push/<id>                  a Web Push request (RFC 8030): checked as push services do
GET    /push/<id>/messages         the messages accepted for a subscription (still encrypted)
GET    /stats                      requests seen, by answer status

A push request is accepted (201 + Location) only with a VAPID `Authorization: vapid t=<JWT>,
k=<key>` header (RFC 8292: ES256 signature by `k`, `aud` = this service's origin, `exp` in
the future and at most 24 h away, a `sub` contact, `k` equal to the subscription's
application server key when it named one), a `TTL` header, `Content-Encoding: aes128gcm`
and a body of at most 4096 bytes; otherwise 400/401/403/413 as push services answer.
Unknown subscriptions are 404. Nothing here decrypts: tests decrypt with their private key.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from infra.local.loopback import LoopbackServer

MAX_PAYLOAD_BYTES = 4096
MAX_JWT_LIFETIME_SECONDS = 24 * 3600
URGENCIES = frozenset({"very-low", "low", "normal", "high"})


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class PushSubscription:
    subscription_id: str
    application_server_key: str | None
    active: bool = True
    messages: list[dict[str, Any]] = field(default_factory=list)


class VapidRejected(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify_vapid(authorization: str, origin: str, expected_key: str | None) -> dict[str, Any]:
    """The claims of a valid RFC 8292 `vapid` Authorization header; raises VapidRejected."""
    scheme, _, rest = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRejected(HTTPStatus.UNAUTHORIZED, "Authorization must use the vapid scheme")
    params = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name.strip()] = value.strip()
    token, key = params.get("t"), params.get("k")
    if not token or not key:
        raise VapidRejected(HTTPStatus.UNAUTHORIZED, "vapid needs t= and k=")
    try:
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(key)
        )
        claims: dict[str, Any] = jwt.decode(
            token,
            public_key,
            algorithms=["ES256"],
            audience=origin,
            options={"require": ["exp", "aud", "sub"]},
        )
    except (ValueError, jwt.PyJWTError) as exc:
        raise VapidRejected(HTTPStatus.UNAUTHORIZED, f"VAPID token rejected: {exc}") from exc
    if claims["exp"] > time.time() + MAX_JWT_LIFETIME_SECONDS:
        raise VapidRejected(HTTPStatus.UNAUTHORIZED, "VAPID token lives longer than 24 h")
    if not str(claims["sub"]).startswith(("mailto:", "https:")):
        raise VapidRejected(HTTPStatus.UNAUTHORIZED, "VAPID sub must be mailto: or https:")
    if expected_key is not None and b64url_decode(expected_key) != b64url_decode(key):
        raise VapidRejected(HTTPStatus.FORBIDDEN, "not the subscription's application server key")
    return claims


class PushStore:
    def __init__(self) -> None:
        self.subscriptions: dict[str, PushSubscription] = {}
        self.answers: Counter[int] = Counter()
        self.lock = threading.Lock()


class _PushHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: PushServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _answer(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.server.store.answers[status] += 1
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        store = self.server.store
        if parts == ["stats"]:
            self._answer(HTTPStatus.OK, {"answers": {str(k): v for k, v in store.answers.items()}})
        elif len(parts) == 3 and parts[0] == "push" and parts[2] == "messages":
            found = store.subscriptions.get(parts[1])
            if found is None:
                self._answer(HTTPStatus.NOT_FOUND, {"message": "no such subscription"})
            else:
                self._answer(HTTPStatus.OK, found.messages)
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"message": "Not Found"})

    def do_DELETE(self) -> None:
        parts = self.path.strip("/").split("/")
        found = self.server.store.subscriptions.get(parts[1]) if len(parts) == 2 else None
        if parts[0] != "subscriptions" or found is None:
            self._answer(HTTPStatus.NOT_FOUND, {"message": "no such subscription"})
            return
        found.active = False
        self._answer(HTTPStatus.NO_CONTENT)

    def do_POST(self) -> None:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        body = self._body()
        if parts == ["subscriptions"]:
            self._subscribe(body)
        elif len(parts) == 2 and parts[0] == "push":
            self._push(parts[1], body)
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"message": "Not Found"})

    def _subscribe(self, body: bytes) -> None:
        request = json.loads(body or b"{}")
        subscription_id = secrets.token_urlsafe(24)
        self.server.store.subscriptions[subscription_id] = PushSubscription(
            subscription_id, request.get("application_server_key")
        )
        endpoint = f"{self.server.origin}/push/{subscription_id}"
        self._answer(HTTPStatus.CREATED, {"id": subscription_id, "endpoint": endpoint})

    def _push(self, subscription_id: str, body: bytes) -> None:
        found = self.server.store.subscriptions.get(subscription_id)
        if found is None:
            self._answer(HTTPStatus.NOT_FOUND, {"message": "no such subscription"})
            return
        if not found.active:
            self._answer(HTTPStatus.GONE, {"message": "the subscription has expired"})
            return
        try:
            verify_vapid(
                self.headers.get("Authorization", ""),
                self.server.origin,
                found.application_server_key,
            )
        except VapidRejected as exc:
            self._answer(exc.status, {"message": exc.reason})
            return
        problem = self._header_problem(body)
        if problem is not None:
            self._answer(problem[0], {"message": problem[1]})
            return
        message_id = secrets.token_urlsafe(12)
        found.messages.append(
            {
                "id": message_id,
                "received_at": datetime.now(UTC).isoformat(),
                "ttl": int(self.headers["TTL"]),
                "urgency": self.headers.get("Urgency", "normal"),
                "topic": self.headers.get("Topic"),
                "content_encoding": self.headers.get("Content-Encoding"),
                "body": base64.b64encode(body).decode(),
            }
        )
        self._answer(HTTPStatus.CREATED, None, {"Location": f"/messages/{message_id}"})

    def _header_problem(self, body: bytes) -> tuple[HTTPStatus, str] | None:
        ttl = self.headers.get("TTL", "")
        if not ttl.isdigit():
            return HTTPStatus.BAD_REQUEST, "a TTL header (seconds) is required"
        if self.headers.get("Content-Encoding", "").lower() != "aes128gcm":
            return HTTPStatus.BAD_REQUEST, "Content-Encoding must be aes128gcm (RFC 8291)"
        if len(body) > MAX_PAYLOAD_BYTES:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "payload over 4096 bytes"
        urgency = self.headers.get("Urgency")
        if urgency is not None and urgency not in URGENCIES:
            return HTTPStatus.BAD_REQUEST, f"Urgency must be one of {sorted(URGENCIES)}"
        topic = self.headers.get("Topic")
        if topic is not None and (
            len(topic) > 32 or not all(c.isalnum() or c in "-_" for c in topic)
        ):
            return HTTPStatus.BAD_REQUEST, "Topic: at most 32 URL-safe base64 characters"
        return None


class PushServer(LoopbackServer):
    thread_name = "push-service"

    def __init__(self, port: int) -> None:
        super().__init__(port, _PushHandler)
        self.store = PushStore()

    @property
    def origin(self) -> str:
        """The push service's origin: what a subscription's endpoint starts with."""
        return self.base_url
