"""Field-level authorization (issue 11 #1): every field a portfolio response carries is
covered by the caller's permissions. Each successful JSON read of the contract's route list
is repeated by every kind of caller, and every field the OpenAPI document marks with
`x-scts-permission` must be null unless the caller holds that permission. A new route or a
new marked field is walked the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from common.access.fields import PERMISSION_KEY
from common.access.guard import CAM_PERMISSIONS
from tests.integration.portfolio.conftest import (
    ADMIN,
    FINANCE,
    VIEWER,
    Portfolio,
    running_portfolio,
)
from tests.integration.portfolio.test_portfolio_api import A
from tests.integration.portfolio.test_portfolio_contract import READS, Call, seeded_world
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.integration

DOCUMENT = json.loads(Path("contracts/openapi/portfolio.json").read_text())
SCHEMAS = DOCUMENT["components"]["schemas"]
TRADER = frozenset({"portfolio:read", "trades:read", "trades:manage"})
CALLERS: dict[str, frozenset[str]] = {
    "alice": frozenset(ADMIN),
    "fiona": frozenset(FINANCE),
    "victor": frozenset(VIEWER),
    "tina": TRADER,
    "carl": CAM_PERMISSIONS,
}
SUMMARY = "/v1/accounts/{account_id}/summary"
OVERVIEW = "/v1/cam/overview"


@pytest.fixture(scope="module")
def world(tokens: Tokens) -> Iterator[Portfolio]:
    with running_portfolio(tokens) as running:
        yield seeded_world(running)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]])
    return schema


def uncovered(schema: dict[str, Any], value: Any, held: frozenset[str], at: str) -> list[str]:
    """Paths of marked fields carrying a value the caller's permissions do not cover."""
    schema = _resolve(schema)
    found: list[str] = []
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        if _resolve(option).get("type") != "null" and value is not None:
            found += uncovered(option, value, held, at)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += uncovered(schema["items"], item, held, f"{at}[{index}]")
    if isinstance(value, dict):
        for name, prop in schema.get("properties", {}).items():
            wanted = prop.get(PERMISSION_KEY)
            if wanted is not None and value.get(name) is not None and wanted not in held:
                found.append(f"{at}.{name} ({wanted})")
            found += uncovered(prop, value.get(name), held, f"{at}.{name}")
    return found


def success_schema(call: Call) -> dict[str, Any]:
    operation = DOCUMENT["paths"][call.template][call.method.lower()]
    content: dict[str, Any] = operation["responses"]["200"]["content"]
    return dict(content["application/json"]["schema"])


JSON_READS = [
    c
    for c in READS
    if c.status == 200 and c.caller is not None and not c.template.endswith("/export")
]


def test_the_document_marks_the_summarys_billing_sections() -> None:
    summary = _resolve({"$ref": "#/components/schemas/SummaryResponse"})["properties"]
    assert summary["currencies"][PERMISSION_KEY] == "billing:read"
    assert summary["overdue_invoices"][PERMISSION_KEY] == "billing:read"


@pytest.mark.parametrize("call", JSON_READS, ids=lambda c: c.name)
def test_no_caller_gets_a_field_its_permissions_do_not_cover(world: Portfolio, call: Call) -> None:
    schema = success_schema(call)
    for caller, held in CALLERS.items():
        status, body, _ = world.call(
            call.method, call.template, caller, call.query, body=call.body, **call.params
        )
        if status != 200:
            continue
        assert uncovered(schema, body, held, "$") == [], (caller, call.name)


def test_a_trader_sees_no_billing_figures_in_the_summary_or_the_overview(
    world: Portfolio,
) -> None:
    status, summary, _ = world.call("GET", SUMMARY, "tina", account_id=A)
    assert status == 200, summary
    assert summary["currencies"] is None
    assert summary["overdue_invoices"] is None
    assert summary["holdings"] is not None
    assert summary["trades_by_year"] is not None
    status, overview, _ = world.call("GET", OVERVIEW, "tina", {"accounts": A})
    assert status == 200, overview
    assert [a["currencies"] for a in overview["items"]] == [None]
    assert [a["overdue_invoices"] for a in overview["items"]] == [None]


def test_finance_reads_the_summary_sections_its_permissions_cover(world: Portfolio) -> None:
    status, summary, _ = world.call("GET", SUMMARY, "fiona", account_id=A)
    assert status == 200, summary
    assert [i["reference"] for i in summary["overdue_invoices"]] == ["A-INV1"]
    assert summary["currencies"]
    hidden = ("trades_by_year", "holdings", "coverage", "targets", "next_deliveries")
    assert {name: summary[name] for name in hidden} == dict.fromkeys(hidden)


def test_a_trade_shows_its_invoices_to_billing_readers_only(world: Portfolio) -> None:
    """The same class of hole as the summary's: a trade's invoices are billing figures."""
    trade = "/v1/accounts/{account_id}/trades/{reference}"
    status, detail, _ = world.call("GET", trade, "tina", account_id=A, reference="A-T1")
    assert status == 200, detail
    assert detail["invoices"] is None
    assert detail["trade"]["reference"] == "A-T1"
    status, detail, _ = world.call("GET", trade, "victor", account_id=A, reference="A-T1")
    assert [i["reference"] for i in detail["invoices"]] == ["A-INV1"]


def test_a_cam_and_an_admin_see_every_section(world: Portfolio) -> None:
    for caller in ("alice", "carl"):
        status, summary, _ = world.call("GET", SUMMARY, caller, account_id=A)
        assert status == 200, summary
        assert None not in summary.values(), caller
        assert summary["overdue_invoices"], caller
