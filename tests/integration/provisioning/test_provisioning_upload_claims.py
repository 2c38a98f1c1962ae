"""The upload's processing claim on DynamoDB Local (AWS's own engine: moto in-process is not
thread-safe, so it cannot show what the conditional write guarantees): one run at a time
holds an upload, an expired claim is taken over with the progress saved before it, and
the run that lost it can write nothing more."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.aws import client
from services.provisioning.adapters.uploads import DynamoUploadStore
from services.provisioning.logic.upload_claims import LEASE_SECONDS, ClaimLost
from services.provisioning.models.records import RecordKind
from services.provisioning.models.uploads import Counts, RejectedRow, Upload, UploadStatus
from services.provisioning.topology import TOPOLOGY
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

pytestmark = pytest.mark.integration

RUNS = 8
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=LEASE_SECONDS)
ONE_SECOND = timedelta(seconds=1)
REJECTED = RejectedRow(row=9, reference="STX-T-9", field="currency", reason="unknown")


@pytest.fixture(scope="module")
def dynamodb_local() -> Iterator[Any]:
    with dynamodb_local_url() as url:
        yield client("dynamodb", url)


def queued(dynamodb: Any, name: str) -> tuple[DynamoUploadStore, str]:
    """A store on a new table holding one queued upload; the upload's id."""
    create_table(dynamodb, name, TOPOLOGY.tables[0])
    store = DynamoUploadStore(dynamodb, None, name, "unused")
    upload = Upload(
        upload_id=f"upl-{name}",
        publisher_id="pub-stx",
        kind=RecordKind.TRADES,
        format="csv",
        status=UploadStatus.QUEUED,
        object_key=f"uploads/pub-stx/upl-{name}.csv",
        created_at=NOW,
        updated_at=NOW,
    )
    store.create(upload)
    return store, upload.upload_id


def test_of_runs_claiming_at_once_exactly_one_holds_the_upload(dynamodb_local: Any) -> None:
    store, upload_id = queued(dynamodb_local, "claims-race")
    barrier = threading.Barrier(RUNS)
    claimed: dict[int, Upload | None] = {}

    def claim(n: int) -> None:
        barrier.wait()
        claimed[n] = store.claim(upload_id, f"run-{n}", NOW, LEASE_SECONDS)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    holders = [(n, c.claimed_by) for n, c in claimed.items() if c is not None]
    assert len(claimed) == RUNS
    assert len(holders) == 1, holders
    ((n, owner),) = holders
    assert owner == f"run-{n}"


def test_an_expired_claim_is_taken_over_and_the_run_that_lost_it_writes_nothing(
    dynamodb_local: Any,
) -> None:
    store, upload_id = queued(dynamodb_local, "claims-takeover")
    first = store.claim(upload_id, "run-a", NOW, LEASE_SECONDS)
    assert first is not None
    store.save_progress(first, 6, Counts(accepted=5), [])
    assert store.claim(upload_id, "run-b", NOW + LEASE - ONE_SECOND, LEASE_SECONDS) is None

    second = store.claim(upload_id, "run-b", NOW + LEASE + ONE_SECOND, LEASE_SECONDS)
    assert second is not None
    assert (second.claimed_by, second.last_line, second.counts) == ("run-b", 6, Counts(accepted=5))
    with pytest.raises(ClaimLost):
        store.save_progress(first, 11, Counts(accepted=9, rejected=1), [REJECTED])
    with pytest.raises(ClaimLost):
        store.save(first.model_copy(update={"status": UploadStatus.COMPLETED}))
    store.release(first)
    assert list(store.rejected_rows(upload_id)) == []
    assert store.claim(upload_id, "run-c", NOW + LEASE + 2 * ONE_SECOND, LEASE_SECONDS) is None

    store.save(second.model_copy(update={"status": UploadStatus.COMPLETED}))
    finished = dynamodb_local.get_item(
        TableName="claims-takeover", Key={"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": "UPLOAD"}}
    )["Item"]
    assert ("claimed_by" in finished, "lease_until" in finished) == (False, False)
    assert store.claim(upload_id, "run-c", NOW + 3 * LEASE, LEASE_SECONDS) is None


def test_a_claim_given_back_is_free_at_once_and_no_upload_is_claimed_into_being(
    dynamodb_local: Any,
) -> None:
    store, upload_id = queued(dynamodb_local, "claims-release")
    first = store.claim(upload_id, "run-a", NOW, LEASE_SECONDS)
    assert first is not None
    store.release(first)
    second = store.claim(upload_id, "run-b", NOW, LEASE_SECONDS)
    assert second is not None
    assert second.claimed_by == "run-b"
    assert store.claim("upl-missing", "run-c", NOW, LEASE_SECONDS) is None
    assert store.get("upl-missing") is None
