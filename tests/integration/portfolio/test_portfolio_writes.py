"""Portfolio routes that change state: roles on writes, usage and targets, replays."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from services.portfolio import dependencies, rebuild
from services.portfolio.topology import TOPOLOGY
from tests.integration.portfolio.conftest import TABLES, Portfolio
from tests.integration.portfolio.test_portfolio_api import WRITE_BODIES, A, B, account_events, seed
from tests.support.tables import create_table

pytestmark = pytest.mark.integration


@pytest.fixture
def seeded(portfolio: Portfolio) -> Portfolio:
    """A fresh seeded portfolio for tests that change it."""
    return seed(portfolio)


def test_roles(seeded: Portfolio) -> None:
    account = {"account_id": A}
    assert seeded.call("GET", "/v1/accounts/{account_id}/trades", "fiona", **account)[0] == 403
    assert seeded.call("GET", "/v1/accounts/{account_id}/invoices", "fiona", **account)[0] == 200
    put = ("PUT", "/v1/accounts/{account_id}/usage/targets/{target_id}")
    assert (
        seeded.call(*put, "victor", body=WRITE_BODIES["targets"], target_id="re100", **account)[0]
        == 403
    )
    assert (
        seeded.call(*put, "carl", body=WRITE_BODIES["targets"], target_id="re100", **account)[0]
        == 403
    )
    assert seeded.call("GET", "/v1/accounts/{account_id}/summary", "carl", **account)[0] == 200
    assert seeded.call("GET", "/v1/accounts/{account_id}/summary", "carl", account_id=B)[0] == 404
    seeded.revoke(A, "victor")
    assert seeded.call("GET", "/v1/accounts/{account_id}/trades", "victor", **account)[0] == 404


def test_usage_and_targets_give_coverage(seeded: Portfolio) -> None:
    account = {"account_id": A}
    consumption = "/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}"
    status, answer, _ = seeded.call(
        "PUT",
        consumption,
        "alice",
        body=WRITE_BODIES["consumption"],
        site_id="site-1",
        period_start="2026-01-01",
        **account,
    )
    assert status == 200, answer
    status, answer, _ = seeded.call(
        "PUT",
        consumption,
        "alice",
        body={**WRITE_BODIES["consumption"], "consumption_mwh": "50"},
        site_id="site-1",
        period_start="2026-01-01",
        **account,
    )
    assert status == 200
    bad = {**WRITE_BODIES["consumption"], "period_end": "2027-03-01", "extra": 1}
    status, answer, _ = seeded.call(
        "PUT",
        consumption,
        "alice",
        body=bad,
        site_id="site-1",
        period_start="2026-01-01",
        **account,
    )
    assert status == 422
    assert {f["path"] for f in answer["fields"]} >= {"body.extra"}
    status, answer, _ = seeded.call(
        "PUT",
        consumption,
        "alice",
        body={**WRITE_BODIES["consumption"], "period_end": "2027-03-01"},
        site_id="site-2",
        period_start="2026-01-01",
        **account,
    )
    assert status == 422, answer
    assert [f["path"] for f in answer["fields"]] == ["body"]
    assert "calendar year" in answer["fields"][0]["reason"]
    status, answer, _ = seeded.call(
        "PUT",
        consumption,
        "alice",
        body=WRITE_BODIES["consumption"],
        site_id="site-2",
        period_start="2026-13-01",
        **account,
    )
    assert status == 422, answer
    assert [f["path"] for f in answer["fields"]] == ["path.period_start"]
    for typo in ("0001-01-01", "9999-12-01"):  # a year no target can name: refused, not counted
        status, answer, _ = seeded.call(
            "PUT",
            consumption,
            "alice",
            body={**WRITE_BODIES["consumption"], "period_end": f"{typo[:4]}-12-31"},
            site_id="site-3",
            period_start=typo,
            **account,
        )
        assert status == 422, answer
        assert [f["path"] for f in answer["fields"]] == ["path.period_start"]
    status, answer, _ = seeded.call(
        "PUT",
        "/v1/accounts/{account_id}/usage/targets/{target_id}",
        "alice",
        body=WRITE_BODIES["targets"],
        target_id="re100",
        **account,
    )
    assert status == 200, answer
    status, usage, _ = seeded.call("GET", "/v1/accounts/{account_id}/usage", "victor", **account)
    assert status == 200
    year = next(row for row in usage["coverage"] if row["year"] == 2026)
    assert (year["consumption_mwh"], year["retired_mwh"], year["coverage_percent"]) == (
        "50.000",
        "25.000",
        "50.00",
    )
    assert year["targets"][0]["target_percent"] == "64.00"
    status, export, headers = seeded.call(
        "GET", "/v1/accounts/{account_id}/usage/consumption/export", "victor", **account
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(export)))) == 1
    status, records, _ = seeded.call(
        "GET", "/v1/accounts/{account_id}/usage/consumption", "victor", **account
    )
    assert status == 200
    assert [(r["site_id"], r["consumption_mwh"]) for r in records["items"]] == [
        ("site-1", "50.000")
    ]
    assert [(r["updated_by"], r["updated_by_email"]) for r in records["items"]] == [
        ("alice", "alice@example.com")
    ], "a reader sees who wrote a record by email, not only by Cognito subject"
    assert [(t["updated_by"], t["updated_by_email"]) for t in usage["targets"]] == [
        ("alice", "alice@example.com")
    ]
    status, _, _ = seeded.call(
        "GET", "/v1/accounts/{account_id}/usage/consumption", "bob", account_id=A
    )
    assert status == 404


def test_duplicate_and_stale_events_change_nothing(seeded: Portfolio) -> None:
    from services.portfolio.rebuild import dump_table

    before = dump_table(seeded.client, "scts-test-portfolio-read-model")
    seeded.publish(*account_events(A, "A"))
    assert dump_table(seeded.client, "scts-test-portfolio-read-model") == before


def observable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What readers see: aggregate amounts of zero read the same as absent ones."""
    visible = []
    for item in items:
        if item["pk"].endswith("#AGG"):
            item = {k: v for k, v in item.items() if not (isinstance(v, Decimal) and v == 0)}
            if not any(isinstance(v, Decimal) for v in item.values()) and "target_id" not in item:
                continue
        visible.append(item)
    return visible


