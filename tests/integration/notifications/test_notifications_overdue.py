"""The overdue scan against moto: the invoice still owed is told, the one a credit note
settled is not (each credit note is its own item beside the invoice's)."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifications import dependencies
from services.notifications.logic import schedules
from tests.unit.notifications.events import credit_note, invoice

from .conftest import Cloud

pytestmark = pytest.mark.integration

ACC = "acc_overdue"


def test_a_credited_invoice_is_not_told_overdue(cloud: Cloud) -> None:
    cloud.account(ACC, "Overdue BV")
    finance = cloud.user("finance@overdue.example")
    cloud.grant(ACC, finance, "finance", "billing:read")
    past = date(2026, 11, 1)
    for reference in ("INV-OPEN", "INV-CREDITED"):
        cloud.deliver(invoice(ACC, reference, due=past))
    cloud.deliver(credit_note(ACC, "CN-1", "INV-CREDITED", "-121.00"))
    cloud.drain()

    assert schedules.overdue_scan(dependencies.ports()) == 1
    cloud.drain()
    titles = [n["title"] for n in cloud.call("GET", "/v1/me/notifications", finance).body["items"]]
    overdue = [t for t in titles if "overdue" in t.lower()]
    assert len(overdue) == 1
    assert "INV-OPEN" in overdue[0]
