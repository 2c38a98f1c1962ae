"""Browsers a person registered for Web Push: registered and removed only by that person.

An endpoint is where our push sender will POST, so it must be an https URL of a known push
service (the allow-list; the local runtime adds its loopback push service): anything else
(an internal address, another scheme) is refused, so the API cannot be used to make the
service call arbitrary URLs (SSRF). Keys must be a P-256 public key (65 bytes, a point of
the curve: every push is encrypted to it) and a 16-byte auth secret (RFC 8291).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from urllib.parse import urlsplit

from common.access import UserPrincipal
from common.errors import Conflict, FieldProblem, InvalidInput, NotFound
from services.notifications.logic.ports import Ports
from services.notifications.models.domain import PushSubscription

MAX_SUBSCRIPTIONS = 10
PUBLIC_PUSH_SERVICES = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    "*.notify.windows.com",
    "*.push.apple.com",
)
"""Hosts of the push services browsers use (Chrome/Edge via FCM, Firefox, Safari, WNS)."""


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


URL_CHARACTERS = re.compile(r"[!#-\[\]-~]+")
"""Printable ASCII but the backslash: what every client reads alike. `urlsplit` drops tabs
and line breaks and reads a backslash as part of the host, where urllib3 (what the push
sender's requests uses) ends the host at it: `https://10.0.0.1\\.push.apple.com/` would be
checked as a push service's host and sent to 10.0.0.1."""
HOSTNAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def endpoint_allowed(endpoint: str, extra_origins: tuple[str, ...]) -> bool:
    if not URL_CHARACTERS.fullmatch(endpoint):
        return False
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 host: no push service's URL
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in extra_origins:
        return True
    host = (parts.hostname or "").lower()
    if (
        parts.scheme != "https"
        or port not in (None, 443)
        or not HOSTNAME.fullmatch(host)
        or parts.netloc.lower() not in (host, f"{host}:443")  # no user info, nothing else
    ):
        return False
    return any(
        host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]))
        for allowed in PUBLIC_PUSH_SERVICES
    )


def on_p256(raw: bytes) -> bool:
    """Whether `raw` is an uncompressed point of P-256: a key of the right shape off the
    curve cannot be encrypted to, so no push would ever reach that browser."""
    from cryptography.hazmat.primitives.asymmetric import ec  # on first use: cold starts

    if len(raw) != 65 or raw[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def subscription_id(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()[:32]


def register(
    ports: Ports,
    caller: UserPrincipal,
    endpoint: str,
    p256dh: str,
    auth: str,
    label: str,
    extra_origins: tuple[str, ...],
) -> PushSubscription:
    problems = []
    if not endpoint_allowed(endpoint, extra_origins):
        problems.append(
            FieldProblem("body.endpoint", "is not the https URL of a known push service")
        )
    try:
        if not on_p256(_b64(p256dh)):
            problems.append(FieldProblem("body.keys.p256dh", "is not an uncompressed P-256 key"))
    except (binascii.Error, ValueError):
        problems.append(FieldProblem("body.keys.p256dh", "is not base64url"))
    try:
        if len(_b64(auth)) != 16:
            problems.append(FieldProblem("body.keys.auth", "is not a 16-byte secret"))
    except (binascii.Error, ValueError):
        problems.append(FieldProblem("body.keys.auth", "is not base64url"))
    if problems:
        raise InvalidInput(problems)
    subscription = PushSubscription(
        subscription_id=subscription_id(endpoint),
        subject=caller.sub,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        label=label,
        created_at=ports.clock(),
    )
    if not ports.store.add_push_subscription(subscription, MAX_SUBSCRIPTIONS):
        raise Conflict(
            f"At most {MAX_SUBSCRIPTIONS} browsers per person; remove one first.",
            code="too_many_subscriptions",
        )
    return subscription


def mine(ports: Ports, caller: UserPrincipal) -> list[PushSubscription]:
    return ports.store.push_subscriptions(caller.sub)


def remove(ports: Ports, caller: UserPrincipal, subscription: str) -> None:
    if not ports.store.remove_push_subscription(caller.sub, subscription):
        raise NotFound("No such push subscription.")


def public_key(ports: Ports) -> str:
    assert ports.push is not None
    return ports.push.public_key()
