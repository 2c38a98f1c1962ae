"""Sending a rendered email (raw MIME) through SES v2 with the service's configuration set,
so SES reports bounces, complaints and deliveries of exactly this mail (`MailEvents`)."""

from __future__ import annotations

from typing import Any

import boto3

from services.notifications.adapters.queues import RETRIES
from services.notifications.logic.ports import SentMail


class SesRawMailer:
    def __init__(
        self, sender: str, configuration_set: str | None, client: Any | None = None
    ) -> None:
        self._sender = sender
        self._configuration_set = configuration_set
        self._client = client or boto3.client("sesv2", config=RETRIES)

    def send_raw(self, to: str, raw: bytes) -> SentMail:
        request: dict[str, Any] = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [to]},
            "Content": {"Raw": {"Data": raw}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        answer = self._client.send_email(**request)
        return SentMail(message_id=str(answer["MessageId"]))
