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
    assert [f["path"] for f in answer["fields"]] == ["body.period_end"]
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


CONSUMPTION = "/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}"
TARGET = "/v1/accounts/{account_id}/usage/targets/{target_id}"


@pytest.mark.parametrize(
    ("period_start", "period_end", "field"),
    [
        ("0", "2026-07-01", "path.period_start"),
        ("1767225600", "2026-07-01", "path.period_start"),
        ("2026-01-01", 0, "body.period_end"),
        ("2026-01-01", "0", "body.period_end"),
        ("2026-01-01", 1782864000, "body.period_end"),
        ("2026-01-01", "2026-07-01T00:00:00+14:00", "body.period_end"),
        ("2026-07-01", "2026-01-01", "body.period_end"),
    ],
)
def test_a_consumption_period_takes_days_and_names_the_field_it_refuses(
    seeded: Portfolio, period_start: str, period_end: object, field: str
) -> None:
    """`0` and Unix times are not days (pydantic reads them as 1970-01-01 and later), and an
    end before its start is the end's fault: the error names that field, not the body."""
    status, answer, _ = seeded.call(
        "PUT",
        CONSUMPTION,
        "alice",
        body={**WRITE_BODIES["consumption"], "period_end": period_end},
        site_id="site-1",
        period_start=period_start,
        account_id=A,
    )
    assert status == 422, answer
    assert [f["path"] for f in answer["fields"]] == [field], answer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_year": 2020}, "body.target_year"),
        ({"target_year": 2019}, "body.target_year"),
        ({"milestones": [{"year": 2035, "renewable_share_percent": "50"}]}, "body.milestones"),
        (
            {
                "milestones": [
                    {"year": 2025, "renewable_share_percent": "50"},
                    {"year": 2025, "renewable_share_percent": "60"},
                ]
            },
            "body.milestones",
        ),
        ({"net_zero_date": 0}, "body.net_zero_date"),
        ({"net_zero_date": "2524608000"}, "body.net_zero_date"),
        ({"net_zero_date": "9999-12-31"}, "body.net_zero_date"),
    ],
)
def test_a_target_names_the_field_it_refuses(
    seeded: Portfolio, change: dict[str, Any], field: str
) -> None:
    status, answer, _ = seeded.call(
        "PUT",
        TARGET,
        "alice",
        body={**WRITE_BODIES["targets"], **change},
        target_id="re100",
        account_id=A,
    )
    assert status == 422, answer
    assert [f["path"] for f in answer["fields"]] == [field], answer


def test_records_of_one_account_naming_anothers_references_stay_in_their_own_account(
    seeded: Portfolio,
) -> None:
    """References are the publisher's and repeat across accounts: a delivery, an invoice
    line and a credit note of account A naming B's trade, delivery and invoice join A's
    entities of those references (none here), never B's. B's answers do not change, and
    A's never show B's records."""
    from tests.unit.portfolio.portfolio_factories import delivery, envelope, invoice

    b_routes = [
        ("/v1/accounts/{account_id}/trades/{reference}", {"reference": "B-T1"}),
        ("/v1/accounts/{account_id}/invoices/{reference}", {"reference": "B-INV1"}),
        ("/v1/accounts/{account_id}/invoices", {}),
        ("/v1/accounts/{account_id}/summary", {}),
        ("/v1/accounts/{account_id}/holdings/batches", {}),
    ]

    def answers_to_bob() -> list[Any]:
        return [seeded.call("GET", path, "bob", account_id=B, **p)[:2] for path, p in b_routes]

    before = answers_to_bob()
    line = invoice(A, "A-INV9", "B-T1", gross="121.00")
    line = line.model_copy(
        update={"lines": [line.lines[0].model_copy(update={"delivery_reference": "B-D1"})]}
    )
    note = invoice(A, "A-CN9", "B-T1", gross="121.00").model_copy(
        update={"document_type": "credit_note", "credited_invoice_reference": "B-INV1"}
    )
    seeded.publish(envelope(delivery(A, "B-T1", "A-D9", 30)), envelope(line), envelope(note))

    assert answers_to_bob() == before
    for path, params in b_routes[:2]:
        status, answer, _ = seeded.call("GET", path, "alice", account_id=A, **params)
        assert status == 404, answer
    status, invoices, _ = seeded.call(
        "GET", "/v1/accounts/{account_id}/invoices", "alice", account_id=A
    )
    assert status == 200
    assert "B-INV1" not in [i["reference"] for i in invoices["items"]]
    status, batches, _ = seeded.call(
        "GET", "/v1/accounts/{account_id}/holdings/batches", "alice", account_id=A
    )
    assert status == 200
    assert "B-T1" not in json.dumps(batches), "a delivery of no trade of A's moves nothing"


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
