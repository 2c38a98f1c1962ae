"""Generated documents: one per entity version, versions supersede, duplicates and any order
change nothing, a fact waits for its counterparty link, unknown fields are tolerated."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.documents.logic import issuing
from services.documents.logic.generation import Outcome, apply_fact
from services.documents.models.domain import DocumentKind, VersionStatus
from services.documents.models.facts import Fact
from tests.unit.documents.documents_factories import (
    ACCOUNT,
    OTHER,
    delivery,
    invoice,
    party,
    retirement,
    trade,
)
from tests.unit.documents.documents_fakes import MemoryDocuments, memory_ports

pytestmark = pytest.mark.unit


def store(ports) -> MemoryDocuments:
    assert isinstance(ports.documents, MemoryDocuments)
    return ports.documents


def test_a_trade_version_gets_its_confirmation_and_a_newer_one_supersedes_it() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    assert apply_fact(ports, trade(version=1), "c") is Outcome.ISSUED
    assert (
        apply_fact(ports, trade(version=2, status="amended", price="2.40"), "c") is Outcome.ISSUED
    )

    document = ports.documents.document(ACCOUNT, "confirmation-STX-T-1")
    assert document is not None
    assert document.head.version == 2
    assert document.head.kind is DocumentKind.TRADE_CONFIRMATION
    assert [(v.version, v.status) for v in document.versions] == [
        (2, VersionStatus.AVAILABLE),
        (1, VersionStatus.SUPERSEDED),
    ]
    assert document.versions[0].sha256 != document.versions[1].sha256
    assert all(v.downloadable for v in document.versions)
    announced = [(e.detail_type, e.data.version) for e in store(ports).outbox]
    assert announced == [("DocumentAvailable", 1), ("DocumentAvailable", 2)]


def test_an_older_version_arriving_late_is_kept_as_superseded_and_not_announced() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, trade(version=2, status="amended"), "c")
    apply_fact(ports, trade(version=1), "c")

    document = ports.documents.document(ACCOUNT, "confirmation-STX-T-1")
    assert document is not None
    assert (document.head.version, document.head.status) == (2, VersionStatus.AVAILABLE)
    assert document.versions[1].status is VersionStatus.SUPERSEDED
    assert [e.data.version for e in store(ports).outbox] == [2]


def test_a_duplicate_changes_nothing() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, trade(), "c")
    before = store(ports).observable(), len(store(ports).outbox)
    assert apply_fact(ports, trade(), "c") is Outcome.UNCHANGED
    assert (store(ports).observable(), len(store(ports).outbox)) == before


def test_a_trade_before_its_counterparty_link_waits_and_is_rendered_when_it_arrives() -> None:
    ports = memory_ports()
    assert apply_fact(ports, trade(), "c") is Outcome.HELD
    assert ports.documents.current(ACCOUNT, "confirmation-STX-T-1") is None
    assert apply_fact(ports, party(), "c") is Outcome.ISSUED
    head = ports.documents.current(ACCOUNT, "confirmation-STX-T-1")
    assert head is not None
    assert head.version == 1


def test_a_cancellation_is_a_confirmation_version_of_its_own() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, trade(), "c")
    apply_fact(ports, trade(version=2, status="cancelled"), "c")
    head = ports.documents.current(ACCOUNT, "confirmation-STX-T-1")
    assert head is not None
    assert head.title == "Trade cancellation confirmation STX-T-1 (version 2)"
    assert head.issued_on.isoformat() == "2026-11-03"  # the cancellation's event date


def test_invoices_credit_notes_and_retirements_get_their_kinds_deliveries_none() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, invoice("INV-1"), "c")
    apply_fact(ports, invoice("CN-1", credit=True), "c")
    apply_fact(ports, retirement("R-1"), "c")
    assert apply_fact(ports, delivery("D-1", "STX-T-1", 10), "c") is Outcome.STORED
    kinds = {d: h.kind for (_, d), h in store(ports).heads.items()}
    assert kinds == {
        "invoice-INV-1": DocumentKind.INVOICE,
        "creditnote-CN-1": DocumentKind.CREDIT_NOTE,
        "redemption-R-1": DocumentKind.REDEMPTION_STATEMENT,
    }


def test_a_paid_invoice_is_a_new_version_of_its_document() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    apply_fact(ports, invoice("INV-1"), "c")
    apply_fact(ports, invoice("INV-1", version=2, paid="3555.80"), "c")
    document = ports.documents.document(ACCOUNT, "invoice-INV-1")
    assert document is not None
    assert [v.version for v in document.versions] == [2, 1]


def test_references_with_slashes_colons_and_underscores_give_distinct_path_safe_ids() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    for reference in ("STX/T:1", "STX_ST_C1"):  # the second is what the first was escaped to
        apply_fact(ports, trade(reference), "c")
    first = ports.documents.current(ACCOUNT, "confirmation-STX_ST_C1")
    second = ports.documents.current(ACCOUNT, "confirmation-STX_UST_UC1")
    assert first is not None
    assert second is not None
    assert (first.related_reference, second.related_reference) == ("STX/T:1", "STX_ST_C1")


def test_fields_added_by_a_newer_event_version_are_ignored_by_the_fold() -> None:
    plain, extended = memory_ports(), memory_ports()
    for ports in (plain, extended):
        apply_fact(ports, party(), "c")
    apply_fact(plain, trade(), "c")
    richer = trade()
    richer = Fact(**{**richer.model_dump(), "data": {**richer.data, "registry_accounts": ["X"]}})
    apply_fact(extended, richer, "c")
    assert store(plain).observable() == store(extended).observable()


def test_a_writer_that_loses_the_race_reads_again_and_a_stuck_one_gives_up() -> None:
    ports = memory_ports()
    apply_fact(ports, party(), "c")
    store(ports).fail_next_issue = 2
    assert apply_fact(ports, trade(), "c") is Outcome.ISSUED
    store(ports).fail_next_issue = issuing.MAX_ATTEMPTS
    with pytest.raises(issuing.IssueContention):
        apply_fact(ports, trade("STX-T-2"), "c")


@st.composite
def histories(draw: st.DrawFn) -> list[Fact]:
    facts = [party(ACCOUNT), party(OTHER)]
    for number in range(draw(st.integers(1, 4))):
        account = draw(st.sampled_from([ACCOUNT, OTHER]))
        reference = f"STX-T-{number}"
        versions = draw(st.integers(1, 3))
        cancel = draw(st.booleans())
        for version in range(1, versions + 1):
            status = "executed" if version == 1 else "amended"
            if cancel and version == versions and version > 1:
                status = "cancelled"
            price = str(draw(st.integers(100, 900)) / 100)
            facts.append(trade(reference, version, account=account, status=status, price=price))
        if draw(st.booleans()):
            facts.append(
                delivery(f"D-{number}", reference, draw(st.integers(1, 50)), account=account)
            )
        if draw(st.booleans()):
            facts.append(invoice(f"INV-{number}", account=account))
            if draw(st.booleans()):
                facts.append(invoice(f"INV-{number}", account=account, version=2, paid="3555.80"))
        if draw(st.booleans()):
            facts.append(retirement(f"R-{number}", account=account))
    return facts


def _key(fact: Fact) -> tuple[str, str, str, int]:
    return (fact.account_id, fact.kind.value, fact.reference, fact.version)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), seed=st.integers(0, 2**32 - 1), duplicates=st.integers(0, 6))
def test_any_order_with_duplicates_gives_the_same_documents_as_the_ordered_history(
    history: list[Fact], seed: int, duplicates: int
) -> None:
    rng = random.Random(seed)
    shuffled = history + [rng.choice(history) for _ in range(duplicates)]
    rng.shuffle(shuffled)
    live, reference = memory_ports(), memory_ports()
    for item in shuffled:
        apply_fact(live, item, "c")
    for item in sorted({_key(f): f for f in history}.values(), key=_key):
        apply_fact(reference, item, "c")
    assert store(live).observable() == store(reference).observable()
