"""Where notifications lead in the portal: every kind's target and path against the table
the web app's routes are tested against too (`web/src/notifications/portal-links.json`),
and the inbox item, the email and the push payload all carry that same path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from services.notifications.handlers.context import notification_view
from services.notifications.logic import links
from services.notifications.logic.ports import Links
from services.notifications.logic.render import Notice, push_payload, render_email
from services.notifications.logic.views import Shown
from services.notifications.logic.wording import wording
from services.notifications.models.domain import (
    Channel,
    ChannelDelivery,
    Contact,
    DeliveryStatus,
    Kind,
    Notification,
    PortalPage,
)

TABLE = Path(__file__).resolve().parents[3] / "web" / "src" / "notifications" / "portal-links.json"
ROWS: list[dict[str, Any]] = json.loads(TABLE.read_text())["rows"]
PORTAL = "https://portal.example"
LINKS = Links(PORTAL, "https://api.example", "no-reply@scts.example")
CONTACT = Contact(subject="sub-1", email="p@example.com")
AT = datetime(2026, 3, 2, 9, 14, tzinfo=UTC)


def _id(row: dict[str, Any]) -> str:
    return f"{row['kind']}->{row['path']}"


def test_the_table_covers_every_kind_and_every_page() -> None:
    assert {Kind(r["kind"]) for r in ROWS} == set(Kind)
    assert {PortalPage(r["target"]["page"]) for r in ROWS} == set(PortalPage)


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_each_kind_targets_the_tables_page_and_path(row: dict[str, Any]) -> None:
    found = links.target(Kind(row["kind"]), row["facts"], row["account_id"])
    expected = row["target"]
    assert (found.page.value, found.account_id, found.reference) == (
        expected["page"],
        expected["account_id"],
        expected["reference"],
    )
    assert found.path == row["path"]


def _notice(row: dict[str, Any]) -> Notice:
    return Notice(Kind(row["kind"]), row["facts"], "Acme", AT, "n-1", row["account_id"])


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_push_payload_and_the_email_link_to_the_same_path(row: dict[str, Any]) -> None:
    notice = _notice(row)
    assert json.loads(push_payload(notice, CONTACT, LINKS))["url"] == PORTAL + row["path"]
    email = render_email([notice], CONTACT, LINKS, None)
    assert f'href="{PORTAL}{row["path"]}"' in email.html.replace("&#34;", '"')
    assert f"{PORTAL}{row['path']}" in email.text


def test_without_a_portal_url_nothing_links() -> None:
    notice = _notice(ROWS[0])
    bare = Links("", "https://api.example", "no-reply@scts.example")
    assert json.loads(push_payload(notice, CONTACT, bare))["url"] is None


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_inbox_item_carries_the_target_and_its_path(row: dict[str, Any]) -> None:
    kind = Kind(row["kind"])
    delivered = ChannelDelivery(status=DeliveryStatus.DELIVERED, at=AT)
    notification = Notification(
        notification_id="20260302T091427512000Z-3f1c2e9a5b7d4e8f9a0b",
        subject="sub-1",
        account_id=row["account_id"],
        kind=kind,
        occurrence_id="evt-1",
        occurred_at=AT,
        created_at=AT,
        facts=row["facts"],
        deliveries={Channel.INBOX: delivered},
    )
    view = notification_view(Shown(notification, wording(kind, row["facts"], "Acme", CONTACT)))
    assert view.target.model_dump(mode="json") == row["target"]
    assert view.link == row["path"]
