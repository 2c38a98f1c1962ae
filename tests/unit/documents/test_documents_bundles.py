"""Bundles: the documents of a period as one ZIP, for the person who asked, with the kinds
they may read, the same bytes for the same library."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import pytest

from common.access import SCTS_ADMINS_GROUP
from common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.documents.logic import bundles, library
from services.documents.logic.generation import apply_fact
from services.documents.logic.ports import PENDING, ApiPorts, Bundle
from services.documents.models.domain import DocumentKind
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.unit.documents.documents_factories import ACCOUNT, invoice
from tests.unit.documents.documents_fakes import NOW, MemoryAccess, MemoryDocuments, MemoryFiles
from tests.unit.documents.test_documents_library import library_ports, person

pytestmark = pytest.mark.unit
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


def asked(ports: ApiPorts, who: str = "trader") -> Bundle:
    return bundles.request_bundle(ports, person(who), ACCOUNT, None, *PERIOD, "c")


def built_zip(ports: ApiPorts, bundle: Bundle) -> zipfile.ZipFile:
    """The ZIP the bundler wrote for `bundle`."""
    done = built(ports, bundle)
    files = ports.core.files
    assert isinstance(files, MemoryFiles)
    assert done.object_key is not None
    return zipfile.ZipFile(io.BytesIO(files.get(done.object_key)))


def built(ports: ApiPorts, bundle: Bundle) -> Bundle:
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    event = next(e for e in documents.outbox if e.detail_type == "BundleRequested")
    assert event.data.bundle_id == bundle.bundle_id
    done = bundles.build(ports.core, event)
    assert done is not None
    return done


def test_a_bundle_holds_the_current_documents_of_the_kinds_its_owner_may_read() -> None:
    ports = library_ports()
    bundle = asked(ports)
    assert bundle.status == PENDING
    assert set(bundle.kinds) == {DocumentKind.TRADE_CONFIRMATION, DocumentKind.REDEMPTION_STATEMENT}
    names = built_zip(ports, bundle).namelist()
    done = bundles.get_bundle(ports, person("trader"), ACCOUNT, bundle.bundle_id)
    assert done.object_key is not None
    assert sorted(names) == [
        "redemption_statement/2026-11-25_redemption-R-1.pdf",
        "trade_confirmation/2026-10-01_confirmation-T-2.pdf",
        "trade_confirmation/2026-11-03_confirmation-T-1-v2.pdf",
    ]
    assert done.document_count == 3
    link, _ = bundles.bundle_link(ports, person("trader"), ACCOUNT, bundle.bundle_id)
    assert done.object_key in link.url


def test_the_same_library_gives_the_same_zip() -> None:
    first, second = library_ports(), library_ports()
    a, b = built(first, asked(first)), built(second, asked(second))
    assert a.sha256 == b.sha256


def test_only_its_owner_sees_a_bundle_and_only_while_they_may_read_its_kinds() -> None:
    ports = library_ports()
    bundle = built(ports, asked(ports))
    with pytest.raises(NotFound):
        bundles.get_bundle(ports, person("viewer"), ACCOUNT, bundle.bundle_id)
    access = ports.core.access
    assert isinstance(access, MemoryAccess)
    access.member(ACCOUNT, "trader", BUILT_IN_ROLES[RoleName.FINANCE])
    with pytest.raises(Forbidden):
        bundles.bundle_link(ports, person("trader"), ACCOUNT, bundle.bundle_id)


def test_a_pending_bundle_has_no_link_and_a_period_is_bounded() -> None:
    ports = library_ports()
    bundle = asked(ports)
    with pytest.raises(Conflict):
        bundles.bundle_link(ports, person("trader"), ACCOUNT, bundle.bundle_id)
    with pytest.raises(InvalidInput):
        bundles.request_bundle(
            ports, person("trader"), ACCOUNT, None, date(2025, 1, 1), date(2026, 6, 1), "c"
        )
    with pytest.raises(InvalidInput):
        bundles.request_bundle(
            ports, person("trader"), ACCOUNT, None, date(2026, 6, 1), date(2026, 1, 1), "c"
        )


def test_past_its_expiry_a_bundle_is_not_found_before_the_ttl_deletes_it() -> None:
    ports = library_ports()
    bundle = built(ports, asked(ports))
    later = replace(ports, core=replace(ports.core, clock=lambda: bundle.expires_at))
    with pytest.raises(NotFound):
        bundles.get_bundle(later, person("trader"), ACCOUNT, bundle.bundle_id)
    with pytest.raises(NotFound):
        bundles.bundle_link(later, person("trader"), ACCOUNT, bundle.bundle_id)


def test_a_withdrawal_voids_the_bundles_that_may_hold_the_document() -> None:
    ports = library_ports()
    ready = built(ports, asked(ports))
    pending = asked(ports)
    finance = bundles.request_bundle(
        ports, person("finance"), ACCOUNT, (DocumentKind.INVOICE,), *PERIOD, "c"
    )
    admin = person("scts-admin", SCTS_ADMINS_GROUP)
    library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")

    with pytest.raises(Conflict, match="failed"):
        bundles.bundle_link(ports, person("trader"), ACCOUNT, ready.bundle_id)
    voided = bundles.get_bundle(ports, person("trader"), ACCOUNT, ready.bundle_id)
    assert voided.reason is not None
    assert "withdrawn" in voided.reason
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    event = next(
        e
        for e in documents.outbox
        if e.detail_type == "BundleRequested" and e.data.bundle_id == pending.bundle_id
    )
    assert bundles.build(ports.core, event) is None  # was being built: not finished as ready
    assert bundles.get_bundle(ports, person("finance"), ACCOUNT, finance.bundle_id).status == (
        PENDING  # invoices only: it cannot hold a trade confirmation
    )


def test_two_documents_with_one_file_name_are_both_in_the_zip() -> None:
    ports = library_ports()
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    for document_id in ("confirmation-T-1", "confirmation-T-2"):
        head = documents.current(ACCOUNT, document_id)
        assert head is not None
        same = replace(head, file_name="Confirmation.pdf", issued_on=date(2026, 11, 10))
        documents.versions[(ACCOUNT, document_id, head.version)] = same
        documents.heads[(ACCOUNT, document_id)] = same
    names = built_zip(ports, asked(ports)).namelist()
    assert sorted(n for n in names if n.startswith("trade_confirmation/")) == [
        "trade_confirmation/2026-11-10_Confirmation (2).pdf",
        "trade_confirmation/2026-11-10_Confirmation.pdf",
    ]


def test_a_period_without_documents_fails_with_the_reason_not_an_empty_zip() -> None:
    ports = library_ports()
    bundle = bundles.request_bundle(
        ports, person("trader"), ACCOUNT, None, date(2025, 1, 1), date(2025, 12, 31), "c"
    )
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    event = next(e for e in documents.outbox if e.detail_type == "BundleRequested")
    assert bundles.build(ports.core, event) is None
    failed = bundles.get_bundle(ports, person("trader"), ACCOUNT, bundle.bundle_id)
    assert (failed.status, failed.reason) == (
        "failed",
        "no document of these kinds was issued in the period: nothing to bundle",
    )


class _VoidingCrashes(MemoryDocuments):
    """The first void_bundle() fails (the function dies between the withdrawal's own
    writes and the voiding of its bundles)."""

    crashes: int = 1

    def void_bundle(self, bundle: Bundle, reason: str) -> None:
        if self.crashes:
            self.crashes -= 1
            raise RuntimeError("throttled")
        super().void_bundle(bundle, reason)


def test_a_withdrawal_retried_after_a_crash_before_its_bundles_were_voided_voids_them() -> None:
    ports = library_ports()
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    crashing = _VoidingCrashes(**vars(documents))
    ports = replace(ports, core=replace(ports.core, documents=crashing))
    ready = built(ports, asked(ports))
    admin = person("scts-admin", SCTS_ADMINS_GROUP)
    with pytest.raises(RuntimeError):
        library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")

    with pytest.raises(Conflict):  # the retry: nothing left to withdraw...
        library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")
    with pytest.raises(Conflict, match="failed"):  # ...but the bundle holding it is void
        bundles.bundle_link(ports, person("trader"), ACCOUNT, ready.bundle_id)
    after = replace(ports, core=replace(ports.core, clock=lambda: NOW + timedelta(minutes=1)))
    later = bundles.request_bundle(after, person("trader"), ACCOUNT, None, *PERIOD, "c")
    with pytest.raises(Conflict):  # asked after the withdrawal: it cannot hold it
        library.withdraw(after, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")
    assert bundles.get_bundle(after, person("trader"), ACCOUNT, later.bundle_id).status == PENDING


def test_a_document_issued_before_1980_is_bundled_not_a_poison_message() -> None:
    ports = library_ports()
    apply_fact(ports.core, invoice("INV-OLD", issue=date(1979, 12, 31)), "c")
    bundle = bundles.request_bundle(
        ports, person("finance"), ACCOUNT, None, date(1979, 6, 1), date(1980, 5, 31), "c"
    )
    entries = built_zip(ports, bundle).infolist()
    assert [(e.filename, e.date_time[:3]) for e in entries] == [
        ("invoice/1979-12-31_invoice-INV-OLD.pdf", (1980, 1, 1))  # ZIP's earliest
    ]


@pytest.mark.parametrize(
    "file_name",
    ["../../../etc/cron.d/evil.pdf", "/abs/evil.pdf", "dir\\..\\evil.pdf", "a\x00b.pdf"],
)
def test_a_file_name_with_path_separators_stays_one_entry_in_its_kind_folder(
    file_name: str,
) -> None:
    """Publishers choose file names (checked at provisioning's ingest, not by this event's
    contract): unzipping a bundle never writes outside the folder of the document's kind."""
    ports = library_ports()
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    head = documents.current(ACCOUNT, "confirmation-T-1")
    assert head is not None
    hostile = replace(head, file_name=file_name)
    documents.versions[(ACCOUNT, "confirmation-T-1", head.version)] = hostile
    documents.heads[(ACCOUNT, "confirmation-T-1")] = hostile
    names = built_zip(ports, asked(ports)).namelist()
    for name in names:
        folder, _, entry = name.partition("/")
        assert folder in {k.value for k in DocumentKind}, name
        assert entry, name
        assert not set(entry) & {"/", "\\", "\x00"}, name
        assert ".." not in name.split("/"), name
    assert len(names) == 3


def test_a_document_issued_after_2107_is_bundled_not_a_poison_message() -> None:
    """ZIP's entry times end with 2107, as they start with 1980 (publishers choose the
    issued date of their documents)."""
    ports = library_ports()
    apply_fact(ports.core, invoice("INV-FAR", issue=date(2150, 6, 30)), "c")
    bundle = bundles.request_bundle(
        ports, person("finance"), ACCOUNT, None, date(2150, 1, 1), date(2150, 12, 31), "c"
    )
    entries = built_zip(ports, bundle).infolist()
    assert [(e.filename, e.date_time[:3]) for e in entries] == [
        ("invoice/2150-06-30_invoice-INV-FAR.pdf", (2107, 12, 31))  # ZIP's latest
    ]
