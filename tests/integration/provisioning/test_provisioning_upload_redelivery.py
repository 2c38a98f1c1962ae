"""UploadReceived delivered again while its upload is being processed (SQS delivers at least
once; a message can come back while the first execution still runs): the second execution
leaves the message for SQS to retry, and the upload's counts and status stay exact. A run
killed holding the upload keeps it until its claim expires, then a retry takes it over."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from infra.local.demo import records as testdata
from services.provisioning import dependencies
from services.provisioning.handlers import uploads
from services.provisioning.topology import TOPOLOGY
from tests.support.intercept import intercepted

from .conftest import Cloud, FakeContext, sqs_event
from .test_provisioning_uploads import trades_csv, upload

pytestmark = pytest.mark.integration

EXACT = {"accepted": 12, "duplicate": 0, "rejected": 0}
UPLOADS = next(s for s in TOPOLOGY.subscriptions if s.name == "uploads")
FUNCTION_TIMEOUT = timedelta(seconds=TOPOLOGY.function(UPLOADS.function).timeout_seconds)
VISIBILITY_TIMEOUT = timedelta(seconds=TOPOLOGY.visibility_timeout(UPLOADS))
STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def received(cloud: Cloud, upload_id: str) -> str:
    """The upload's UploadReceived, as the outbox relay publishes it."""
    (envelope,) = [
        e
        for e in cloud.outbox()
        if e["detail_type"] == "UploadReceived" and e["data"]["upload_id"] == upload_id
    ]
    return json.dumps(envelope)


def deliver(envelope: str, at: datetime = STARTED) -> bool:
    """One SQS delivery of the event to the uploads function: whether the message is left
    on the queue for SQS to deliver again (a batch of one whose item failed is an error)."""
    with dependencies.clock.override(lambda: at):
        try:
            result = uploads.handler(sqs_event(envelope), FakeContext())  # type: ignore[arg-type]
        except BatchProcessingError:
            return True
    return bool(result["batchItemFailures"])


def twelve_rows_queued(cloud: Cloud, key: str) -> tuple[str, str]:
    upload_id = upload(
        cloud, key, trades_csv([testdata.trade(f"STX-T-{n:04d}") for n in range(12)])
    )
    return upload_id, received(cloud, upload_id)


def five_row_chunks() -> Any:
    return dependencies.settings.override(
        dependencies.settings().model_copy(update={"upload_chunk_rows": 5})
    )


def counts_and_status(cloud: Cloud, key: str, upload_id: str) -> tuple[Any, Any]:
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    return status.body["status"], status.body["counts"]


def test_a_delivery_during_processing_is_retried_later_and_counts_stay_exact(
    cloud: Cloud, key: str
) -> None:
    upload_id, envelope = twelve_rows_queued(cloud, key)
    real = dependencies.upload_store()
    saves: list[int] = []
    second_left_on_queue: list[bool] = []

    def second_delivery_mid_chunk(upload: Any, last_line: int, *args: Any) -> None:
        """The first run applied its first chunk; SQS hands the event to another execution."""
        saves.append(last_line)
        if len(saves) == 1:
            second_left_on_queue.append(deliver(envelope, STARTED + timedelta(minutes=1)))
        real.save_progress(upload, last_line, *args)

    with (
        five_row_chunks(),
        dependencies.upload_store.override(
            intercepted(real, save_progress=second_delivery_mid_chunk)
        ),
    ):
        first = deliver(envelope)

    assert counts_and_status(cloud, key, upload_id) == ("completed", EXACT)
    assert (first, second_left_on_queue) == (False, [True])  # SQS delivers it again later
    assert not deliver(envelope, STARTED + VISIBILITY_TIMEOUT)  # finished: nothing to do
    assert counts_and_status(cloud, key, upload_id) == ("completed", EXACT)
    assert len([e for e in cloud.outbox() if e["detail_type"] == "TradeExecuted"]) == 12


def test_a_killed_run_holds_the_upload_until_its_claim_expires_then_a_retry_resumes(
    cloud: Cloud, key: str
) -> None:
    upload_id, envelope = twelve_rows_queued(cloud, key)
    real = dependencies.upload_store()
    saves: list[int] = []

    def killed_after_second_save(upload: Any, last_line: int, *args: Any) -> None:
        real.save_progress(upload, last_line, *args)
        saves.append(last_line)
        if len(saves) == 2:
            raise TimeoutError("Task timed out after 900.00 seconds")

    def killed_runs_give_nothing_back(*_: Any) -> None:
        """A timed-out function is stopped: it runs no clean-up."""

    killed = intercepted(
        real, save_progress=killed_after_second_save, release=killed_runs_give_nothing_back
    )
    with five_row_chunks(), dependencies.upload_store.override(killed):
        assert deliver(envelope)
    assert saves == [6, 11]

    with five_row_chunks():
        # a duplicate while the killed run might still be running: it is not taken over
        assert deliver(envelope, STARTED + FUNCTION_TIMEOUT - timedelta(seconds=1))
        assert counts_and_status(cloud, key, upload_id) == (
            "processing",
            {"accepted": 10, "duplicate": 0, "rejected": 0},
        )
        assert not deliver(envelope, STARTED + VISIBILITY_TIMEOUT)  # SQS's redelivery
    assert counts_and_status(cloud, key, upload_id) == ("completed", EXACT)
    assert not deliver(envelope, STARTED + 2 * VISIBILITY_TIMEOUT)
    assert counts_and_status(cloud, key, upload_id) == ("completed", EXACT)
