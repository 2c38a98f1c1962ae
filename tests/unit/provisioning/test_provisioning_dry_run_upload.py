"""A dry-run upload judges its rows like a real run would, across chunks (in-memory store)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from infra.local.demo import records as testdata
from services.provisioning.logic.dry_run import DryRunOverlay
from services.provisioning.logic.ingest import ingest
from services.provisioning.logic.uploads import process
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from tests.support.provisioning_fakes import InMemoryRecordStore

from .test_provisioning_ingest import NOW, context, outcomes, run, store

pytestmark = pytest.mark.unit

TRADE = "STX-T-000001"


class Progress:
    """The upload store's side of `process`: every saved chunk."""

    def __init__(self) -> None:
        self.saves: list[tuple[int, Counts]] = []
        self.rejected: dict[int, list[RejectedRow]] = {}

    def save_progress(
        self, upload: Upload, rows_done: int, totals: Counts, rejected: list[RejectedRow]
    ) -> None:
        self.saves.append((rows_done, totals))
        if rejected:
            self.rejected[rows_done] = rejected  # keyed like the DynamoDB adapter's items

    def rejected_rows(self) -> list[tuple[int, str | None, str, str]]:
        return [
            (r.row, r.reference, r.field, r.reason)
            for key in sorted(self.rejected)
            for r in self.rejected[key]
        ]


def an_upload(kind: RecordKind, *, dry_run: bool, rows_done: int = 0, **counts: int) -> Upload:
    return Upload(
        upload_id="upl-1",
        publisher_id="pub-stx",
        kind=kind,
        format="jsonl",
        dry_run=dry_run,
        status=UploadStatus.PROCESSING,
        object_key="k",
        rows_done=rows_done,
        counts=Counts(**counts),
        created_at=NOW,
        updated_at=NOW,
    )


def jsonl(records: list[Any]) -> list[str]:
    return [record if isinstance(record, str) else json.dumps(record) for record in records]


def upload_file(
    target: InMemoryRecordStore,
    kind: RecordKind,
    records: list[Any],
    *,
    dry_run: bool,
    chunk_rows: int = 2,
) -> tuple[Counts, Progress]:
    progress = Progress()
    totals = process(
        an_upload(kind, dry_run=dry_run),
        jsonl(records),
        target,
        progress,
        context(),
        chunk_rows=chunk_rows,
    )
    return totals, progress


def delivery(reference: str, volume: int, **extra: Any) -> dict[str, Any]:
    record = testdata.delivery(reference, volume=volume, **extra)
    if record["status"] == "completed":
        record["batches"] = [testdata.batch(1_000_000, volume)]
    return record


def with_trades(*trades: dict[str, Any]) -> InMemoryRecordStore:
    target = store()
    assert set(outcomes(run(RecordKind.TRADES, list(trades), target))) == {"accepted"}
    return target


def test_an_amendment_in_chunk_2_sees_the_trade_executed_in_chunk_1() -> None:
    target = store()
    file = [
        testdata.trade(TRADE),
        testdata.trade("STX-T-000002"),
        testdata.trade(TRADE, version=2, status="amended", volume="900"),
        testdata.trade(TRADE, version=3, status="cancelled", volume="900"),
        testdata.trade(TRADE, version=4, status="amended", volume="900"),
    ]
    totals, progress = upload_file(target, RecordKind.TRADES, file, dry_run=True)
    assert [rows_done for rows_done, _ in progress.saves] == [2, 4, 5]
    assert totals == Counts(accepted=4, rejected=1)
    assert progress.rejected_rows() == [
        (5, TRADE, "version", f"trades {TRADE} is cancelled: nothing may follow")
    ]
    assert (target.states, target.outbox) == ({}, [])


