"""Published files: claim check under the event's account, checks, quarantine, the malware
verdict (clean -> library, infected or unscanned -> refused), a published invoice replaces
the generated one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from services.documents.logic.generation import apply_fact
from services.documents.logic.intake import (
    CLEAN,
    INFECTED,
    IntakeOutcome,
    QuarantineKey,
    Unprocessable,
    on_verdict,
    take_in,
)
from services.documents.logic.ports import Ports
from services.documents.models.domain import DocumentVersion, VersionStatus
from tests.unit.documents.documents_factories import ACCOUNT, OTHER, invoice, party, published
from tests.unit.documents.documents_fakes import (
    MemoryDocuments,
    MemoryFacts,
    MemoryFiles,
    MemorySharedFiles,
    memory_ports,
)

pytestmark = pytest.mark.unit
PDF = b"%PDF-1.4\n% an STX confirmation\n%%EOF\n"
DOC = "published-DOC-1"


def shared_with(fact, content: bytes = PDF) -> MemorySharedFiles:
    return MemorySharedFiles({fact.data["object_key"]: content})


def quarantine_key() -> str:
    return str(QuarantineKey(ACCOUNT, DOC, 1))


def test_a_clean_file_is_quarantined_then_published_on_a_clean_verdict() -> None:
    ports = memory_ports()
    fact = published("DOC-1", PDF)
    assert take_in(ports, shared_with(fact), fact, "c") is IntakeOutcome.QUARANTINED
    assert ports.documents.current(ACCOUNT, DOC) is None  # not listed while scanned
    files = ports.files
    assert isinstance(files, MemoryFiles)
    assert quarantine_key() in files.objects

    assert on_verdict(ports, quarantine_key(), CLEAN, [], "c") is IntakeOutcome.PUBLISHED
    head = ports.documents.current(ACCOUNT, DOC)
    assert head is not None
    assert head.status is VersionStatus.AVAILABLE
    assert head.object_key.startswith(f"files/{ACCOUNT}/{DOC}/v1/")
    assert files.objects[head.object_key][0] == PDF
    assert quarantine_key() not in files.objects
    assert on_verdict(ports, quarantine_key(), CLEAN, [], "c") is IntakeOutcome.UNCHANGED
    assert take_in(ports, shared_with(fact), fact, "c") is IntakeOutcome.UNCHANGED


@pytest.mark.parametrize(
    ("verdict", "threats", "reason"),
    [
        (INFECTED, ["EICAR-Test-File (not a virus)"], "malware found (EICAR-Test-File"),
        ("UNSUPPORTED", [], "could not complete (UNSUPPORTED)"),
    ],
)
def test_an_infected_or_unscanned_file_is_refused_and_deleted(
    verdict: str, threats: list[str], reason: str
) -> None:
    ports = memory_ports()
    fact = published("DOC-1", PDF)
    take_in(ports, shared_with(fact), fact, "c")
    assert on_verdict(ports, quarantine_key(), verdict, threats, "c") is IntakeOutcome.REFUSED
    head = ports.documents.current(ACCOUNT, DOC)
    assert head is not None
    assert head.status is VersionStatus.REFUSED
    assert not head.downloadable
    assert head.reason is not None
    assert reason in head.reason
    assert isinstance(ports.files, MemoryFiles)
    assert not ports.files.objects
    documents = ports.documents
    assert isinstance(documents, MemoryDocuments)
    assert documents.outbox == []


@pytest.mark.parametrize(
    ("fact", "content", "reason"),
    [
        (published("DOC-1", PDF, sha256="0" * 64), PDF, "SHA-256 differs"),
        (published("DOC-1", b"MZ\x90\x00 not a pdf"), b"MZ\x90\x00 not a pdf", "not a PDF"),
        (
            published("DOC-1", PDF, object_key=f"documents/{OTHER}/DOC-1/v1/DOC-1.pdf"),
            PDF,
            "not stored under the document's account",
        ),
    ],
)
def test_files_failing_their_checks_are_refused_without_reaching_the_bucket(
    fact, content: bytes, reason: str
) -> None:
    ports = memory_ports()
    assert take_in(ports, shared_with(fact, content), fact, "c") is IntakeOutcome.REFUSED
    head = ports.documents.current(ACCOUNT, DOC)
    assert head is not None
    assert head.status is VersionStatus.REFUSED
    assert head.reason is not None
    assert reason in head.reason
    assert isinstance(ports.files, MemoryFiles)
    assert not ports.files.objects


def test_a_missing_shared_file_is_refused() -> None:
    ports = memory_ports()
    fact = published("DOC-1", PDF)
    assert take_in(ports, MemorySharedFiles(), fact, "c") is IntakeOutcome.REFUSED


def test_a_published_invoice_replaces_every_version_of_the_generated_one_in_any_order() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, invoice("INV-1"), "c")
    fact = published("INV-DOC-1", PDF, document_type="invoice", related="INV-1")
    take_in(ports, shared_with(fact), fact, "c")
    on_verdict(ports, str(QuarantineKey(ACCOUNT, "published-INV-DOC-1", 1)), CLEAN, [], "c")

    generated = ports.documents.document(ACCOUNT, "invoice-INV-1")
    assert generated is not None
    assert generated.head.status is VersionStatus.WITHDRAWN
    assert generated.head.reason is not None
    assert "Replaced by the document STX published" in (generated.head.reason)
    documents = ports.documents
    assert isinstance(documents, MemoryDocuments)
    assert [e.detail_type for e in documents.outbox][-1] == "DocumentWithdrawn"
    apply_fact(ports, invoice("INV-1", version=2, paid="3555.80"), "c")
    later = ports.documents.version(ACCOUNT, "invoice-INV-1", 2)
    assert later is not None
    assert later.status is VersionStatus.WITHDRAWN


def test_an_invoice_arriving_after_stx_published_its_file_is_rendered_and_withdrawn() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    fact = published("INV-DOC-1", PDF, document_type="invoice", related="INV-1")
    take_in(ports, shared_with(fact), fact, "c")
    on_verdict(ports, str(QuarantineKey(ACCOUNT, "published-INV-DOC-1", 1)), CLEAN, [], "c")
    apply_fact(ports, invoice("INV-1"), "c")
    generated = ports.documents.document(ACCOUNT, "invoice-INV-1")
    assert generated is not None
    assert generated.head.status is VersionStatus.WITHDRAWN


class _WithdrawalCrashes(MemoryDocuments):
    """The first change_status() fails: the function dies after its version was recorded,
    before the replaced document was withdrawn; the queue delivers the message again."""

    crashes: int = 1

    def change_status(self, version: DocumentVersion, to: VersionStatus, **rest: Any) -> bool:
        if self.crashes:
            self.crashes -= 1
            raise RuntimeError("throttled")
        return super().change_status(version, to, **rest)


def _crashing_ports() -> Ports:
    ports = memory_ports()
    return replace(ports, documents=_WithdrawalCrashes())


def test_a_verdict_retried_after_a_crash_still_withdraws_the_replaced_invoice() -> None:
    ports = _crashing_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, invoice("INV-1"), "c")
    fact = published("INV-DOC-1", PDF, document_type="invoice", related="INV-1")
    take_in(ports, shared_with(fact), fact, "c")
    key = str(QuarantineKey(ACCOUNT, "published-INV-DOC-1", 1))
    with pytest.raises(RuntimeError):
        on_verdict(ports, key, CLEAN, [], "c")
    on_verdict(ports, key, CLEAN, [], "c")  # the retry
    generated = ports.documents.document(ACCOUNT, "invoice-INV-1")
    assert generated is not None
    assert generated.head.status is VersionStatus.WITHDRAWN


def test_an_invoice_retried_after_a_crash_is_still_withdrawn_when_stx_published_it() -> None:
    ports = _crashing_ports()
    apply_fact(ports, party(), "c")
    fact = published("INV-DOC-1", PDF, document_type="invoice", related="INV-1")
    take_in(ports, shared_with(fact), fact, "c")
    on_verdict(ports, str(QuarantineKey(ACCOUNT, "published-INV-DOC-1", 1)), CLEAN, [], "c")
    with pytest.raises(RuntimeError):
        apply_fact(ports, invoice("INV-1"), "c")
    apply_fact(ports, invoice("INV-1"), "c")  # the retry
    generated = ports.documents.document(ACCOUNT, "invoice-INV-1")
    assert generated is not None
    assert generated.head.status is VersionStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_name", "../../B/files/statement.pdf"),
        ("file_name", "sub/dir/confirmation.pdf"),
        ("file_name", "..\\..\\confirmation.pdf"),
        ("file_name", "confirmation\r\nX-Injected: 1.pdf"),
        ("file_name", "confirmation\x00.pdf"),
        ("file_name", ""),
        ("file_name", "a" * 5000 + ".pdf"),
        ("issued_on", "0001-01-01"),
        ("issued_on", "9999-12-31"),
        ("reference", "DOC#1"),
        ("related_reference", "STX-T-1#V#0000000001"),
    ],
)
def test_a_hostile_published_value_is_refused_before_anything_is_kept(
    field: str, value: str
) -> None:
    """The contract does not constrain these fields; intake does, before the fact, a
    quarantined file or a version is kept: the event fails like one that cannot be parsed
    (retried, then the subscription's DLQ), and nothing of it reaches the library."""
    ports = memory_ports()
    fact = published("DOC-1", PDF)
    hostile = fact.model_copy(update={"data": {**fact.data, field: value}})
    with pytest.raises(Unprocessable, match=field):
        take_in(ports, shared_with(fact), hostile, "c")
    files, facts = ports.files, ports.facts
    assert isinstance(files, MemoryFiles)
    assert isinstance(facts, MemoryFacts)
    assert files.objects == {}
    assert facts.facts == {}
    assert ports.documents.current(ACCOUNT, "published-DOC-1") is None
    assert ports.documents.current(ACCOUNT, "published-DOC_S1") is None


def test_a_rebuild_counts_a_hostile_published_event_and_goes_on() -> None:
    """Live, such an event went to the DLQ and kept nothing; a replay of provisioning's
    outbox does the same instead of stopping at it."""
    from contracts.events import provisioning as prov
    from services.documents.rebuild import replay

    good, bad = published("DOC-1", PDF), published("DOC-2", PDF)
    bad = bad.model_copy(update={"data": {**bad.data, "issued_on": "9999-12-31"}})
    envelopes = [
        prov.DOCUMENT_PUBLISHED.new(
            prov.DocumentPublished.model_validate(fact.data),
            account_id=ACCOUNT,
            correlation_id="c",
            occurred_at=fact.occurred_at,
        )
        for fact in (bad, good)
    ]
    ports = memory_ports()
    shared = MemorySharedFiles({f.data["object_key"]: PDF for f in (good, bad)})

    outcomes = replay(ports, shared, envelopes)

    assert outcomes == {"unprocessable": 1, IntakeOutcome.QUARANTINED.value: 1}


def test_a_file_published_for_one_account_never_touches_another_accounts_documents() -> None:
    """References are the publisher's, not unique across accounts: a published invoice of
    account A about `INV-1` withdraws A's rendering of INV-1 only, never B's, and the same
    published reference in both accounts is two documents."""
    ports = memory_ports()
    for account in (ACCOUNT, OTHER):
        apply_fact(ports, party(account), "c")
        apply_fact(ports, invoice("INV-1", account=account), "c")
    fact = published("INV-DOC-1", PDF, document_type="invoice", related="INV-1")
    take_in(ports, shared_with(fact), fact, "c")
    on_verdict(ports, str(QuarantineKey(ACCOUNT, "published-INV-DOC-1", 1)), CLEAN, [], "c")

    own, others = (ports.documents.document(a, "invoice-INV-1") for a in (ACCOUNT, OTHER))
    assert own is not None
    assert others is not None
    assert own.head.status is VersionStatus.WITHDRAWN
    assert others.head.status is VersionStatus.AVAILABLE
    assert ports.documents.current(OTHER, "published-INV-DOC-1") is None

    theirs = published("INV-DOC-1", PDF, account=OTHER, document_type="invoice", related="X")
    take_in(ports, shared_with(theirs), theirs, "c")
    on_verdict(ports, str(QuarantineKey(OTHER, "published-INV-DOC-1", 1)), CLEAN, [], "c")
    mine, their_copy = (ports.documents.current(a, "published-INV-DOC-1") for a in (ACCOUNT, OTHER))
    assert mine is not None
    assert their_copy is not None
    assert (mine.related_reference, their_copy.related_reference) == ("INV-1", "X")
    assert mine.object_key.startswith(f"files/{ACCOUNT}/")
    assert their_copy.object_key.startswith(f"files/{OTHER}/")
