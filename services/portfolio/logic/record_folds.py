"""Folding a retirement's and an invoice's facts: the highest version wins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from contracts.events import provisioning as prov
from services.portfolio.logic.billing import invoice_facet
from services.portfolio.logic.collections import Collection, MarkerKey
from services.portfolio.logic.facts import Fact, StreamId
from services.portfolio.logic.projection import (
    UNKNOWN_REGISTRY_ACCOUNT,
    ZERO,
    Counter,
    Projection,
    add_amounts,
    batch_marker,
    due_counter,
    lot_key,
)

DataT = TypeVar("DataT", prov.RetirementCompleted, prov.Invoice)


def _latest(facts: list[Fact], model: type[DataT]) -> DataT | None:
    """The highest version's data among the facts of type `model`."""
    found = [f.data for f in facts if isinstance(f.data, model)]
    return max(found, key=lambda data: data.version, default=None)


def fold_retirement(stream: StreamId, facts: list[Fact]) -> Projection:
    retirement = _latest(facts, prov.RetirementCompleted)
    if retirement is None:
        return Projection(current=None)
    account = stream.account_id
    current: dict[str, Any] = {
        "reference": retirement.reference,
        "account_id": account,
        "version": retirement.version,
        "status": "completed",
        "scheme": retirement.scheme,
        "volume_mwh": retirement.volume_mwh,
        "retired_on": retirement.retired_on.isoformat(),
        "beneficiary_name": retirement.beneficiary_name,
        "consumption_country": retirement.consumption_country,
        "consumption_period_start": retirement.consumption_period_start.isoformat(),
        "consumption_period_end": retirement.consumption_period_end.isoformat(),
        "reporting_year": retirement.reporting_year,
        "purpose": retirement.purpose,
        "registry_transaction_reference": retirement.registry_transaction_reference,
        "registry_account": retirement.registry_account,
        "batches": [b.model_dump(mode="json") for b in retirement.batches],
        "warnings": list(retirement.warnings),
    }
    counters: dict[str, Counter] = {}
    year = str(retirement.reporting_year)
    add_amounts(counters, f"RETYR#{year}", {"year": year}, retired_mwh=retirement.volume_mwh)
    markers: dict[MarkerKey, dict[str, Any]] = {}
    # v1 retirements (upcast) did not name their registry account: their lot has none.
    registry = retirement.registry_account or UNKNOWN_REGISTRY_ACCOUNT
    for index, batch in enumerate(retirement.batches):
        key, dims = lot_key(
            retirement.scheme, registry, batch.technology, batch.country, batch.vintage
        )
        add_amounts(counters, key, dims, retired=Decimal(batch.quantity))
        position = ("retirement", retirement.reference, f"{index:04d}")
        markers[MarkerKey(Collection.BATCHES, account, position)] = batch_marker(
            dims,
            batch,
            movement="retired",
            source_reference=retirement.reference,
            trade_reference=None,
            moved_on=retirement.retired_on,
        )
    return Projection(
        current, counters, markers, retirement.version, facet=str(retirement.reporting_year)
    )


def credited_by_notes(stream: StreamId, invoice: prov.Invoice, facts: list[Fact]) -> Decimal:
    """What the credit notes kept in the invoice's stream credit it, each at its highest
    version (one that now credits another invoice, or in another currency, counts zero)."""
    newest: dict[str, prov.Invoice] = {}
    for fact in facts:
        note = fact.data
        if fact.credits is None or not isinstance(note, prov.Invoice):
            continue
        if note.reference not in newest or newest[note.reference].version < note.version:
            newest[note.reference] = note
    return sum(
        (
            abs(note.gross_amount)
            for note in newest.values()
            if note.credited_invoice_reference == stream.reference
            and note.currency == invoice.currency
        ),
        ZERO,
    )


def fold_invoice(stream: StreamId, facts: list[Fact]) -> Projection:
    invoice = _latest([f for f in facts if f.credits is None], prov.Invoice)
    if invoice is None:
        return Projection(current=None)
    account = stream.account_id
    credit = invoice.document_type == "credit_note"
    paid = sum((p.amount for p in invoice.payments), ZERO)
    credited = (
        ZERO if credit else min(credited_by_notes(stream, invoice, facts), invoice.gross_amount)
    )
    outstanding = max(invoice.gross_amount - paid - credited, ZERO)
    # What the credits took off what the payments left owing (never more), so the currency's
    # outstanding (invoiced - paid - credit applied) is the sum of its invoices' outstanding.
    credit_applied = invoice.gross_amount - paid - outstanding
    trade_refs = sorted({line.trade_reference for line in invoice.lines if line.trade_reference})
    current: dict[str, Any] = {
        "reference": invoice.reference,
        "account_id": account,
        "version": invoice.version,
        "document_type": invoice.document_type,
        "credited_invoice_reference": invoice.credited_invoice_reference,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "currency": invoice.currency,
        "net_amount": invoice.net_amount,
        "tax_amount": invoice.tax_amount,
        "gross_amount": invoice.gross_amount,
        "paid_amount": paid,
        "credited_amount": credited,
        "outstanding_amount": ZERO if credit else outstanding,
        "trade_references": trade_refs,
        "lines": [line.model_dump(mode="json") for line in invoice.lines],
        "payments": [p.model_dump(mode="json") for p in invoice.payments],
    }
    counters: dict[str, Counter] = {}
    amounts = (
        {"credited": abs(invoice.gross_amount)}
        if credit
        else {"invoiced": invoice.gross_amount, "paid": paid, "credit_applied": credit_applied}
    )
    add_amounts(counters, f"CUR#{invoice.currency}", {"currency": invoice.currency}, **amounts)
    markers: dict[MarkerKey, dict[str, Any]] = {}
    summary = {
        "reference": invoice.reference,
        "document_type": invoice.document_type,
        "currency": invoice.currency,
        "gross_amount": invoice.gross_amount,
        "outstanding_amount": current["outstanding_amount"],
        "credited_amount": credited,
        "due_date": invoice.due_date.isoformat(),
        "issue_date": invoice.issue_date.isoformat(),
    }
    if not credit and outstanding > ZERO:
        due = (invoice.due_date.isoformat(), invoice.reference)
        markers[MarkerKey(Collection.OPEN_INVOICES, account, due)] = summary
        add_amounts(
            counters,
            due_counter(invoice.due_date.isoformat(), invoice.currency),
            {"currency": invoice.currency, "due_date": invoice.due_date.isoformat()},
            outstanding=outstanding,
            invoices=Decimal(1),
        )
    for trade_ref in trade_refs:
        link = (trade_ref, invoice.reference)
        markers[MarkerKey(Collection.TRADE_INVOICES, account, link)] = summary
    facet = invoice_facet(invoice.document_type, current["outstanding_amount"])
    return Projection(current, counters, markers, invoice.version, facet=facet)
