"""Bundles: the documents of a period as one ZIP, for the person who asked, with the kinds
they may read, the same bytes for the same library."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.documents.logic import bundles
from services.documents.logic.ports import ApiPorts, Bundle
from services.documents.models.domain import DocumentKind
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.unit.documents.documents_factories import ACCOUNT
from tests.unit.documents.documents_fakes import MemoryAccess, MemoryDocuments, MemoryFiles
from tests.unit.documents.test_documents_library import library_ports, person

pytestmark = pytest.mark.unit
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


def asked(ports: ApiPorts, who: str = "trader") -> Bundle:
    return bundles.request_bundle(ports, person(who), ACCOUNT, None, *PERIOD, "c")


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
    assert bundle.status == bundles.PENDING
    assert set(bundle.kinds) == {DocumentKind.TRADE_CONFIRMATION, DocumentKind.REDEMPTION_STATEMENT}
    done = built(ports, bundle)
    files = ports.core.files
    assert isinstance(files, MemoryFiles)
    assert done.object_key is not None
    names = zipfile.ZipFile(io.BytesIO(files.get(done.object_key))).namelist()
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
