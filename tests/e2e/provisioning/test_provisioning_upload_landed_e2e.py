"""On the local runtime, a file PUT to its presigned URL is processed without `complete`:
the files bucket's notification -> queue -> `upload-landed` -> UploadReceived -> `uploads`."""

from __future__ import annotations

import csv
import io
import time
import uuid
from typing import Any

import pytest
import requests

from infra.local.demo import provisioning as demo
from infra.local.demo import records as testdata

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

DEADLINE_SECONDS = 120
"""Only a bound on a broken pipeline, not a timing assertion."""


def _ingest_url(endpoints: dict[str, Any]) -> str:
    """The provisioning REST ingest API, which serves the publisher routes (endpoints.json)."""
    return str(endpoints["ingest_apis"]["provisioning"])


def _key(endpoints: dict[str, Any]) -> str:
    return str(next(p["api_key"] for p in endpoints["publishers"] if p["name"] == demo.PUBLISHER))


def _trades_csv(count: int) -> bytes:
    run = uuid.uuid4().hex[:8].upper()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*testdata.trade().keys(), "cancellation_reason"])
    writer.writeheader()
    for n in range(count):
        row = testdata.trade(f"STX-T-LAND-{run}-{n:03d}", "STX-CP-0001")
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue().encode()


def test_a_put_file_completes_without_calling_complete(local_runtime: dict[str, Any]) -> None:
    url, headers = _ingest_url(local_runtime), {"x-api-key": _key(local_runtime)}
    content = _trades_csv(25)
    ticket = requests.post(
        f"{url}/v1/uploads",
        json={"kind": "trades", "format": "csv", "size_bytes": len(content)},
        headers=headers,
        timeout=30,
    )
    assert ticket.status_code == 201, ticket.text
    upload_id = ticket.json()["upload_id"]

    put = requests.put(
        ticket.json()["upload_url"], data=content, headers=ticket.json()["headers"], timeout=30
    )
    assert put.status_code == 200, put.text

    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        status = requests.get(f"{url}/v1/uploads/{upload_id}", headers=headers, timeout=30)
        assert status.status_code == 200, status.text
        body = status.json()
        if body["status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert body["status"] == "completed", body
    assert body["counts"] == {"accepted": 25, "duplicate": 0, "rejected": 0}
