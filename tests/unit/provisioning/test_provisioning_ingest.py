"""Batch ingest rules against an in-memory store: lifecycle, idempotency, accounts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.ingest import IngestContext, counts, ingest
from services.provisioning.models.publishers import Publisher
from services.provisioning.models.records import RecordKind
from tests.support.provisioning_fakes import InMemoryRecordStore

pytestmark = pytest.mark.unit

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def publisher(publisher_id: str = "pub-stx", accounts: frozenset[str] | None = None) -> Publisher:
    return Publisher(
        publisher_id=publisher_id,
        name="STX trading",
        account_ids=accounts,
        created_at=NOW,
        created_by="admin",
    )


def context(who: Publisher | None = None) -> IngestContext:
    return IngestContext(publisher=who or publisher(), correlation_id="req-1", clock=lambda: NOW)


CP1 = "STX-CP-0001"


def store() -> InMemoryRecordStore:
    return InMemoryRecordStore(accounts={"acc-1", "acc-2"}, links={"STX-CP-0001": "acc-1"})


def run(
    kind: RecordKind,
    records: list[Any],
    target: InMemoryRecordStore,
    *,
    who: Publisher | None = None,
    dry_run: bool = False,
) -> list[Any]:
    return ingest(kind, enumerate(records), target, context(who), dry_run=dry_run)


def outcomes(results: list[Any]) -> list[str]:
    return [r.outcome.value for r in results]


def test_mixed_batch_applies_the_valid_records_and_explains_the_rest() -> None:
    target = store()
    bad_total = testdata.trade("STX-T-2")
    bad_total["total"] = "1.00"
    unknown_cp = testdata.trade("STX-T-3", "STX-CP-9999")
    results = run(
        RecordKind.TRADES,
        [testdata.trade("STX-T-1"), bad_total, unknown_cp, "junk", testdata.trade("STX-T-4")],
        target,
    )
    assert outcomes(results) == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    assert results[1].errors[0].field == "total"
    assert results[2].errors[0].field == "counterparty_reference"
    assert "unknown counterparty" in results[2].errors[0].reason
    assert [e.detail_type for e in target.outbox] == ["TradeExecuted", "TradeExecuted"]
    assert counts(results) == {"accepted": 2, "duplicate": 0, "rejected": 3}


def test_same_record_twice_is_applied_once_and_reported_duplicate() -> None:
    target = store()
    first = run(RecordKind.TRADES, [testdata.trade()], target)
    again = run(RecordKind.TRADES, [testdata.trade()], target)
    assert outcomes(first) == ["accepted"]
    assert outcomes(again) == ["duplicate"]
    assert again[0].reason == "already applied"
    assert len(target.outbox) == 1


def test_same_record_twice_in_one_batch() -> None:
    target = store()
    results = run(RecordKind.TRADES, [testdata.trade(), testdata.trade()], target)
    assert outcomes(results) == ["accepted", "duplicate"]
    assert len(target.outbox) == 1


def test_amendment_with_higher_version_is_applied() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade()], target)
    results = run(
        RecordKind.TRADES, [testdata.trade(version=2, status="amended", volume="99")], target
    )
    assert outcomes(results) == ["accepted"]
    assert [e.detail_type for e in target.outbox] == ["TradeExecuted", "TradeAmended"]
    assert target.outbox[1].data.version == 2


def test_stale_amendment_is_never_applied() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade(), testdata.trade(version=3, status="amended")], target)
    results = run(RecordKind.TRADES, [testdata.trade(version=2, status="amended")], target)
    assert outcomes(results) == ["duplicate"]
    assert "stale" in (results[0].reason or "")
    assert [e.data.version for e in target.outbox] == [1, 3]


def test_reordered_versions_in_one_batch_keep_the_newest() -> None:
    target = store()
    results = run(
        RecordKind.TRADES,
        [
            testdata.trade(),
            testdata.trade(version=3, status="amended"),
            testdata.trade(version=2, status="amended"),
        ],
        target,
    )
    assert outcomes(results) == ["accepted", "accepted", "duplicate"]
    assert target.states[(RecordKind.TRADES, "STX-T-000001")].version == 3


def test_same_version_with_different_content_is_a_conflict() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade()], target)
    results = run(RecordKind.TRADES, [testdata.trade(volume="7")], target)
    assert outcomes(results) == ["rejected"]
    assert results[0].errors[0].field == "version"


def test_nothing_follows_a_cancellation() -> None:
    target = store()
    run(
        RecordKind.TRADES, [testdata.trade(), testdata.trade(version=2, status="cancelled")], target
    )
    results = run(RecordKind.TRADES, [testdata.trade(version=3, status="amended")], target)
    assert outcomes(results) == ["rejected"]
    assert "cancelled: nothing may follow" in results[0].errors[0].reason
    assert [e.detail_type for e in target.outbox] == ["TradeExecuted", "TradeCancelled"]


def test_amending_an_unknown_trade_is_rejected() -> None:
    results = run(RecordKind.TRADES, [testdata.trade(version=2, status="amended")], store())
    assert outcomes(results) == ["rejected"]
    assert results[0].errors[0].field == "status"


def test_executing_a_known_trade_again_is_rejected() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade()], target)
    results = run(RecordKind.TRADES, [testdata.trade(version=2)], target)
    assert outcomes(results) == ["rejected"]
    assert "already executed" in results[0].errors[0].reason


def held(target: InMemoryRecordStore) -> InMemoryRecordStore:
    """A buy of 1,200 GO certificates delivered into the account, so it can retire them."""
    run(RecordKind.TRADES, [testdata.trade()], target)
    run(RecordKind.DELIVERIES, [testdata.delivery()], target)
    target.outbox.clear()
    return target


def test_a_retirement_is_immutable_once_completed() -> None:
    target = held(store())
    run(RecordKind.RETIREMENTS, [testdata.retirement()], target)
    results = run(RecordKind.RETIREMENTS, [testdata.retirement(version=2)], target)
    assert outcomes(results) == ["rejected"]
    assert [e.detail_type for e in target.outbox] == ["RetirementCompleted"]


def test_another_publishers_entity_cannot_be_overwritten() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade()], target)
    results = run(
        RecordKind.TRADES,
        [testdata.trade(version=2, status="amended")],
        target,
        who=publisher("pub-other"),
    )
    assert outcomes(results) == ["rejected"]
    assert results[0].errors[0].field == "status"  # answered as an unknown reference
    assert [e.detail_type for e in target.outbox] == ["TradeExecuted"]


def test_publisher_feeds_only_its_accounts() -> None:
    target = store()
    target.links["STX-CP-0002"] = "acc-2"
    only_acc_1 = publisher(accounts=frozenset({"acc-1"}))
    results = run(
        RecordKind.TRADES,
        [testdata.trade("STX-T-1"), testdata.trade("STX-T-2", "STX-CP-0002")],
        target,
        who=only_acc_1,
    )
    assert outcomes(results) == ["accepted", "rejected"]
    unknown = run(RecordKind.TRADES, [testdata.trade("STX-T-3", "STX-CP-9999")], target)
    assert results[1].errors == unknown[0].errors  # the same answer as an unknown counterparty


def test_records_sharing_a_reference_are_each_filed_under_their_own_account() -> None:
    """Issue 11 #6: two records with one reference in one batch, one naming another
    account's counterparty: each record's account comes from that record alone."""
    target = store()
    target.links["STX-CP-0002"] = "acc-2"
    only_acc_1 = publisher(accounts=frozenset({"acc-1"}))
    for batch in (
        [testdata.trade("STX-T-1", "STX-CP-0002"), testdata.trade("STX-T-1")],
        [testdata.trade("STX-T-2"), testdata.trade("STX-T-2", "STX-CP-0002")],
    ):
        results = run(RecordKind.TRADES, batch, target, who=only_acc_1)
        naming_acc_2 = next(i for i, r in enumerate(batch) if r["counterparty_reference"] != CP1)
        assert results[naming_acc_2].outcome.value == "rejected"
        assert results[naming_acc_2].errors[0].field == "counterparty_reference"
    everyone = publisher()
    results = run(
        RecordKind.TRADES,
        [testdata.trade("STX-T-3"), testdata.trade("STX-T-3", "STX-CP-0002")],
        target,
        who=everyone,
    )
    assert outcomes(results)[0] == "accepted"
    for event in target.outbox:
        assert target.links[event.data.counterparty_reference] == event.account_id, event.data


def test_a_later_version_never_moves_a_record_to_another_account() -> None:
    target = store()
    target.links["STX-CP-0002"] = "acc-2"
    assert outcomes(run(RecordKind.TRADES, [testdata.trade("STX-T-1")], target)) == ["accepted"]
    moved = testdata.trade("STX-T-1", "STX-CP-0002", version=2, status="amended")
    results = run(RecordKind.TRADES, [moved], target)
    assert outcomes(results) == ["rejected"]
    assert results[0].errors[0].field == "counterparty_reference"
    assert [e.account_id for e in target.outbox] == ["acc-1"]


def test_another_publishers_reference_is_answered_as_unknown() -> None:
    """Issue 11 #10: an amendment of another publisher's trade gets the answer an unknown
    reference gets; a first version names no owner."""
    target = store()
    run(RecordKind.TRADES, [testdata.trade("STX-T-1")], target)
    amend = testdata.trade("STX-T-1", version=2, status="amended")
    theirs = run(RecordKind.TRADES, [amend], target, who=publisher("pub-other"))
    nobody = run(
        RecordKind.TRADES,
        [testdata.trade("STX-T-404", version=2, status="amended")],
        target,
        who=publisher("pub-other"),
    )
    assert theirs[0].errors[0].field == nobody[0].errors[0].field == "status"
    assert theirs[0].errors[0].reason == nobody[0].errors[0].reason.replace("404", "1")
    first = run(RecordKind.TRADES, [testdata.trade("STX-T-1")], target, who=publisher("pub-x"))
    assert "publisher" not in first[0].errors[0].reason


def test_counterparty_links_known_accounts_only() -> None:
    target = store()
    results = run(
        RecordKind.COUNTERPARTIES,
        [
            testdata.counterparty("STX-CP-0002", "acc-2", "Saigon Solar JSC"),
            testdata.counterparty("STX-CP-0003", "acc-404", "Nobody Ltd"),
        ],
        target,
    )
    assert outcomes(results) == ["accepted", "rejected"]
    assert results[1].errors[0].field == "account_id"
    assert target.outbox[0].detail_type == "CounterpartyLinked"
    assert target.outbox[0].account_id == "acc-2"
    assert outcomes(run(RecordKind.TRADES, [testdata.trade("T-9", "STX-CP-0002")], target)) == [
        "accepted"
    ]


def test_dry_run_validates_and_judges_without_writing() -> None:
    target = store()
    run(RecordKind.TRADES, [testdata.trade()], target)
    results = run(
        RecordKind.TRADES,
        [testdata.trade(), testdata.trade(version=2, status="amended"), testdata.trade("STX-T-2")],
        target,
        dry_run=True,
    )
    assert outcomes(results) == ["duplicate", "accepted", "accepted"]
    assert len(target.outbox) == 1
    assert target.states[(RecordKind.TRADES, "STX-T-000001")].version == 1


@pytest.mark.parametrize(
    ("kind", "record", "detail_type"),
    [
        (RecordKind.DELIVERIES, testdata.delivery(), "DeliveryCompleted"),
        (RecordKind.DELIVERIES, testdata.delivery(status="failed"), "DeliveryFailed"),
        (RecordKind.RETIREMENTS, testdata.retirement(), "RetirementCompleted"),
        (RecordKind.INVOICES, testdata.invoice(), "InvoiceIssued"),
        (RecordKind.INVOICES, testdata.invoice(paid=True), "InvoicePaid"),
        (RecordKind.DOCUMENTS, testdata.document(), "DocumentPublished"),
    ],
)
def test_each_kind_publishes_its_event(
    kind: RecordKind, record: dict[str, Any], detail_type: str
) -> None:
    target = store()
    if kind is RecordKind.DELIVERIES:
        run(RecordKind.TRADES, [testdata.trade()], target)
        target.outbox.clear()
    if kind is RecordKind.RETIREMENTS:
        held(target)
    results = run(kind, [record], target)
    assert outcomes(results) == ["accepted"]
    (event,) = target.outbox
    assert (event.detail_type, event.account_id) == (detail_type, "acc-1")
    assert (event.data.reference, event.data.version) == (record["reference"], 1)


def test_document_file_is_stored_with_the_event() -> None:
    target = store()
    run(RecordKind.DOCUMENTS, [testdata.document()], target)
    (event,) = target.outbox
    assert target.files[event.data.object_key].startswith(b"%PDF-")
    assert event.data.size_bytes == len(target.files[event.data.object_key])


def test_event_ids_depend_only_on_kind_reference_and_version() -> None:
    first, second = store(), store()
    run(RecordKind.TRADES, [testdata.trade()], first)
    run(RecordKind.TRADES, [testdata.trade()], second)
    assert first.outbox[0].event_id == second.outbox[0].event_id


def test_invoice_payment_arrives_as_a_new_version() -> None:
    target = store()
    run(RecordKind.INVOICES, [testdata.invoice()], target)
    results = run(RecordKind.INVOICES, [testdata.invoice(version=2, paid=True)], target)
    assert outcomes(results) == ["accepted"]
    assert [e.detail_type for e in target.outbox] == ["InvoiceIssued", "InvoicePaid"]
