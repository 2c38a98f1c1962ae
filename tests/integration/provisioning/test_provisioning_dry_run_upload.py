"""A dry-run upload on moto: judged across chunks like a real run, restarted after a crash."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from infra.local.demo import records as testdata

from .conftest import Cloud
from .test_provisioning_uploads import crash_on_second_save, trades_csv, upload

pytestmark = pytest.mark.integration


def test_interrupted_dry_run_restarts_and_judges_across_chunks(cloud: Cloud, key: str) -> None:
    rows = [testdata.trade(f"STX-T-{n:04d}") for n in range(10)]
    rows.append(testdata.trade("STX-T-0001", version=2, status="amended", volume="900"))
    rows.append(testdata.trade("STX-T-0002", version=2, status="cancelled"))
    rows.append(testdata.trade("STX-T-0002", version=3, status="amended"))
    upload_id = upload(cloud, key, trades_csv(rows), dry_run=True)
    with crash_on_second_save() as crash:
        with pytest.raises(BatchProcessingError):
            cloud.deliver_uploads()
        cloud.deliver_uploads()

    assert crash.saves == [6, 11, 6, 11, 14]  # the retry started again from the first row
    status = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert status.body["status"] == "completed"
    assert status.body["counts"] == {"accepted": 12, "duplicate": 0, "rejected": 1}
    assert status.body["rejected_rows"] == [
        {
            "row": 14,
            "reference": "STX-T-0002",
            "field": "version",
            "reason": "trades STX-T-0002 is cancelled: nothing may follow",
        }
    ]
    assert not [e for e in cloud.outbox() if e["detail_type"].startswith("Trade")]
