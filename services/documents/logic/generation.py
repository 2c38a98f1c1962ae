"""Provisioning's facts in, generated documents out.

Every fact is stored once (its entity, kind and version are its key); then the document it
calls for is made to exist: a confirmation per trade version, an invoice (or credit note)
per invoice version (withdrawn, as replaced, once STX's own file for that invoice is
available), a redemption statement per retirement version. A document needs the
counterparty's name: a fact that arrives before its counterparty link is kept and
rendered when the link arrives. Deliveries make
no document of their own (the monthly statement counts them).

The outcome depends on the set of facts, not on their order or repetition: a version's
file is a pure function of that version's facts (the counterparty's name as linked when
it is first rendered), a duplicate finds its document and changes nothing, and a late
older version is recorded as superseded.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.documents.logic import issuing, kinds, layouts
from services.documents.logic.ports import Ports
from services.documents.models.domain import DocumentKind, Draft, Layout
from services.documents.models.facts import (
    Fact,
    FactKind,
    InvoiceFact,
    PartyFact,
    RetirementFact,
    TradeFact,
)


class Outcome(StrEnum):
    ISSUED = "issued"
    """A new document version was recorded."""
    UNCHANGED = "unchanged"
    """Its document already existed (a duplicate, or a retry after a crash)."""
    HELD = "held"
    """Kept; its document waits for the counterparty link."""
    STORED = "stored"
    """Kept; it makes no document of its own (deliveries)."""


DOCUMENT_FACTS = (FactKind.TRADE, FactKind.INVOICE, FactKind.RETIREMENT)


def apply_fact(ports: Ports, fact: Fact, correlation_id: str) -> Outcome:
    ports.facts.add(fact)
    if fact.kind is FactKind.PARTY:
        issued = reconcile_account(ports, fact.account_id, correlation_id)
        return Outcome.ISSUED if issued else Outcome.UNCHANGED
    if fact.kind not in DOCUMENT_FACTS:
        return Outcome.STORED
    return ensure_document(ports, fact, correlation_id)


def _party(ports: Ports, account_id: str, counterparty_reference: str) -> PartyFact | None:
    known = ports.facts.versions(account_id, FactKind.PARTY, counterparty_reference)
    return known[-1].parsed() if known else None


def document_id_of(data: TradeFact | InvoiceFact | RetirementFact) -> str:
    if isinstance(data, TradeFact):
        return kinds.confirmation_id(data.reference)
    if isinstance(data, InvoiceFact):
        return kinds.invoice_id(data.reference, data.document_type == "credit_note")
    return kinds.redemption_id(data.reference)


def draft_for(ports: Ports, fact: Fact) -> Draft | Outcome | None:
    """The document a fact calls for; None when the counterparty is not known yet; an
    Outcome when it calls for none."""
    data = fact.parsed()
    party = _party(ports, fact.account_id, data.counterparty_reference)
    if party is None:
        return None
    doc_id = document_id_of(data)
    if isinstance(data, TradeFact):
        issued_on = data.trade_date if data.version == 1 else fact.occurred_at.date()
        return _draft(
            data, doc_id, DocumentKind.TRADE_CONFIRMATION, layouts.trade_title(data),
            issued_on, layouts.confirmation(data, party),
        )  # fmt: skip
    if isinstance(data, InvoiceFact):
        credit = data.document_type == "credit_note"
        return _draft(
            data, doc_id, DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE,
            layouts.invoice_title(data), data.issue_date, layouts.invoice(data, party),
        )  # fmt: skip
    return _draft(
        data, doc_id, DocumentKind.REDEMPTION_STATEMENT, layouts.redemption_title(data),
        data.retired_on, layouts.redemption(data, party),
    )  # fmt: skip


def _draft(
    data: TradeFact | InvoiceFact | RetirementFact,
    document_id: str,
    kind: DocumentKind,
    title: str,
    issued_on: date,
    layout: Layout,
) -> Draft:
    return Draft(
        account_id=data.account_id,
        document_id=document_id,
        version=data.version,
        kind=kind,
        title=title,
        related_reference=data.reference,
        issued_on=issued_on,
        file_name=issuing.file_name_for(document_id, data.version),
        layout=layout,
    )


def ensure_document(ports: Ports, fact: Fact, correlation_id: str) -> Outcome:
    data = fact.parsed()
    if ports.documents.version(fact.account_id, document_id_of(data), fact.version):
        if isinstance(data, InvoiceFact):  # a retry completes a replacement a crash cut short
            replaced_by_published(ports, fact.account_id, data.reference, correlation_id)
        return Outcome.UNCHANGED
    draft = draft_for(ports, fact)
    if draft is None:
        return Outcome.HELD
    if isinstance(draft, Outcome):
        return draft
    issued = issuing.issue_generated(ports, draft, correlation_id)
    if issued and draft.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE):
        replaced_by_published(
            ports, draft.account_id, draft.related_reference or "", correlation_id
        )
    return Outcome.ISSUED if issued else Outcome.UNCHANGED


def replaced_by_published(
    ports: Ports, account_id: str, invoice_reference: str, correlation_id: str
) -> None:
    """STX published its own file for this invoice: once that file is available, every
    version of the portal's rendering is withdrawn (whichever came first), with the reason.
    Only a published invoice replaces one (a version published as an invoice under a
    document of another kind was refused: `intake`)."""
    for fact in ports.facts.published_about(account_id, invoice_reference):
        published = ports.documents.current(account_id, kinds.published_id(fact.reference))
        if (
            published is None
            or not published.downloadable
            or published.kind is not DocumentKind.INVOICE
        ):
            continue
        for credit in (False, True):
            generated = ports.documents.document(
                account_id, kinds.invoice_id(invoice_reference, credit)
            )
            if generated is not None:
                issuing.withdraw_document(
                    ports,
                    generated,
                    reason=f"Replaced by the document STX published: {published.title}",
                    by=issuing.SYSTEM,
                    correlation_id=correlation_id,
                )


def reconcile_account(ports: Ports, account_id: str, correlation_id: str) -> int:
    """Every document the account's facts call for exists (after a late counterparty
    link): the number issued now."""
    issued = 0
    for fact in ports.facts.of_account(account_id, DOCUMENT_FACTS):
        if ensure_document(ports, fact, correlation_id) is Outcome.ISSUED:
            issued += 1
    return issued
