"""Every portfolio route, its success and its main error answers, checked against the
committed OpenAPI document (`contracts/openapi/portfolio.json`): the status must be
documented for the operation and the body must match its schema, where no object takes
an undeclared property. The stored items carry keys, index attributes and bookkeeping
(pk, gsi1pk, contribution, revision...): none may reach a response."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from common.topology import AuthKind
from services.portfolio.topology import TOPOLOGY
from tests.integration.portfolio.conftest import Portfolio, running_portfolio
from tests.integration.portfolio.test_portfolio_api import WRITE_BODIES, A, B, seed
from tests.support.openapi_check import assert_matches_openapi, response_problems
from tests.unit.common.jwt_tokens import Tokens

pytestmark = pytest.mark.integration

DOCUMENT = "portfolio"
ACCOUNT = "/v1/accounts/{account_id}"
STORAGE_ATTRIBUTES = ("pk", "gsi1pk", "gsi2sk", "gsi3pk", "contribution", "revision", "held")


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    caller: str | None
    status: int
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    error: str | None = None

    @property
    def name(self) -> str:
        return f"{self.method} {self.template} {self.caller} {self.query} -> {self.status}"


def account(**params: str) -> dict[str, str]:
    return {"account_id": A, **params}


def get(
    path: str,
    caller: str | None,
    status: int,
    query: dict[str, str] | None = None,
    error: str | None = None,
    **params: str,
) -> Call:
    """GET `/v1/accounts/{account_id}<path>` of account A (unless `account_id` says)."""
    return Call(
        "GET", f"{ACCOUNT}{path}", caller, status, query or {}, None, account(**params), error=error
    )


TRADE = "/trades/{reference}"
RETIREMENT = "/retirements/{reference}"
INVOICE = "/invoices/{reference}"
READS = [
    Call("GET", "/v1/version", None, 200),
    get("/trades", "alice", 200, {"limit": "2"}),
    get("/trades", "alice", 200, {"q": "t1", "sort": "-volume"}),
    get("/trades", "alice", 200, {"status": "cancelled"}),
    get("/trades", "alice", 422, {"cursor": "x.y"}, error="validation_failed"),
    get("/trades", "fiona", 403, error="forbidden"),
    get("/trades", "alice", 404, error="not_found", account_id=B),
    get("/trades", None, 401, error="unauthorized"),
    get("/trades", "alice", 422, {"colour": "red"}, error="validation_failed"),
    get("/trades", "alice", 422, {"limit": "0"}, error="validation_failed"),
    get("/trades/export", "alice", 200, {"side": "buy"}),
    get("/trades/export", "fiona", 403),
    get(TRADE, "victor", 200, reference="A-T1"),
    get(TRADE, "alice", 404, reference="B-T1"),
    get("/holdings", "alice", 200, {"group_by": "scheme,registry_account"}),
    get("/holdings", "alice", 422, {"group_by": "colour"}),
    get("/holdings", "fiona", 403),
    get("/holdings/reconciliation", "alice", 200),
    get("/holdings/reconciliation", "alice", 200, {"date_from": "2026-01-01"}),
    get(
        "/holdings/reconciliation",
        "alice",
        422,
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
    ),
    get("/holdings/reconciliation", "alice", 422, {"date_from": "2999-01-01"}),  # after today
    get("/holdings/reconciliation", "fiona", 403),
    get("/holdings/batches", "alice", 200),
    get("/holdings/batches", "alice", 200, {"movement": "retired"}),
    get("/holdings/batches/export", "alice", 200),
    get("/forward-deals", "alice", 200, {"side": "buy"}),
    get("/forward-deals/export", "alice", 200),
    get("/retirements", "alice", 200, {"reporting_year": "2025"}),
    get("/retirements", "alice", 422, {"reporting_year": "1900"}),
    get("/retirements/export", "alice", 200),
    get(RETIREMENT, "alice", 200, reference="A-R1"),
    get(RETIREMENT, "alice", 404, reference="A-R9"),
    get("/invoices", "fiona", 200, {"state": "overdue"}),
    get("/invoices", "fiona", 200, {"state": "paid"}),
    get("/invoices/export", "fiona", 200),
    get(INVOICE, "fiona", 200, reference="A-INV2"),
    get(INVOICE, "fiona", 404, reference="B-INV1"),
    get("/financials", "fiona", 200),
    get("/financials", "tina", 403),
    get("/usage", "victor", 200),
    get("/usage", "tina", 403),
    get("/usage/consumption", "victor", 200),
    get("/usage/consumption/export", "victor", 200),
    get("/summary", "carl", 200),
    get("/summary", "fiona", 200),
    get("/summary", "nora", 403),
    get("/summary", "bob", 404),
    Call("GET", "/v1/cam/overview", "carl", 200, {"accounts": f"{A},{B}"}),
    Call(
        "GET", "/v1/cam/overview", "carl", 422, {"accounts": ",".join(f"x{n}" for n in range(51))}
    ),
]

SITE = account(site_id="site-9", period_start="2026-01-01")
RE100 = account(target_id="re100")
CONSUMPTION = f"{ACCOUNT}/usage/consumption/{{site_id}}/{{period_start}}"
TARGET = f"{ACCOUNT}/usage/targets/{{target_id}}"
USED = WRITE_BODIES["consumption"]
AIMED = WRITE_BODIES["targets"]
WRITES = [
    Call("PUT", CONSUMPTION, "alice", 200, body=USED, params=SITE),
    Call("PUT", CONSUMPTION, "victor", 403, body=USED, params=SITE),
    Call("PUT", CONSUMPTION, "alice", 422, body={**USED, "source": "guess"}, params=SITE),
    Call("PUT", CONSUMPTION, "alice", 422, body={**USED, "period_end": "2025-01-01"}, params=SITE),
    Call("PUT", CONSUMPTION, "alice", 422, body=USED, params={**SITE, "site_id": "bad site"}),
    Call("PUT", CONSUMPTION, "alice", 400, body="{not json", params=SITE, error="invalid_json"),
    Call("PUT", CONSUMPTION, "alice", 415, body="x", params=SITE, content_type="text/plain"),
    Call("DELETE", CONSUMPTION, "alice", 204, params=SITE),
    Call("DELETE", CONSUMPTION, "alice", 404, params=SITE),
    Call("PUT", TARGET, "alice", 200, body=AIMED, params=RE100),
    Call("PUT", TARGET, "alice", 422, body={**AIMED, "target_year": 2010}, params=RE100),
    Call("PUT", TARGET, "carl", 403, body=AIMED, params=RE100),
    Call("DELETE", TARGET, "alice", 204, params=RE100),
    Call("DELETE", TARGET, "alice", 404, params=RE100),
]


def seeded_world(portfolio: Portfolio) -> Portfolio:
    seed(portfolio)
    portfolio.grant(A, "tina", "trader", ["portfolio:read", "trades:read", "trades:manage"])
    portfolio.grant(A, "nora", "viewer", ["notifications:read"])  # no summary section
    return portfolio


@pytest.fixture(scope="module")
def world(tokens: Tokens) -> Iterator[Portfolio]:
    with running_portfolio(tokens) as running:
        yield seeded_world(running)


def answer(portfolio: Portfolio, call: Call) -> tuple[Any, str]:
    status, body, headers = portfolio.call(
        call.method,
        call.template,
        call.caller,
        call.query,
        body=call.body,
        content_type=call.content_type,
        **call.params,
    )
    assert status == call.status, (call.name, body)
    if call.error is not None:
        assert body["error"] == call.error, body
    content_type = headers.get("Content-Type", "")
    assert_matches_openapi(DOCUMENT, call.method, call.template, status, body, content_type)
    if status < 300 and isinstance(body, dict):
        text = json.dumps(body)
        assert not [a for a in STORAGE_ATTRIBUTES if f'"{a}"' in text], text
    return body, content_type


@pytest.mark.parametrize("call", READS, ids=lambda c: c.name)
def test_every_read_answers_as_its_document_says(world: Portfolio, call: Call) -> None:
    answer(world, call)


def test_every_write_answers_as_its_document_says(world: Portfolio) -> None:
    """In order: each write is undone by a later one (the reads above see no change)."""
    for call in WRITES:
        answer(world, call)


def test_every_route_is_called_here() -> None:
    called = {(c.method, c.template) for c in READS + WRITES}
    declared = {(r.method, r.path) for r in TOPOLOGY.routes if r.auth is not AuthKind.PUBLISHER}
    assert declared == called


def test_a_csv_export_is_documented_as_csv(world: Portfolio) -> None:
    body, content_type = answer(
        world, Call("GET", f"{ACCOUNT}/trades/export", "alice", 200, params=account())
    )
    assert content_type.startswith("text/csv")
    assert body.splitlines()[0].startswith("reference,version,status")


def test_the_check_catches_an_undeclared_field_and_an_undocumented_status(
    world: Portfolio,
) -> None:
    """The document check is not vacuous: a storage attribute in a page item, a field in
    the summary no model declares, or a status the operation does not document, fail."""
    status, page, _ = world.call("GET", f"{ACCOUNT}/trades", "alice", account_id=A)
    assert status == 200
    leaked = {**page, "items": [{**page["items"][0], "gsi1pk": f"A#{A}#TRADES"}]}
    assert response_problems(DOCUMENT, "GET", f"{ACCOUNT}/trades", 200, leaked)
    status, summary, _ = world.call("GET", f"{ACCOUNT}/summary", "alice", account_id=A)
    assert status == 200
    assert not response_problems(DOCUMENT, "GET", f"{ACCOUNT}/summary", 200, summary)
    assert response_problems(DOCUMENT, "GET", f"{ACCOUNT}/summary", 200, {**summary, "kind": "x"})
    assert response_problems(DOCUMENT, "GET", f"{ACCOUNT}/holdings", 409, {"error": "conflict"})
