"""Demo step for documents, through the public APIs only.

Provisioning's step already pushed a book whose facts become documents on their own
(confirmations, invoices, redemption statements, STX's published confirmations). This
step adds what shows the rest of the library, then waits until it is there:
- as STX (the demo publisher's key, provisioning's ingest API): a retirement for the
  Vietnamese counterparty with a beneficiary written in Vietnamese (rendered with the
  embedded Unicode font), and an invoice PDF STX publishes itself for one of the first
  account's invoices (it replaces the one the portal generated);
- as the SCTS administrator: the monthly statements of the last ended months, asked for
  once the book's facts have reached the documents service. That wait runs in the
  background (a daemon thread of the runtime): the runtime is ready when the demo data is
  pushed, as the other services' read models too fill in behind it.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import requests

from infra.local.demo import ApiClient, DemoContext
from infra.local.demo import provisioning as demo_provisioning
from infra.local.demo import records as testdata

log = logging.getLogger("scts.local.demo.documents")

SERVICE = "documents"
VIETNAMESE_ACCOUNT = "Saigon Solar Trading JSC"
BENEFICIARY = "Công ty Cổ phần Năng lượng Mặt trời Sài Gòn - Nhà máy Bình Dương"
STATEMENT_MONTHS = 3
WAIT_SECONDS = 900
PAGE = 200


def _ok(response: requests.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"demo documents: {what}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def ended_months(now: datetime, count: int) -> list[str]:
    months = []
    year, month = now.year, now.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year:04d}-{month:02d}")
    return months


def _vietnamese_retirement(reference: str, counterparty: str) -> dict[str, Any]:
    record = testdata.retirement(reference, counterparty, volume=250)
    record.update(
        beneficiary_name=BENEFICIARY,
        consumption_country="VN",
        scheme="I-REC",
        purpose="Báo cáo phát thải phạm vi 2 (Scope 2)",
        batches=[testdata.batch(90_000_000, 250, "2025-12", "VN")],
    )
    record["batches"][0]["technology"] = "ES100"
    return record


def _published_invoice(invoice: dict[str, Any]) -> dict[str, Any]:
    reference = f"DOC-{invoice['reference']}"
    content = testdata.pdf_bytes(f"Invoice {invoice['reference']} as issued by STX")
    return {
        "reference": reference,
        "version": 1,
        "counterparty_reference": invoice["counterparty_reference"],
        "document_type": "invoice",
        "title": f"Invoice {invoice['reference']} (STX original)",
        "related_reference": invoice["reference"],
        "issued_on": invoice["issue_date"],
        "file_name": f"{reference}.pdf",
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode(),
    }


def _count(api: ApiClient, account_id: str, kind: str) -> int:
    total, cursor = 0, None
    while True:
        params: dict[str, Any] = {"kind": kind, "limit": PAGE}
        if cursor:
            params["cursor"] = cursor
        page = _ok(api.get(f"/v1/accounts/{account_id}/documents", params=params), "list")
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


def _wait_for_confirmations(readers: dict[str, ApiClient], expected: dict[str, int]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    for account_id, api in readers.items():
        while _count(api, account_id, "trade_confirmation") < expected[account_id]:
            if time.monotonic() > deadline:
                return False
            time.sleep(2)
    return True


def _statements_when_ready(
    readers: dict[str, ApiClient], expected: dict[str, int], documents: ApiClient
) -> None:
    try:
        if not _wait_for_confirmations(readers, expected):
            log.warning("demo documents: the book's facts did not all arrive; no statements")
            return
        for month in ended_months(datetime.now(UTC), STATEMENT_MONTHS):
            _ok(documents.post("/v1/statement-runs", json={"month": month}), f"statements {month}")
        log.info("demo documents: statements asked for (%s months)", STATEMENT_MONTHS)
    except (requests.RequestException, RuntimeError):
        log.exception("demo documents: statements could not be asked for")


def run(ctx: DemoContext) -> None:
    scts_admin = ctx.user("scts-admin")
    accounts = _ok(ctx.client("identity", scts_admin).get("/v1/accounts"), "accounts")["items"]
    references = [f"STX-CP-{n + 1:04d}" for n in range(len(accounts))]
    counterparty = dict(zip((a["name"] for a in accounts), references, strict=True))
    data = testdata.demo_dataset(references, demo_provisioning.TRADES_PER_ACCOUNT)

    publisher = ApiClient(ctx.ingest_apis["provisioning"])
    publisher.session.headers["x-api-key"] = ctx.publishers[0]["api_key"]
    retirement = _vietnamese_retirement("STX-R-VN-0001", counterparty[VIETNAMESE_ACCOUNT])
    _ok(publisher.post("/v1/retirements", json={"records": [retirement]}), "retirement")
    first_invoice = next(
        i for i in data["invoices"] if i["counterparty_reference"] == references[0]
    )
    _ok(
        publisher.post("/v1/documents", json={"records": [_published_invoice(first_invoice)]}),
        "published invoice",
    )

    trades = Counter(
        record["counterparty_reference"] for record in data["trades"] if record["version"] == 1
    )
    readers, expected = {}, {}
    for account, reference in zip(accounts, references, strict=True):
        admin = next(
            (u for u in ctx.users if u.role == "admin" and u.account == account["name"]), None
        )
        if admin is not None:
            readers[account["account_id"]] = ctx.client(SERVICE, admin)
            expected[account["account_id"]] = trades[reference]
    documents = ctx.client(SERVICE, scts_admin)
    threading.Thread(
        target=_statements_when_ready,
        args=(readers, expected, documents),
        name="demo-statements",
        daemon=True,
    ).start()
