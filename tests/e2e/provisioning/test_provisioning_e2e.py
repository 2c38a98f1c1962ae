"""Provisioning on the local runtime (`make run`): the demo publisher, the revoked key,
and a file pushed with `scts-publish` through the ingest API and presigned S3 URL.

Publisher routes are served by the ingest API (REST API, its own base URL); a refused key
gets 401 from its gateway (the authorizer's Deny is ACCESS_DENIED, answered 401)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.demo import provisioning as demo
from infra.local.demo import records as testdata
from services.provisioning.cli import publish

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


UNAUTHORIZED: tuple[str, str, list[Any]] = ("unauthorized", "Unauthorized", [])


def refusal(reply: requests.Response) -> tuple[int, tuple[str, str, list[Any]]]:
    """Status and error body of a refused call (its request id is the gateway's own)."""
    body = reply.json()
    assert body["request_id"] == reply.headers["x-amzn-requestid"]
    return reply.status_code, (body["error"], body["message"], body["fields"])


def _key(endpoints: dict[str, Any], name: str) -> str:
    return str(next(p["api_key"] for p in endpoints["publishers"] if p["name"] == name))


def _ingest_url(endpoints: dict[str, Any]) -> str:
    return str(endpoints["ingest_apis"]["provisioning"])


def test_demo_publisher_and_revoked_key(local_runtime: dict[str, Any]) -> None:
    url = _ingest_url(local_runtime)
    body = {"records": [testdata.trade("STX-T-E2E-1", "STX-CP-0001")]}
    good = requests.post(
        f"{url}/v1/trades",
        json=body,
        params={"dry_run": "true"},
        headers={"x-api-key": _key(local_runtime, demo.PUBLISHER)},
        timeout=30,
    )
    assert good.status_code == 200, good.text
    assert good.json()["results"][0]["status"] == "accepted"
    revoked = requests.post(
        f"{url}/v1/trades",
        json=body,
        headers={"x-api-key": _key(local_runtime, demo.REVOKED_PUBLISHER)},
        timeout=30,
    )
    assert refusal(revoked) == (401, UNAUTHORIZED)
    missing = requests.post(f"{url}/v1/trades", json=body, timeout=30)
    assert refusal(missing) == (401, UNAUTHORIZED)


def test_a_key_revoked_through_the_admin_api_gets_401_on_the_very_next_call(
    local_runtime: dict[str, Any], admin_tokens: dict[str, Any]
) -> None:
    admin = requests.Session()
    admin.headers["Authorization"] = f"Bearer {admin_tokens['AccessToken']}"
    http_api = local_runtime["services"]["provisioning"]
    created = admin.post(
        f"{http_api}/v1/publishers",
        json={"name": "e2e revocation", "all_accounts": True},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    key, prefix = created.json()["api_key"], created.json()["key_prefix"]
    publisher_id = created.json()["publisher"]["publisher_id"]
    trades = f"{_ingest_url(local_runtime)}/v1/trades"
    body = {"records": [testdata.trade("STX-T-E2E-REVOKE", "STX-CP-0001")]}
    headers = {"x-api-key": key}
    dry_run = {"dry_run": "true"}
    before = requests.post(trades, json=body, params=dry_run, headers=headers, timeout=30)
    assert before.status_code == 200, before.text
    revoked = admin.delete(f"{http_api}/v1/publishers/{publisher_id}/keys/{prefix}", timeout=30)
    assert revoked.status_code == 204, revoked.text
    after = requests.post(trades, json=body, params=dry_run, headers=headers, timeout=30)
    assert refusal(after) == (401, UNAUTHORIZED)


def test_publisher_routes_live_on_the_ingest_api_only(local_runtime: dict[str, Any]) -> None:
    key = {"x-api-key": _key(local_runtime, demo.PUBLISHER)}
    http_api = local_runtime["services"]["provisioning"]
    on_http_api = requests.post(
        f"{http_api}/v1/trades", json={"records": []}, headers=key, timeout=30
    )
    assert on_http_api.status_code == 404
    version = requests.get(f"{_ingest_url(local_runtime)}/v1/version", headers=key, timeout=30)
    assert (version.status_code, version.json()["error"]) == (404, "not_found")


def test_scts_publish_uploads_a_file(
    local_runtime: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [testdata.trade(f"STX-T-E2E-{n:04d}", "STX-CP-0001") for n in range(200)]
    rows[5]["currency"] = "EUX"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*testdata.trade().keys(), "cancellation_reason"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    path = tmp_path / "trades.csv"
    path.write_text(out.getvalue())
    monkeypatch.setenv("SCTS_PUBLISHER_KEY", _key(local_runtime, demo.PUBLISHER))
    code = publish.main(
        [
            str(path),
            "--kind",
            "trades",
            "--url",
            _ingest_url(local_runtime),
            "--poll-seconds",
            "0.5",
            "--timeout-seconds",
            "240",
        ]
    )
    captured = capsys.readouterr()
    printed = captured.out
    assert code == 2, (printed, captured.err)
    assert "accepted 199, duplicate 0, rejected 1" in printed
    assert "7,STX-T-E2E-0005,currency" in printed