def test_a_dry_run_batch_without_an_overlay_still_stands_alone() -> None:
    """Each chunk alone (the old behaviour) would reject the amendment: the test can fail."""
    target = store()
    first = run(RecordKind.TRADES, [testdata.trade(TRADE)], target, dry_run=True)
    amended = testdata.trade(TRADE, version=2, status="amended")
    second = run(RecordKind.TRADES, [amended], target, dry_run=True)
    assert (outcomes(first), outcomes(second)) == (["accepted"], ["rejected"])


def test_a_delivery_in_chunk_2_counts_against_a_trade_from_chunk_1() -> None:
    """Uploads hold one kind, so the trade and the delivery meet through one overlay passed
    to both calls: the overlay is keyed by kind and reference, not by the upload."""
    target = store()
    overlay = DryRunOverlay()
    trades = ingest(
        RecordKind.TRADES,
        enumerate([testdata.trade(TRADE, volume="1000")]),
        target,
        context(),
        dry_run=True,
        overlay=overlay,
    )
    deliveries = ingest(
        RecordKind.DELIVERIES,
        enumerate([delivery("D-1", 700), delivery("D-2", 301), delivery("D-3", 300)]),
        target,
        context(),
        dry_run=True,
        overlay=overlay,
    )
    assert outcomes(trades) == ["accepted"]
    assert outcomes(deliveries) == ["accepted", "rejected", "accepted"]
    assert deliveries[1].errors[0].field == "volume_mwh"
    amendment = ingest(
        RecordKind.TRADES,
        enumerate([testdata.trade(TRADE, version=2, status="amended", volume="999")]),
        target,
        context(),
        dry_run=True,
        overlay=overlay,
    )
    assert amendment[0].errors[0].reason == (
        f"trade {TRADE}: volume 999 MWh is below the 1000 MWh already delivered"
    )
    assert (target.states, target.outbox) == ({}, [])


def test_deliveries_over_the_cap_split_across_chunks_are_rejected() -> None:
    target = with_trades(testdata.trade(TRADE, volume="1000"))
    before = copy.deepcopy(target.states)
    file = [delivery("D-1", 600), delivery("D-2", 400), delivery("D-3", 1)]
    totals, progress = upload_file(target, RecordKind.DELIVERIES, file, dry_run=True, chunk_rows=1)
    assert totals == Counts(accepted=2, rejected=1)
    assert progress.rejected_rows() == [
        (
            3,
            "D-3",
            "volume_mwh",
            f"trade {TRADE} has a volume of 1000 MWh, 1000 MWh already delivered; "
            "this delivery of 1 MWh would exceed it",
        )
    ]
    assert target.states == before


def test_a_newer_delivery_version_in_a_later_chunk_frees_its_volume() -> None:
    target = with_trades(testdata.trade(TRADE, volume="1000"))
    file = [
        delivery("D-1", 1000),
        delivery("D-1", 1000, status="failed", version=2),
        delivery("D-2", 1000),
    ]
    totals, _ = upload_file(target, RecordKind.DELIVERIES, file, dry_run=True, chunk_rows=1)
    assert totals == Counts(accepted=3)


def trades_file() -> list[Any]:
    cp9 = testdata.trade("STX-T-000009", "STX-CP-9999")
    bad = testdata.trade("STX-T-000010")
    bad["total"] = "1.00"
    conflicting = testdata.trade(TRADE, version=2, status="amended", volume="1100")
    return [
        testdata.trade(TRADE, volume="1000"),
        testdata.trade("STX-T-000002"),
        testdata.trade("STX-T-STORED", version=2, status="amended", volume="40"),
        testdata.trade(TRADE, version=2, status="amended", volume="1200"),
        testdata.trade(TRADE, version=2, status="amended", volume="1200"),
        conflicting,
        testdata.trade(TRADE),
        testdata.trade("STX-T-000002", version=2, status="cancelled"),
        testdata.trade("STX-T-000002", version=3, status="amended"),
        testdata.trade("STX-T-000003", status="amended"),
        testdata.trade("STX-T-000004"),
        testdata.trade("STX-T-000004"),
        testdata.trade("STX-T-000004", version=2),
        cp9,
        bad,
        "{not json",
        testdata.trade("STX-T-STORED", version=1),
        testdata.trade(TRADE, version=3, status="cancelled", volume="1200"),
    ]


