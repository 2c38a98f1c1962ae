"""The overdue scan: an invoice whose due date passed unpaid is told once to who may read
billing; one that credit notes settled is not overdue (a partial credit still is)."""

from __future__ import annotations

from datetime import date

import pytest

from services.notifications.logic import schedules
from services.notifications.logic.intake import take_event
from services.notifications.models.domain import Kind

from .events import credit_note, invoice
from .fakes import World

pytestmark = pytest.mark.unit

ACC = "acc_a"
PAST = date(2026, 11, 1)


def test_an_overdue_invoice_is_told_once_unless_credit_notes_settled_it() -> None:
    world = World()
    world.access.grant(ACC, "finance", "billing:read")
    world.person("finance")
    for reference in ("INV-OPEN", "INV-CREDITED", "INV-PART"):
        take_event(world.ports, invoice(ACC, reference, due=PAST))
    take_event(world.ports, credit_note(ACC, "CN-1", "INV-CREDITED", "-50.00"))
    take_event(world.ports, credit_note(ACC, "CN-1", "INV-CREDITED", "-121.00", version=2))
    take_event(world.ports, credit_note(ACC, "CN-2", "INV-PART", "21.00"))

    assert schedules.overdue_scan(world.ports) == 2
    told = [n for n in world.store.items.values() if n.kind is Kind.INVOICE_OVERDUE]
    assert sorted(n.facts["reference"] for n in told) == ["INV-OPEN", "INV-PART"]
    assert schedules.overdue_scan(world.ports) == 0  # told once
