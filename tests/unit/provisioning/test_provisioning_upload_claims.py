"""Running an upload under its claim (pure logic over the in-memory upload store)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from services.provisioning.logic.upload_claims import LEASE_SECONDS, UploadBusy
from services.provisioning.models.uploads import Counts, UploadStatus
from services.provisioning.topology import TOPOLOGY

from .test_provisioning_use_cases import NOW, PUBLISHER, queued_upload, run

pytestmark = pytest.mark.unit


def test_the_lease_outlasts_the_function_and_ends_before_sqs_delivers_again() -> None:
    uploads = next(s for s in TOPOLOGY.subscriptions if s.name == "uploads")
    function_timeout = TOPOLOGY.function(uploads.function).timeout_seconds
    assert function_timeout < LEASE_SECONDS < TOPOLOGY.visibility_timeout(uploads)


def test_a_run_while_another_holds_the_upload_is_busy_and_writes_nothing() -> None:
    uploads = queued_upload()
    assert uploads.claim(uploads.upload.upload_id, "run-first", NOW, LEASE_SECONDS) is not None
    with pytest.raises(UploadBusy):
        run(uploads, {"pub-1": PUBLISHER})
    assert (uploads.upload.status, uploads.saves, uploads.csv_written) == (
        UploadStatus.QUEUED,
        [],
        0,
    )


def test_a_run_that_fails_knowingly_gives_its_claim_back_for_the_retry() -> None:
    uploads = queued_upload()
    file = uploads.file

    def unreadable(key: str) -> Iterable[str]:
        raise ConnectionError("S3 read timed out")

    uploads.lines = unreadable  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        run(uploads, {"pub-1": PUBLISHER})
    assert uploads.claim_held is None
    uploads.lines = lambda key: file  # type: ignore[method-assign]
    done = run(uploads, {"pub-1": PUBLISHER})
    assert done is not None
    assert (done.status, done.counts) == (UploadStatus.COMPLETED, Counts(accepted=1, rejected=1))
    assert uploads.claim_held is None
