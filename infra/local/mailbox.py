"""The local mailbox: mail sent through moto's SES/SESv2, readable over loopback HTTP.

GET /mailbox            every message, oldest first
GET /mailbox/<address>  messages to (or cc/bcc) that address
Each message: id (SES's MessageId), source, to, subject, body (by content type) and, for
raw MIME, the headers in `LISTED_HEADERS`.

moto keeps sent mail in memory only, so this must run in the process hosting moto.
"""

from __future__ import annotations

import json
from email import message_from_string
from email.utils import getaddresses
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from infra.local.invoke import ACCOUNT_ID, REGION
from infra.local.loopback import LoopbackServer

LISTED_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post", "Date", "Message-ID")
"""Headers a raw message shows (one-click unsubscribe, RFC 8058)."""


def _raw_message(message: Any) -> dict[str, Any]:
    parsed = message_from_string(message.raw_data)
    recipients = [
        address
        for _, address in getaddresses(
            parsed.get_all("to", []) + parsed.get_all("cc", []) + list(message.destinations)
        )
        if address
    ]
    parts = [parsed] if not parsed.is_multipart() else list(parsed.walk())
    body = {}
    for part in parts:
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            body[part.get_content_type()] = payload.decode(errors="replace")
    return {
        "id": message.id,
        "source": message.source,
        "to": sorted(set(recipients)),
        "subject": str(parsed.get("subject", "")),
        "body": body,
        "headers": {name: str(parsed[name]) for name in LISTED_HEADERS if parsed[name]},
    }


def sent_messages(account: str = ACCOUNT_ID, region: str = REGION) -> list[dict[str, Any]]:
    """Everything moto's SES (v1 and v2 share it) has accepted, as plain JSON."""
    from moto.ses.models import ses_backends

    messages = []
    for message in list(ses_backends[account][region].sent_messages):
        if hasattr(message, "raw_data"):
            messages.append(_raw_message(message))
            continue
        destinations = message.destinations or {}
        recipients = [
            a
            for key in ("ToAddresses", "CcAddresses", "BccAddresses")
            for a in destinations.get(key, [])
        ]
        messages.append(
            {
                "id": message.id,
                "source": message.source,
                "to": recipients,
                "subject": message.subject,
                "body": message.body,
            }
        )
    return messages


class _MailboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        body: Any
        if path == "/mailbox":
            status, body = HTTPStatus.OK, sent_messages()
        elif path.startswith("/mailbox/"):
            address = unquote(path[len("/mailbox/") :]).lower()
            status = HTTPStatus.OK
            body = [m for m in sent_messages() if address in (a.lower() for a in m["to"])]
        else:
            status, body = HTTPStatus.NOT_FOUND, {"message": "Not Found"}
        data = json.dumps(body, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class MailboxServer(LoopbackServer):
    thread_name = "mailbox"

    def __init__(self, port: int) -> None:
        super().__init__(port, _MailboxHandler)

    @property
    def url(self) -> str:
        return f"{self.base_url}/mailbox"
