"""What the events subscription does with each event it receives (one call per event):
keeps the little it needs to know (account names, people's contact data from identity,
open invoices for the overdue scan) and resolves the event into notifications. A version of
a trade, delivery, retirement or invoice older than one already told is not told: the bus
keeps no order, and "issued" after "paid" or "executed" after "cancelled" would be wrong."""

from __future__ import annotations

from typing import Any

from contracts.envelope import EventEnvelope
from contracts.events import identity as idn
from contracts.events import provisioning as prv
from services.notifications.logic.occurrences import (
    contact_update,
    entity_version,
    invoice_facts,
    occurrence_of,
)
from services.notifications.logic.ports import OpenInvoice, Ports
from services.notifications.logic.resolve import resolve
from services.notifications.logic.wording import UPDATED_FACT
from services.notifications.models.domain import Kind, Occurrence


def take_event(ports: Ports, envelope: EventEnvelope[Any]) -> int:
    """Returns how many people the event reaches (0 for facts that tell nobody)."""
    data = envelope.data
    account_name = None
    if isinstance(data, idn.AccountCreatedData):
        ports.store.put_account_name(data.account_id, data.name)
        account_name = data.name
    update = contact_update(envelope)
    if update is not None:
        ports.store.update_contact(*update)
    if isinstance(data, prv.Invoice) and data.document_type == "invoice":
        paid = sum((p.amount for p in data.payments), start=type(data.gross_amount)(0))
        still_open = envelope.detail_type == prv.INVOICE_ISSUED.detail_type and (
            paid < data.gross_amount
        )
        invoice = OpenInvoice(
            data.account_id,
            data.reference,
            data.due_date,
            invoice_facts(data),
            owed=data.gross_amount - paid,
        )
        ports.store.track_invoice(invoice, data.version, still_open)
    if isinstance(data, prv.Invoice) and data.credited_invoice_reference:
        ports.store.credit_invoice(
            data.account_id,
            data.credited_invoice_reference,
            data.reference,
            data.version,
            abs(data.gross_amount),
        )
    occurrence = occurrence_of(envelope)
    if occurrence is None:
        return 0
    entity = entity_version(envelope)
    if entity is None or occurrence.account_id is None:
        return resolve(ports, occurrence, account_name)
    first_told = ports.store.keep_newest_version(occurrence.account_id, *entity)
    if first_told is None and ports.store.plan(occurrence.occurrence_id) is None:
        # Older than a version already told (the bus keeps no order). An event whose plan
        # is kept was judged news before (a retry after a failure halfway): it resumes
        # whatever came since, or its notices would wait queued for ever.
        return 0
    if occurrence.kind is Kind.INVOICE_ISSUED and first_told is not None:
        occurrence = _told_as_update(occurrence, first_told < entity[2])
    return resolve(ports, occurrence, account_name)


def _told_as_update(occurrence: Occurrence, updated: bool) -> Occurrence:
    """An invoice still open whose earlier version people were told of is "updated", not
    "issued" again; whichever version reached them first is the one "issued"."""
    if not updated:
        return occurrence
    return occurrence.model_copy(update={"facts": {**occurrence.facts, UPDATED_FACT: "yes"}})
