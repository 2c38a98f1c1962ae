"""SES's reports about a sent email, simulated locally through the same path the cloud uses:
SES (configuration set) -> SNS topic -> the service's queue -> its function. moto's SES keeps
no configuration set on raw sends and reports nothing for real addresses, so this publishes
the event SES would publish (its "event publishing" JSON) onto the service's topic.

    python -m infra.local.ses_events bounce trader@nordicgreen.local
    python -m infra.local.ses_events complaint|delivery|reject <address> [--service notifications]

The event names the latest message the local mailbox holds for the address (its SES
MessageId), as SES's own event would.
"""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import requests

from infra.local.aws import client

KINDS = ("bounce", "complaint", "delivery", "reject")


def ses_event(kind: str, message: dict[str, Any], address: str) -> dict[str, Any]:
    """The JSON SES publishes for a configuration set's event destination."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    mail = {
        "timestamp": now,
        "source": message.get("source", ""),
        "messageId": message["id"],
        "destination": [address],
        "tags": {},
    }
    detail: dict[str, Any]
    if kind == "bounce":
        detail = {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": address,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": now,
            "feedbackId": str(uuid.uuid4()),
        }
        return {"eventType": "Bounce", "bounce": detail, "mail": mail}
    if kind == "complaint":
        detail = {
            "complainedRecipients": [{"emailAddress": address}],
            "timestamp": now,
            "feedbackId": str(uuid.uuid4()),
            "complaintFeedbackType": "abuse",
        }
        return {"eventType": "Complaint", "complaint": detail, "mail": mail}
    if kind == "delivery":
        detail = {
            "timestamp": now,
            "processingTimeMillis": 420,
            "recipients": [address],
            "smtpResponse": "250 2.0.0 OK",
            "reportingMTA": "a8-1.smtp-out.amazonses.com",
        }
        return {"eventType": "Delivery", "delivery": detail, "mail": mail}
    return {"eventType": "Reject", "reject": {"reason": "Bad content"}, "mail": mail}


def simulate(
    kind: str, address: str, endpoints: dict[str, Any], service: str = "notifications"
) -> dict[str, Any]:
    """Publish SES's `kind` event about the latest mail to `address`; the event."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    messages = requests.get(f"{endpoints['mailbox']}/{address}", timeout=10).json()
    if not messages:
        raise LookupError(f"the mailbox has no message for {address}")
    event = ses_event(kind, messages[-1], address)
    topic = endpoints["mail_events"][service]["topic_arn"]
    client("sns", endpoints["aws_endpoint"]).publish(TopicArn=topic, Message=json.dumps(event))
    return event


def main(argv: list[str] | None = None) -> None:
    from common.settings import load_settings
    from infra.local.runtime import ENDPOINTS_FILE, LocalSettings

    parser = argparse.ArgumentParser(prog="python -m infra.local.ses_events", description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("address")
    parser.add_argument("--service", default="notifications")
    args = parser.parse_args(argv)
    endpoints = json.loads((load_settings(LocalSettings).state_dir / ENDPOINTS_FILE).read_text())
    print(json.dumps(simulate(args.kind, args.address, endpoints, args.service), indent=2))


if __name__ == "__main__":
    main()
