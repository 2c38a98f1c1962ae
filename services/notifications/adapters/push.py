"""Web Push through pywebpush: RFC 8291 payload encryption (aes128gcm, via http-ece) and
RFC 8292 VAPID signatures, with TTL, Urgency and Topic per notice. Only endpoints of the
allow-list are ever called (checked again here, not only at registration); a subscription
whose keys cannot be encrypted to is answered as gone (410), so it is forgotten."""

from __future__ import annotations

from typing import Any

import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common.secrets import read_secret
from services.notifications.adapters.secrets import application_server_key, vapid_private_key
from services.notifications.logic.ports import PushAnswer
from services.notifications.logic.push_subscriptions import endpoint_allowed
from services.notifications.models.domain import PushSubscription

TIMEOUT_SECONDS = 5
RETRY = Retry(
    total=2,
    backoff_factor=0.2,
    backoff_jitter=0.2,
    status_forcelist=(429, 500, 502, 503, 504),
    allowed_methods=frozenset({"POST"}),
    respect_retry_after_header=True,
    raise_on_status=False,
)
"""A push service's passing refusal is retried twice here (backoff + jitter), then the
stage's own retries take over."""


class WebPushSender:
    def __init__(self, secret_id: str, contact: str, extra_origins: tuple[str, ...]) -> None:
        self._secret_id = secret_id
        self._contact = contact
        self._extra_origins = extra_origins
        self._session = requests.Session()
        self._session.mount("https://", HTTPAdapter(max_retries=RETRY))
        self._session.mount("http://", HTTPAdapter(max_retries=RETRY))

    def _vapid(self) -> Vapid02:
        """RFC 8292's `Authorization: vapid t=<JWT>, k=<key>` (draft 01's `WebPush` +
        `Crypto-Key` header is what `Vapid01` makes; push services moved on)."""
        return Vapid02(private_key=vapid_private_key(read_secret(self._secret_id)))

    def public_key(self) -> str:
        return application_server_key(vapid_private_key(read_secret(self._secret_id)))

    def send(
        self, subscription: PushSubscription, payload: bytes, *, ttl: int, urgency: str, topic: str
    ) -> PushAnswer:
        if not endpoint_allowed(subscription.endpoint, self._extra_origins):
            return PushAnswer(status=410)  # no longer allowed: forget it like a gone one
        info: dict[str, Any] = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        vapid = self._vapid()  # a broken key of ours must fail the job, never forget browsers
        data = payload.decode()
        try:
            answer = webpush(
                info,
                data=data,
                vapid_private_key=vapid,
                vapid_claims={"sub": f"mailto:{self._contact}"},
                ttl=ttl,
                headers={"Urgency": urgency, "Topic": topic},
                timeout=TIMEOUT_SECONDS,
                requests_session=self._session,
            )
        except WebPushException as exc:
            return PushAnswer(status=exc.response.status_code if exc.response is not None else 0)
        except requests.RequestException:
            return PushAnswer(status=0)
        except ValueError:  # keys nothing can be encrypted to (not a P-256 point): never usable
            return PushAnswer(status=410)
        return PushAnswer(status=getattr(answer, "status_code", 201))
