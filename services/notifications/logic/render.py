"""Stage 2, render: the words of a notice in a person's own style, as an email (HTML and
plain-text parts from autoescaped templates, RFC 8058 one-click unsubscribe headers) and
as a Web Push payload (small JSON, under the push services' 4096-byte limit once
encrypted)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from services.notifications.logic import formatting as fmt
from services.notifications.logic.links import target
from services.notifications.logic.ports import Links
from services.notifications.logic.wording import Wording, wording
from services.notifications.models.domain import ALWAYS_ON, KIND_RULES, Category, Contact, Kind

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAX_PUSH_PAYLOAD = 3000
"""Bytes of JSON before encryption: RFC 8291 adds 103 (header, tag, padding delimiter),
and push services take at most 4096."""


@cache
def _environments() -> tuple[Environment, Environment]:
    """The HTML and plain-text template environments, built on first render (jinja2 is
    imported here: of the service's functions only the render stage needs it)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    html = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
    )
    text = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # noqa: S701 - the plain-text part is not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
    )
    return html, text


@dataclass(frozen=True)
class Notice:
    """One notice to render: what happened and where."""

    kind: Kind
    facts: dict[str, str]
    account_name: str | None
    occurred_at: datetime
    notification_id: str
    account_id: str | None


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None


def _clean_header(value: str) -> str:
    """No line breaks in a header (publisher data reaches the subject)."""
    return " ".join(value.split())[:200]


def _link(links: Links, notice: Notice) -> str | None:
    path = target(notice.kind, notice.facts, notice.account_id).path
    return f"{links.portal_url.rstrip('/')}{path}" if links.portal_url else None


def _item(notice: Notice, contact: Contact, links: Links) -> tuple[Wording, dict[str, object]]:
    said = wording(notice.kind, notice.facts, notice.account_name, contact)
    return said, {
        "title": said.title,
        "summary": said.summary,
        "lines": said.lines,
        "when": fmt.moment(notice.occurred_at, contact),
        "account": notice.account_name,
        "link": _link(links, notice),
    }


def render_email(
    notices: list[Notice], contact: Contact, links: Links, unsubscribe_token: str | None
) -> RenderedEmail:
    """One notice, or a digest of several (newest first)."""
    rendered = [_item(n, contact, links) for n in notices]
    categories = sorted({_category(n.kind) for n in notices})
    security = all(c in ALWAYS_ON for c in categories)
    url = (
        f"{links.api_url.rstrip('/')}/v1/unsubscribe/{unsubscribe_token}"
        if unsubscribe_token and links.api_url and not security
        else None
    )
    context = {
        "lang": contact.locale,
        "title": rendered[0][0].title if len(notices) == 1 else "Your SCTS digest",
        "account": notices[0].account_name if len(notices) == 1 else None,
        "items": [item for _, item in rendered],
        "security": security,
        "categories": ", ".join(c.value for c in categories),
        "unsubscribe_url": url,
    }
    subject = (
        rendered[0][0].title
        if len(notices) == 1
        else f"Your SCTS digest: {len(notices)} notifications"
    )
    html, text = _environments()
    return RenderedEmail(
        subject=_clean_header(subject),
        text=text.get_template("email.txt").render(context),
        html=html.get_template("email.html").render(context),
        unsubscribe_url=url,
    )


def _category(kind: Kind) -> Category:
    return KIND_RULES[kind].category


MAIL_POLICY = SMTP.clone(max_line_length=998)
"""RFC 5322's line limit: a long List-Unsubscribe URL stays one plain header line (folding it
into encoded words, as the 78-character default does, breaks one-click unsubscribe)."""


def mime(sender: str, to: str, email: RenderedEmail, now: datetime) -> bytes:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    if email.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message.as_bytes()


def push_payload(notice: Notice, contact: Contact, links: Links) -> bytes:
    said = wording(notice.kind, notice.facts, notice.account_name, contact)
    body = {
        "title": said.title,
        "body": said.summary,
        "kind": notice.kind.value,
        "notification_id": notice.notification_id,
        "url": _link(links, notice),
    }
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    while len(data) > MAX_PUSH_PAYLOAD:
        body["body"] = str(body["body"])[: max(0, len(str(body["body"])) - 200)] + "…"
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return data
