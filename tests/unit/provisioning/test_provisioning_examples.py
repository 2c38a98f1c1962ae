"""The sample files under examples/ (issue 19): one per kind that ingest accepts, read as an
upload reads them, and files that show each kind of rejection with its field."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.provisioning.logic.ingest import ingest
from services.provisioning.logic.uploads import rows
from services.provisioning.models.records import CSV_KINDS, RecordKind
from services.provisioning.models.uploads import UploadFormat
from tests.support.provisioning_fakes import InMemoryRecordStore

from .test_provisioning_ingest import context

pytestmark = pytest.mark.unit

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def send(kind: RecordKind, name: str, target: InMemoryRecordStore) -> list[tuple[str, list[str]]]:
    """(outcome, fields) per row of the example file, as an upload would read it."""
    upload_format: UploadFormat = "csv" if name.endswith(".csv") else "jsonl"
    assert upload_format == "jsonl" or kind in CSV_KINDS
    # counterparties.csv names the account of the run it is sent to (the README fills it in)
    lines = (EXAMPLES / name).read_text().replace("ACCOUNT_ID", ACCOUNT).splitlines()
    results = ingest(kind, rows(kind, upload_format, lines), target, context())
    return [(r.outcome.value, [e.field for e in r.errors]) for r in results]


ACCOUNT = "acc-7f3c2a91"
DEMO_LINK = [
    "reference,version,account_id,legal_name",
    f"STX-CP-0001,1,{ACCOUNT},Nordic Green Energy BV",
]
"""The examples trade for the demo's Nordic counterparty, which `make run` has linked."""


def book() -> InMemoryRecordStore:
    target = InMemoryRecordStore(accounts={ACCOUNT})
    linked = ingest(
        RecordKind.COUNTERPARTIES,
        rows(RecordKind.COUNTERPARTIES, "csv", DEMO_LINK),
        target,
        context(),
    )
    assert [r.outcome.value for r in linked] == ["accepted"]
    for kind in RecordKind:
        name = f"{kind}.csv" if (EXAMPLES / f"{kind}.csv").exists() else f"{kind}.jsonl"
        outcomes = send(kind, name, target)
        assert outcomes, name
        assert {outcome for outcome, _ in outcomes} == {"accepted"}, (name, outcomes)
    return target


def test_every_kind_has_a_sample_that_is_accepted() -> None:
    target = book()
    assert {e.detail_type for e in target.outbox} >= {
        "CounterpartyLinked",
        "TradeExecuted",
        "DeliveryCompleted",
        "DeliveryFailed",
        "RetirementCompleted",
        "InvoiceIssued",
        "InvoicePaid",
        "DocumentPublished",
    }


def test_the_rejection_samples_show_each_kind_of_problem_with_its_field() -> None:
    target = book()
    assert send(RecordKind.TRADES, "rejected-trades.csv", target) == [
        ("rejected", ["currency"]),
        ("rejected", ["total"]),
        ("rejected", ["trade_date"]),
        ("rejected", ["cancellation_reason"]),
        ("rejected", ["unit_price", "countries.0", "vintage_from"]),
        ("rejected", ["side"]),
        ("rejected", ["(row)"]),
    ]
    assert send(RecordKind.DELIVERIES, "rejected-deliveries.jsonl", target) == [
        ("rejected", ["batches"]),
        ("rejected", ["to_registry_account"]),
    ]