def test_rebuild_from_replay_equals_live_state(
    seeded: Portfolio, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account = {"account_id": A}
    consumption = "/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}"
    for mwh in ("100", "80"):
        body = {**WRITE_BODIES["consumption"], "consumption_mwh": mwh}
        assert (
            seeded.call(
                "PUT",
                consumption,
                "alice",
                body=body,
                site_id="s1",
                period_start="2026-01-01",
                **account,
            )[0]
            == 200
        )
    target = "/v1/accounts/{account_id}/usage/targets/{target_id}"
    assert (
        seeded.call(
            "PUT", target, "alice", body=WRITE_BODIES["targets"], target_id="re100", **account
        )[0]
        == 200
    )

    archive = tmp_path / "events.jsonl"
    events = account_events(A, "A") + account_events(B, "B")
    archive.write_text("\n".join(e.model_dump_json() for e in reversed(events)) + "\n")
    rebuilt = "scts-test-portfolio-read-model-rebuilt"
    read_model = next(t for t in TOPOLOGY.tables if t.name == "read-model")
    create_table(seeded.client, rebuilt, read_model)

    exit_code = rebuild.main(
        ["--target-table", rebuilt, "--jsonl", str(archive), "--usage-table", TABLES["usage"]]
    )

    assert exit_code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["usage_items"] == 2
    live = observable(rebuild.dump_table(seeded.client, TABLES["read-model"]))
    assert live == observable(rebuild.dump_table(seeded.client, rebuilt))
    with pytest.raises(rebuild.TargetNotEmpty):
        rebuild.main(["--target-table", rebuilt, "--jsonl", str(archive)])


def test_each_read_is_one_dynamodb_request_plus_the_access_check(seeded: Portfolio) -> None:
    calls: list[str] = []
    dependencies.dynamodb().meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    for path in (
        "trades",
        "holdings",
        "holdings/batches",
        "forward-deals",
        "retirements",
        "invoices",
        "usage",
    ):
        calls.clear()
        status, _, _ = seeded.call(
            "GET", f"/v1/accounts/{{account_id}}/{path}", "alice", account_id=A
        )
        assert status == 200
        assert calls == ["Query"], (path, calls)
    calls.clear()
    seeded.call(
        "GET",
        "/v1/accounts/{account_id}/trades/{reference}",
        "alice",
        account_id=A,
        reference="A-T1",
    )
    assert calls == ["Query"]
    calls.clear()
    seeded.call(
        "GET",
        "/v1/accounts/{account_id}/invoices/{reference}",
        "alice",
        account_id=A,
        reference="A-INV1",
    )
    assert calls == ["GetItem"]


def test_a_bad_record_fails_alone_and_metrics_are_emitted(
    portfolio: Portfolio, capsys: pytest.CaptureFixture[str]
) -> None:
    from services.portfolio.handlers import projector
    from tests.integration.portfolio.conftest import CONTEXT, sqs_event
    from tests.unit.portfolio.portfolio_factories import envelope, trade

    good = envelope(trade(A, "A-T9"))
    event = sqs_event([good, good])
    event["Records"][1]["body"] = json.dumps({"detail": {"detail_type": "Nope", "version": 1}})
    result = projector.handler(event, CONTEXT)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}
    output = capsys.readouterr().out
    assert '"EventsApplied"' in output
    assert '"ProjectionLag"' in output
    portfolio.publish(envelope(trade(A, "A-T9", 1, volume="999")))
    assert '"EventsDuplicate"' in capsys.readouterr().out