def deliveries_file() -> list[Any]:
    return [
        delivery("D-1", 600),
        delivery("D-2", 400),
        delivery("D-3", 1),
        delivery("D-1", 600, status="failed", version=2),
        delivery("D-3", 500),
        delivery("D-4", 200, trade_reference="STX-T-000002"),
        delivery("D-4", 200, trade_reference=TRADE, version=2),
        delivery("D-5", 10, trade_reference="STX-T-UNKNOWN"),
        delivery("D-6", 50, trade_reference="STX-T-STORED"),
        delivery("D-2", 400),
        delivery("D-2", 401),
        delivery("D-1", 600, version=1),
        delivery("D-7", 100),
        delivery("D-8", 101),
    ]


def stored_book() -> InMemoryRecordStore:
    target = with_trades(
        testdata.trade(TRADE, volume="1000"),
        testdata.trade("STX-T-000002", volume="300"),
        testdata.trade("STX-T-STORED", volume="50"),
    )
    cancel = testdata.trade("STX-T-STORED", version=2, status="cancelled", volume="50")
    assert outcomes(run(RecordKind.TRADES, [cancel], target)) == ["accepted"]
    return target


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 5])
@pytest.mark.parametrize(
    ("kind", "initial", "records"),
    [
        (RecordKind.TRADES, lambda: with_trades(testdata.trade("STX-T-STORED")), trades_file),
        (RecordKind.DELIVERIES, stored_book, deliveries_file),
    ],
    ids=["trades", "deliveries"],
)
def test_dry_run_counts_and_rejections_equal_a_real_runs(
    kind: RecordKind, initial: Any, records: Any, chunk_rows: int
) -> None:
    dry_store, real_store = initial(), initial()
    before = copy.deepcopy(dry_store.states)
    dry, dry_progress = upload_file(dry_store, kind, records(), dry_run=True, chunk_rows=chunk_rows)
    real, real_progress = upload_file(
        real_store, kind, records(), dry_run=False, chunk_rows=chunk_rows
    )
    assert dry == real
    assert min(dry.accepted, dry.duplicate, dry.rejected) > 0
    assert dry_progress.rejected_rows() == real_progress.rejected_rows()
    assert dry_store.states == before
    assert len(real_store.outbox) > len(dry_store.outbox)


def test_a_retried_dry_run_starts_again_from_the_first_row() -> None:
    """Its overlay was lost with the crashed invocation: resuming at `rows_done` would judge
    the amendment without the execution it follows."""
    target = store()
    file = jsonl(
        [
            testdata.trade(TRADE),
            testdata.trade("STX-T-000002"),
            testdata.trade(TRADE, version=2, status="amended"),
        ]
    )
    crashed = an_upload(RecordKind.TRADES, dry_run=True, rows_done=2, accepted=2)
    progress = Progress()
    totals = process(crashed, file, target, progress, context(), chunk_rows=2)
    assert totals == Counts(accepted=3)
    assert [rows_done for rows_done, _ in progress.saves] == [2, 3]


def test_a_retried_real_run_still_resumes_after_the_saved_row() -> None:
    target = with_trades(testdata.trade(TRADE))
    file = jsonl([testdata.trade(TRADE), testdata.trade(TRADE, version=2, status="amended")])
    crashed = an_upload(RecordKind.TRADES, dry_run=False, rows_done=1, accepted=1)
    totals = process(crashed, file, target, Progress(), context(), chunk_rows=2)
    assert totals == Counts(accepted=2)


def test_an_overlay_is_for_dry_runs_only() -> None:
    with pytest.raises(ValueError, match="dry runs only"):
        ingest(RecordKind.TRADES, [], store(), context(), overlay=DryRunOverlay())
