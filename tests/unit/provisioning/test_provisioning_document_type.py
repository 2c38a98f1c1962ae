"""A published document and an invoice keep their document type in every later version: the
documents service decides by it who may read a document, so a change is refused at ingest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from services.provisioning.logic.lifecycle import Existence, StoredState, write_allowed
from services.provisioning.logic.planning import new_state
from services.provisioning.logic.validation import validate_record
from services.provisioning.models.records import RecordKind

from .document_type_records import DOC, DOCUMENT_REFUSAL, document, invoice, invoice_refusal
from .test_provisioning_dry_run_upload import upload_file
from .test_provisioning_ingest import NOW, outcomes, run, store

pytestmark = pytest.mark.unit


def errors(results: list[Any]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for r in results for e in r.errors]


def state_of(kind: RecordKind, record: dict[str, Any]) -> StoredState:
    return new_state(validate_record(kind, record, NOW.date()), "pub-stx", "acc-1")


def test_a_later_document_version_may_not_change_its_type() -> None:
    target = store()
    assert outcomes(run(RecordKind.DOCUMENTS, [document(1)], target)) == ["accepted"]
    results = run(RecordKind.DOCUMENTS, [document(2, "invoice")], target)
    assert outcomes(results) == ["rejected"]
    assert errors(results) == [("document_type", DOCUMENT_REFUSAL)]
    assert target.states[(RecordKind.DOCUMENTS, DOC)].version == 1
    assert outcomes(run(RecordKind.DOCUMENTS, [document(2)], target)) == ["accepted"]
    assert outcomes(run(RecordKind.DOCUMENTS, [document(2)], target)) == ["duplicate"]
    assert [e.data.version for e in target.outbox] == [1, 2]


@pytest.mark.parametrize(
    ("issued_as", "changed_to", "words"),
    [("invoice", "credit_note", "an invoice"), ("credit_note", "invoice", "a credit note")],
)
def test_an_invoice_and_a_credit_note_never_turn_into_each_other(
    issued_as: str, changed_to: str, words: str
) -> None:
    target = store()
    assert outcomes(run(RecordKind.INVOICES, [invoice(1, issued_as)], target)) == ["accepted"]
    results = run(RecordKind.INVOICES, [invoice(2, changed_to)], target)
    assert errors(results) == [("document_type", invoice_refusal(words))]
    assert outcomes(run(RecordKind.INVOICES, [invoice(2, issued_as)], target)) == ["accepted"]
    assert len(target.outbox) == 2


def test_a_dry_run_refuses_the_type_change_a_real_run_refuses() -> None:
    target = store()
    batch = [document(1), document(2, "invoice"), document(2)]
    results = run(RecordKind.DOCUMENTS, batch, target, dry_run=True)
    assert outcomes(results) == ["accepted", "rejected", "accepted"]
    assert errors(results) == [("document_type", DOCUMENT_REFUSAL)]
    assert target.outbox == []
    run(RecordKind.DOCUMENTS, [document(1)], target)
    against_stored = run(RecordKind.DOCUMENTS, [document(2, "invoice")], target, dry_run=True)
    assert errors(against_stored) == [("document_type", DOCUMENT_REFUSAL)]


def test_the_store_guard_refuses_a_type_change_even_when_nothing_judged_it() -> None:
    stored = state_of(RecordKind.DOCUMENTS, document(1))
    changed = state_of(RecordKind.DOCUMENTS, document(2, "invoice"))
    same = state_of(RecordKind.DOCUMENTS, document(2))
    assert stored.document_type == "trade_confirmation"
    assert not write_allowed(Existence.EITHER, changed, stored, kind=RecordKind.DOCUMENTS)
    assert write_allowed(Existence.EITHER, same, stored, kind=RecordKind.DOCUMENTS)
    stored_before_types_were_kept = replace(stored, document_type=None)
    assert write_allowed(
        Existence.EITHER, changed, stored_before_types_were_kept, kind=RecordKind.DOCUMENTS
    )


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("chunk_rows", [1, 3])
def test_an_upload_row_changing_the_type_is_rejected(dry_run: bool, chunk_rows: int) -> None:
    target = store()
    file = [document(1), document(2, "invoice"), document(2)]
    totals, progress = upload_file(
        target, RecordKind.DOCUMENTS, file, dry_run=dry_run, chunk_rows=chunk_rows
    )
    assert (totals.accepted, totals.rejected) == (2, 1)
    assert progress.rejected_rows() == [(2, DOC, "document_type", DOCUMENT_REFUSAL)]
