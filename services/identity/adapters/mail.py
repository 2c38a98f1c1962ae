"""Outgoing email through SES v2 (in `make run` the local mailbox shows it)."""

from __future__ import annotations

from typing import Any

import boto3


class SesMailer:
    def __init__(self, sender: str, client: Any | None = None) -> None:
        self._sender = sender
        self._client = client or boto3.client("sesv2")

    def send(self, to: str, subject: str, text: str) -> None:
        self._client.send_email(
            FromEmailAddress=self._sender,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
                }
            },
        )
