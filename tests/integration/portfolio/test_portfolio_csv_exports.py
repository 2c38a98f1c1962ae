"""Every CSV export of the portfolio (each route documented as text/csv) neutralises the
formulas an account admin or a publisher could plant: no cell starts with `=`, `+`, `-`,
`@`, a tab or a carriage return unless it is a plain number."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from common.csv_export import FORMULA_TRIGGERS
from services.portfolio.topology import TOPOLOGY
from tests.integration.portfolio.conftest import ADMIN, Portfolio
from tests.unit.portfolio.portfolio_factories import delivery, envelope, invoice, retirement, trade

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
A = "acct-csv"
PLANTED = {
    "registry": '=HYPERLINK("http://evil.example","x")',
    "beneficiary": "@SUM(1+1)*cmd|' /C calc'!A0",
    "purpose": "+1+1",
    "site": "\t=1+1",
}
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_routes() -> set[str]:
    document = json.loads((ROOT / "contracts/openapi/portfolio.json").read_text())
    return {
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "text/csv" in operation["responses"].get("200", {}).get("content", {})
    }


def test_the_exports_walked_are_every_csv_route_of_the_document() -> None:
    exports = {r.path for r in TOPOLOGY.routes if r.path.endswith("/export")}
    assert exports == csv_routes()


def test_no_export_cell_runs_as_a_formula(portfolio: Portfolio) -> None:
    portfolio.create_account(A)
    portfolio.grant(A, "alice", "admin", ADMIN)
    bought = trade(A, "T-1", delivery_date=date(2027, 1, 1))
    bought = bought.model_copy(update={"registry_account": PLANTED["registry"]})
    retired = retirement(A, "R-1", 5).model_copy(
        update={"beneficiary_name": PLANTED["beneficiary"], "purpose": PLANTED["purpose"]}
    )
    portfolio.publish(
        envelope(bought),
        envelope(delivery(A, "T-1", "D-1", 10)),
        envelope(retired),
        envelope(invoice(A, "INV-1", "T-1")),
    )
    status, answer, _ = portfolio.call(
        "PUT",
        "/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}",
        "alice",
        body={
            "site_name": PLANTED["site"],
            "country": "NL",
            "period_end": "2026-07-01",
            "consumption_mwh": "100",
            "source": "meter",
        },
        account_id=A,
        site_id="site-1",
        period_start="2026-01-01",
    )
    assert status == 200, answer
    cells: dict[str, list[str]] = {}
    for path in sorted(csv_routes()):
        status, text, headers = portfolio.call("GET", path, "alice", account_id=A)
        assert status == 200, (path, text)
        assert headers["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) > 1, f"{path}: nothing exported, nothing checked"
        cells[path] = [cell for row in rows for cell in row]
        risky = [
            c for c in cells[path] if c.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(c)
        ]
        assert risky == [], path
    everything = [cell for found in cells.values() for cell in found]
    for planted in PLANTED.values():
        assert "'" + planted in everything, planted
