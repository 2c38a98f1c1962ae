"""Reading the library: who reads which kind (identity's roles), lists that find what
exists, download links, withdrawal by STX, statement runs by SCTS administrators."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from common.access import SCTS_ADMINS_GROUP, UserPrincipal
from common.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from services.documents.logic import library, statements
from services.documents.logic.generation import apply_fact
from services.documents.logic.ports import ApiPorts
from services.documents.logic.statement_figures import Month
from services.documents.models.domain import DocumentKind, VersionStatus
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.unit.documents.documents_factories import (
    ACCOUNT,
    OTHER,
    invoice,
    party,
    retirement,
    trade,
)
from tests.unit.documents.documents_fakes import (
    NOW,
    FixedSigner,
    MemoryAccess,
    MemoryDocuments,
    MemoryRuns,
    PlainCursors,
    memory_ports,
)

pytestmark = pytest.mark.unit


def person(sub: str, *groups: str) -> UserPrincipal:
    return UserPrincipal(sub=sub, username=sub, claims={"cognito:groups": list(groups)})


def library_ports() -> ApiPorts:
    core = memory_ports()
    for fact in (
        party(),
        trade("T-1"),
        trade("T-1", 2, status="amended"),
        trade("T-2", trade_date=date(2026, 10, 1)),
        invoice("INV-1"),
        retirement("R-1"),
        party(OTHER),
        trade("T-9", account=OTHER),
    ):
        apply_fact(core, fact, "c")
    statements.run(core, Month(2026, 11), "c")
    access = core.access
    assert isinstance(access, MemoryAccess)
    for role in RoleName:
        access.member(ACCOUNT, role.value, BUILT_IN_ROLES[role])
    access.member(ACCOUNT, "no-kinds", {"users:read", "users:manage"})
    access.cam(ACCOUNT, "cam")
    access.account(ACCOUNT, "scts-admin")
    access.member(OTHER, "other-trader", BUILT_IN_ROLES[RoleName.TRADER])
    return ApiPorts(core=core, signer=FixedSigner(), cursors=PlainCursors(), runs=MemoryRuns())


def kinds_listed(ports: ApiPorts, who: UserPrincipal) -> set[DocumentKind]:
    page = library.list_documents(ports, who, ACCOUNT, query())
    return {item.kind for item in page.items}


def query(**overrides: object) -> library.ListQuery:
    values: dict[str, object] = {
        "kinds": None,
        "issued_from": None,
        "issued_to": None,
        "related_reference": None,
        "text": None,
        "limit": 50,
        "cursor": None,
    }
    values.update(overrides)
    return library.ListQuery(**values)  # type: ignore[arg-type]


T, INV, R, S = (
    DocumentKind.TRADE_CONFIRMATION,
    DocumentKind.INVOICE,
    DocumentKind.REDEMPTION_STATEMENT,
    DocumentKind.MONTHLY_STATEMENT,
)


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        ("admin", {T, INV, R, S}),
        ("viewer", {T, INV, R, S}),
        ("trader", {T, R}),
        ("finance", {INV}),
        ("cam", {T, INV, R, S}),
    ],
)
def test_each_role_lists_the_kinds_its_areas_cover(who: str, kinds: set[DocumentKind]) -> None:
    assert kinds_listed(library_ports(), person(who)) == kinds


def test_a_member_whose_role_covers_no_kind_gets_403_and_a_stranger_404() -> None:
    ports = library_ports()
    with pytest.raises(Forbidden):
        library.list_documents(ports, person("no-kinds"), ACCOUNT, query())
    with pytest.raises(NotFound):
        library.list_documents(ports, person("other-trader"), ACCOUNT, query())
    with pytest.raises(NotFound):
        library.get_document(ports, person("other-trader"), ACCOUNT, "confirmation-T-1")


def test_naming_a_kind_one_may_not_read_is_403_not_an_empty_list() -> None:
    with pytest.raises(Forbidden, match=r"^Reading an invoice needs billing:read\.$"):
        library.list_documents(library_ports(), person("trader"), ACCOUNT, query(kinds=(INV,)))


def test_filters_by_kind_period_reference_and_title_text() -> None:
    ports = library_ports()
    admin = person("admin")

    def ids(**filters: object) -> list[str]:
        page = library.list_documents(ports, admin, ACCOUNT, query(**filters))
        return [item.document_id for item in page.items]

    assert ids(kinds=(T,)) == ["confirmation-T-1", "confirmation-T-2"]
    assert ids(issued_from=date(2026, 11, 4)) == [
        "statement-2026-11",
        "redemption-R-1",
        "invoice-INV-1",
    ]
    assert ids(issued_to=date(2026, 10, 31)) == ["confirmation-T-2"]
    assert ids(related_reference="T-1") == ["confirmation-T-1"]
    assert ids(text="redemption") == ["redemption-R-1"]


def test_pages_are_newest_first_and_a_cursor_continues_only_its_own_list() -> None:
    ports = library_ports()
    admin = person("admin")
    everything = library.list_documents(ports, admin, ACCOUNT, query()).items
    seen, cursor = [], None
    while True:
        page = library.list_documents(ports, admin, ACCOUNT, query(limit=2, cursor=cursor))
        assert page.items, "never an empty page with a cursor"
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [v.document_id for v in seen] == [v.document_id for v in everything]
    assert [library.sort_key(v) for v in seen] == sorted(
        (library.sort_key(v) for v in seen), reverse=True
    )
    first = library.list_documents(ports, admin, ACCOUNT, query(limit=1))
    with pytest.raises(InvalidInput):
        library.list_documents(ports, person("viewer"), ACCOUNT, query(cursor=first.next_cursor))


def test_a_filter_finding_nothing_within_the_read_budget_is_413(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ports = library_ports()
    monkeypatch.setattr(library, "READ_BUDGET", 1)
    with pytest.raises(TooLarge):
        library.list_documents(ports, person("admin"), ACCOUNT, query(kinds=(T,), text="zzz"))


def test_a_download_link_is_for_one_version_for_at_most_five_minutes() -> None:
    ports = library_ports()
    link = library.download_link(ports, person("trader"), ACCOUNT, "confirmation-T-1", None)
    assert link.version is not None
    assert link.version.version == 2
    assert timedelta(0) < link.expires_at - NOW <= timedelta(minutes=5)
    older = library.download_link(ports, person("trader"), ACCOUNT, "confirmation-T-1", 1)
    assert older.version is not None
    assert older.version.status is VersionStatus.SUPERSEDED
    signer = ports.signer
    assert isinstance(signer, FixedSigner)
    assert [key for key, _ in signer.signed] == [link.version.object_key, older.version.object_key]


def test_download_refusals() -> None:
    ports = library_ports()
    with pytest.raises(Forbidden):
        library.download_link(ports, person("trader"), ACCOUNT, "invoice-INV-1", None)
    with pytest.raises(NotFound):
        library.download_link(ports, person("other-trader"), ACCOUNT, "invoice-INV-1", None)
    with pytest.raises(NotFound):
        library.download_link(ports, person("finance"), ACCOUNT, "invoice-INV-1", 9)


def test_stx_withdraws_a_document_the_record_stays_and_downloads_stop() -> None:
    ports = library_ports()
    admin = person("scts-admin", SCTS_ADMINS_GROUP)
    for who, error in (("admin", Forbidden), ("trader", Forbidden), ("cam", Forbidden)):
        with pytest.raises(error):
            library.withdraw(ports, person(who), ACCOUNT, "confirmation-T-1", "wrong", "c")
    with pytest.raises(NotFound):
        library.withdraw(ports, admin, OTHER, "confirmation-T-9", "wrong account", "c")
    document = library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")
    assert document.head.status is VersionStatus.WITHDRAWN
    assert {v.status for v in document.versions} == {VersionStatus.WITHDRAWN}
    assert all(
        v.changed_by == "scts-admin" and v.reason == "Issued in error" for v in document.versions
    )
    documents = ports.core.documents
    assert isinstance(documents, MemoryDocuments)
    assert [e.detail_type for e in documents.outbox[-2:]] == ["DocumentWithdrawn"] * 2
    with pytest.raises(Conflict):
        library.download_link(ports, person("trader"), ACCOUNT, "confirmation-T-1", None)
    listed = library.list_documents(ports, person("trader"), ACCOUNT, query(kinds=(T,)))
    assert VersionStatus.WITHDRAWN in {item.status for item in listed.items}
    with pytest.raises(Conflict):
        library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "again", "c")


def test_a_version_arriving_after_the_withdrawal_but_older_than_the_head_is_withdrawn() -> None:
    ports = library_ports()
    apply_fact(ports.core, trade("T-1", 4, status="amended"), "c")
    admin = person("scts-admin", SCTS_ADMINS_GROUP)
    library.withdraw(ports, admin, ACCOUNT, "confirmation-T-1", "Issued in error", "c")
    apply_fact(ports.core, trade("T-1", 3, status="amended"), "c")  # late
    late = ports.core.documents.version(ACCOUNT, "confirmation-T-1", 3)
    assert late is not None
    assert (late.status, late.reason) == (VersionStatus.WITHDRAWN, "Issued in error")
    with pytest.raises(Conflict):
        library.download_link(ports, person("trader"), ACCOUNT, "confirmation-T-1", 3)


def test_only_scts_administrators_start_statement_runs_for_ended_months() -> None:
    ports = library_ports()
    with pytest.raises(Forbidden):
        library.request_statement_run(ports, person("admin"), "2026-11", "c")
    for unended in ("2026-12", "9999-12"):  # the last month of the calendar ends never
        with pytest.raises(InvalidInput):
            library.request_statement_run(ports, person("a", SCTS_ADMINS_GROUP), unended, "c")
    assert library.request_statement_run(ports, person("a", SCTS_ADMINS_GROUP), "2026-10", "c")
    runs = ports.runs
    assert isinstance(runs, MemoryRuns)
    assert runs.messages[0]["month"] == "2026-10"


def test_the_access_facts_are_read_once_per_request() -> None:
    ports = library_ports()
    access = ports.core.access
    assert isinstance(access, MemoryAccess)
    access.reads = 0
    library.list_documents(ports, person("finance"), ACCOUNT, query())
    assert access.reads == 1
