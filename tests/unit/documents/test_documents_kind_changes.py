"""A document's kind never changes between its versions: the first version recorded fixes
it, a version published as another kind is refused (recorded, as its document's kind) and
every read path (detail, list, download, bundles, withdrawal) sees one kind."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest

from common.access import SCTS_ADMINS_GROUP
from common.errors import Conflict, Forbidden
from services.documents.logic import bundles, library
from services.documents.logic.generation import apply_fact
from services.documents.logic.intake import CLEAN, IntakeOutcome, QuarantineKey, on_verdict, take_in
from services.documents.logic.ports import FAILED, ApiPorts, Ports
from services.documents.models.domain import DocumentKind, VersionStatus
from services.documents.models.facts import Fact, FactKind
from tests.unit.documents.documents_factories import ACCOUNT, invoice, party, published
from tests.unit.documents.documents_fakes import (
    MemoryDocuments,
    MemoryFiles,
    MemorySharedFiles,
    memory_ports,
)
from tests.unit.documents.test_documents_library import library_ports, person, query

pytestmark = pytest.mark.unit
PDF = b"%PDF-1.4\n% an STX document\n%%EOF\n"
DOC = "published-DOC-9"
INVOICE, CONFIRMATION = "invoice", "trade_confirmation"
KIND_CHANGE = "published as a trade confirmation, but this document is an invoice"


def version_fact(version: int, document_type: str, related: str | None) -> Fact:
    return published("DOC-9", PDF, version=version, document_type=document_type, related=related)


def sent(
    ports: Ports, version: int, document_type: str, related: str | None = None
) -> IntakeOutcome:
    fact = version_fact(version, document_type, related or f"REL-{version}")
    return take_in(ports, MemorySharedFiles({fact.data["object_key"]: PDF}), fact, "c")


def scanned(ports: Ports, version: int) -> IntakeOutcome:
    return on_verdict(ports, str(QuarantineKey(ACCOUNT, DOC, version)), CLEAN, [], "c")


def publish(ports: Ports, version: int, document_type: str) -> None:
    assert sent(ports, version, document_type) is IntakeOutcome.QUARANTINED
    assert scanned(ports, version) is IntakeOutcome.PUBLISHED


def kinds_of_versions(ports: Ports) -> set[DocumentKind]:
    document = ports.documents.document(ACCOUNT, DOC)
    assert document is not None
    return {document.head.kind, *(v.kind for v in document.versions)}


def file_keys(ports: Ports) -> list[str]:
    files = ports.files
    assert isinstance(files, MemoryFiles)
    return sorted(files.objects)


def test_a_version_published_as_another_kind_is_refused_and_never_quarantined() -> None:
    ports = memory_ports()
    publish(ports, 1, INVOICE)
    first = ports.documents.current(ACCOUNT, DOC)
    assert first is not None

    assert sent(ports, 2, CONFIRMATION) is IntakeOutcome.REFUSED
    assert ports.documents.current(ACCOUNT, DOC) == first
    refused = ports.documents.version(ACCOUNT, DOC, 2)
    assert refused is not None
    assert refused.status is VersionStatus.REFUSED
    assert refused.reason is not None
    assert KIND_CHANGE in refused.reason
    assert (refused.kind, refused.title, refused.related_reference) == (
        first.kind, first.title, first.related_reference,
    )  # fmt: skip
    assert kinds_of_versions(ports) == {DocumentKind.INVOICE}
    assert file_keys(ports) == [first.object_key]  # nothing quarantined
    assert ports.facts.get(ACCOUNT, FactKind.PUBLISHED, "DOC-9", 2) is not None


def test_a_late_older_version_of_another_kind_is_refused_too() -> None:
    ports = memory_ports()
    publish(ports, 2, CONFIRMATION)
    assert sent(ports, 1, INVOICE) is IntakeOutcome.REFUSED
    late = ports.documents.version(ACCOUNT, DOC, 1)
    assert late is not None
    assert late.status is VersionStatus.REFUSED
    assert kinds_of_versions(ports) == {DocumentKind.TRADE_CONFIRMATION}


def test_of_two_waiting_versions_of_different_kinds_the_later_verdict_is_refused() -> None:
    ports = memory_ports()
    assert sent(ports, 1, INVOICE) is IntakeOutcome.QUARANTINED
    assert sent(ports, 2, CONFIRMATION) is IntakeOutcome.QUARANTINED
    assert scanned(ports, 1) is IntakeOutcome.PUBLISHED
    assert scanned(ports, 2) is IntakeOutcome.REFUSED

    head = ports.documents.current(ACCOUNT, DOC)
    assert head is not None
    assert (head.version, head.kind) == (1, DocumentKind.INVOICE)
    assert kinds_of_versions(ports) == {DocumentKind.INVOICE}
    assert file_keys(ports) == [head.object_key]
    documents = ports.documents
    assert isinstance(documents, MemoryDocuments)
    assert [e.data.version for e in documents.outbox] == [1]


def test_a_verdict_meeting_another_kind_recorded_meanwhile_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ports = memory_ports()
    assert sent(ports, 2, CONFIRMATION) is IntakeOutcome.QUARANTINED
    publish(ports, 1, INVOICE)
    documents = ports.documents
    real_current = documents.current
    stale = [None]  # the verdict's first read of the head is from before version 1 existed

    def stale_current(account_id: str, document_id: str) -> Any:
        return stale.pop() if stale else real_current(account_id, document_id)

    monkeypatch.setattr(documents, "current", stale_current)
    assert scanned(ports, 2) is IntakeOutcome.REFUSED
    assert kinds_of_versions(ports) == {DocumentKind.INVOICE}
    head = real_current(ACCOUNT, DOC)
    assert head is not None
    assert file_keys(ports) == [head.object_key]  # the copy made for version 2 is deleted


def library_with_a_refused_kind_change() -> ApiPorts:
    ports = library_ports()
    publish(ports.core, 1, INVOICE)
    sent(ports.core, 2, CONFIRMATION)
    scanned(ports.core, 2)
    return ports


def listed(ports: ApiPorts, who: str) -> set[str]:
    page = library.list_documents(ports, person(who), ACCOUNT, query())
    return {item.document_id for item in page.items}


def test_after_a_refused_kind_change_every_read_path_sees_one_kind() -> None:
    ports = library_with_a_refused_kind_change()
    trader, finance = person("trader"), person("finance")
    for version in (None, 1, 2):
        with pytest.raises(Forbidden):
            library.download_link(ports, trader, ACCOUNT, DOC, version)
    with pytest.raises(Forbidden):
        library.get_document(ports, trader, ACCOUNT, DOC)
    assert DOC not in listed(ports, "trader")

    document = library.get_document(ports, finance, ACCOUNT, DOC)
    assert [(v.version, v.status) for v in document.versions] == [
        (2, VersionStatus.REFUSED),
        (1, VersionStatus.AVAILABLE),
    ]
    assert DOC in listed(ports, "finance")
    assert library.download_link(ports, finance, ACCOUNT, DOC, None).version == document.head
    with pytest.raises(Conflict):
        library.download_link(ports, finance, ACCOUNT, DOC, 2)


def bundle_names(ports: ApiPorts, who: str) -> list[str]:
    asked = bundles.request_bundle(
        ports, person(who), ACCOUNT, None, date(2026, 1, 1), date(2026, 12, 31), "c"
    )
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    event = next(
        e
        for e in documents.outbox
        if e.detail_type == "BundleRequested" and e.data.bundle_id == asked.bundle_id
    )
    done = bundles.build(ports.core, event)
    assert done is not None
    assert done.object_key is not None
    files = ports.core.files
    assert isinstance(files, MemoryFiles)
    return zipfile.ZipFile(io.BytesIO(files.get(done.object_key))).namelist()


def test_a_withdrawal_voids_the_bundles_holding_the_document_of_its_one_kind() -> None:
    ports = library_ports()
    publish(ports.core, 1, INVOICE)
    assert "invoice/2026-11-10_DOC-9.pdf" in bundle_names(ports, "finance")
    assert all("DOC-9" not in name for name in bundle_names(ports, "trader"))
    sent(ports.core, 2, CONFIRMATION)
    scanned(ports.core, 2)
    admin = person("scts-admin", SCTS_ADMINS_GROUP)
    library.withdraw(ports, admin, ACCOUNT, DOC, "Issued in error", "c")
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    finance_bundles = [b for b in documents.bundles(ACCOUNT) if b.requested_by == "finance"]
    assert [b.status for b in finance_bundles] == [FAILED]


def test_a_refused_invoice_version_replaces_no_generated_invoice() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    publish(ports, 1, CONFIRMATION)
    sent(ports, 2, INVOICE, related="INV-1")
    scanned(ports, 2)
    apply_fact(ports, invoice("INV-1"), "c")
    generated = ports.documents.current(ACCOUNT, "invoice-INV-1")
    assert generated is not None
    assert generated.status is VersionStatus.AVAILABLE
