"""Issue 14 on the local runtime (`make run`): documents reach the right people through the
local CDN, refused where they must be; published files are scanned (EICAR refused end to
end); what a confirmation and a monthly statement say equals what the portfolio API shows;
a rebuild from provisioning's outbox gives the same documents (same SHA-256).

Documents come from the demo book (`infra/local/demo/provisioning.py`, recomputed from
`book.demo_dataset`) and the documents demo step. Other e2e tests push more records
for STX-CP-0001 with early-2026 dates; the month compared here (the last ended one) is
not theirs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from infra.local.aws import aws_environment, client
from infra.local.cognito import UserPool, login
from infra.local.demo import ApiClient
from infra.local.demo import provisioning as demo_provisioning
from infra.local.demo import records as testdata
from infra.local.demo.documents import ended_months
from infra.local.malware_scan import EICAR
from infra.local.runtime import STAGE
from infra.shape.resources import PlatformValues, create_table_request, function_environment
from services.documents.adapters.cdn import CloudFrontUrlSigner
from services.documents.topology import SIGNING_KEY, TOPOLOGY
from services.provisioning.topology import TOPOLOGY as PROVISIONING

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

ACCOUNT_A = "Nordic Green Energy BV"
ACCOUNT_B = "Saigon Solar Trading JSC"
DEADLINE_SECONDS = 240
POLL_SECONDS = 1.0
PAGE = 200


@dataclass
class Portal:
    endpoints: dict[str, Any]
    accounts: dict[str, str]
    tokens: dict[tuple[str, str | None], str]
    counterparties: dict[str, str] | None = None
    """Account name -> the STX counterparty reference the demo linked to it."""

    def token(self, role: str, account: str | None) -> str:
        key = (role, account)
        if key not in self.tokens:
            user = next(
                u
                for u in self.endpoints["users"]
                if u["role"] == role and (account is None or u["account"] == account)
            )
            cognito = self.endpoints["cognito"]
            pool = UserPool(
                cognito["endpoint"],
                cognito["region"],
                cognito["user_pool_id"],
                cognito["client_id"],
            )
            tokens = login(
                client("cognito-idp", pool.endpoint),
                pool,
                user["username"],
                user["password"],
                user.get("totp_secret"),
            )
            self.tokens[key] = str(tokens["AccessToken"])
        return self.tokens[key]

    def api(self, service: str, role: str, account: str | None) -> ApiClient:
        return ApiClient(self.endpoints["services"][service], self.token(role, account))

    def documents(self, role: str, account: str | None = ACCOUNT_A) -> ApiClient:
        return self.api("documents", role, account)

    def base(self, account: str = ACCOUNT_A) -> str:
        return f"/v1/accounts/{self.accounts[account]}"


def ok(response: requests.Response) -> Any:
    assert response.status_code in (200, 202), (response.status_code, response.text)
    return response.json()


def list_all(api: ApiClient, path: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": PAGE, **params, **({"cursor": cursor} if cursor else {})}
        page = ok(api.get(path, params=query))
        rows.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def wait_for(probe: Callable[[], Any], what: str, deadline: float = DEADLINE_SECONDS) -> Any:
    until = time.monotonic() + deadline
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > until:
            pytest.fail(f"not within {deadline} s: {what}")
        time.sleep(POLL_SECONDS)


@pytest.fixture(scope="module")
def portal(local_runtime: dict[str, Any]) -> Portal:
    empty = Portal(local_runtime, {}, {})
    identity = empty.api("identity", "scts-admin", None)
    accounts = ok(identity.get("/v1/accounts"))["items"]
    empty.accounts = {a["name"]: a["account_id"] for a in accounts}
    # The same list, in the same order, the demo used to link STX-CP-<n>.
    empty.counterparties = {a["name"]: f"STX-CP-{n + 1:04d}" for n, a in enumerate(accounts)}
    assert {ACCOUNT_A, ACCOUNT_B} <= set(empty.accounts)
    return empty


def download(portal: Portal, role: str, document_id: str, account: str = ACCOUNT_A) -> Any:
    api = portal.documents(role, account)
    return api.get(f"{portal.base(account)}/documents/{document_id}/download")


def through_cdn(url: str) -> requests.Response:
    return requests.get(url, timeout=30)


def first_of(portal: Portal, role: str, kind: str, account: str = ACCOUNT_A) -> dict[str, Any]:
    api = portal.documents(role, account)
    found: dict[str, Any] = wait_for(
        lambda: next(
            iter(ok(api.get(f"{portal.base(account)}/documents", params={"kind": kind}))["items"]),
            None,
        ),
        f"a {kind} in {account}",
    )
    return found


def test_a_trader_downloads_a_confirmation_through_the_cdn(portal: Portal) -> None:
    listed = first_of(portal, "trader", "trade_confirmation")
    link = ok(download(portal, "trader", listed["document_id"]))
    assert link["url"].startswith(portal.endpoints["documents_cdn"])
    assert "Hash-Algorithm=SHA256" in link["url"]
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(minutes=5)
    answer = through_cdn(link["url"])
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(answer.content).hexdigest() == link["sha256"] == listed["sha256"]


def test_finance_downloads_an_invoice_the_trader_gets_403_the_other_account_404(
    portal: Portal,
) -> None:
    listed = first_of(portal, "finance", "invoice")
    answer = through_cdn(ok(download(portal, "finance", listed["document_id"]))["url"])
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF-")
    refused = download(portal, "trader", listed["document_id"])
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    stranger = portal.documents("trader", ACCOUNT_B).get(
        f"{portal.base()}/documents/{listed['document_id']}/download"
    )
    assert (stranger.status_code, stranger.json()["error"]) == (404, "not_found")


def test_the_cdn_refuses_tampered_expired_and_other_object_urls(
    portal: Portal, local_runtime: dict[str, Any]
) -> None:
    listed = first_of(portal, "viewer", "redemption_statement", ACCOUNT_B)
    url = ok(download(portal, "viewer", listed["document_id"], ACCOUNT_B))["url"]
    assert through_cdn(url).status_code == 200
    signature = url.split("Signature=")[1].split("&")[0]
    tampered = url.replace(signature, ("B" if signature[7] == "A" else "A").join(
        (signature[:7], signature[8:])
    ))  # fmt: skip
    other = url.replace(listed["document_id"], "confirmation-STX-T-0000001")
    for refused_url in (tampered, other, url.replace("Key-Pair-Id=", "Key-Pair-Id=X")):
        answer = through_cdn(refused_url)
        assert answer.status_code == 403
        assert answer.headers["Content-Type"] == "text/xml"
        assert "<Code>AccessDenied</Code>" in answer.text
    # A correctly signed URL that has expired: signed with the run's key, as the service does.
    secrets = client("secretsmanager", local_runtime["aws_endpoint"])
    private = secrets.get_secret_value(SecretId=SIGNING_KEY.secret_id(STAGE))["SecretString"]
    key_pair_id = re.search(r"Key-Pair-Id=([A-Z0-9]+)", url)
    assert key_pair_id is not None
    object_key = url.split("?")[0].removeprefix(portal.endpoints["documents_cdn"] + "/")
    signer = CloudFrontUrlSigner(portal.endpoints["documents_cdn"], key_pair_id.group(1), private)
    fresh = signer.sign(object_key, datetime.now(UTC) + timedelta(minutes=1))
    expired = signer.sign(object_key, datetime.now(UTC) - timedelta(seconds=1))
    assert through_cdn(fresh).status_code == 200
    answer = through_cdn(expired)
    assert answer.status_code == 403
    assert "<Message>Access denied</Message>" in answer.text


def _publisher(portal: Portal) -> ApiClient:
    publisher = ApiClient(portal.endpoints["ingest_apis"]["provisioning"])
    publisher.session.headers["x-api-key"] = portal.endpoints["publishers"][0]["api_key"]
    return publisher


def _published(reference: str, content: bytes, counterparty: str) -> dict[str, Any]:
    record = testdata.document(reference, counterparty)
    record.update(
        title=f"E2E {reference}",
        file_name=f"{reference}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        content_base64=base64.b64encode(content).decode(),
    )
    return record


def test_a_published_file_with_eicar_is_refused_end_to_end(portal: Portal) -> None:
    run = uuid.uuid4().hex[:8].upper()
    clean = testdata.pdf_bytes(f"clean {run}")
    infected = testdata.pdf_bytes(f"infected {run}") + EICAR
    assert portal.counterparties is not None
    counterparty = portal.counterparties[ACCOUNT_B]
    records = [
        _published(f"E2E-CLEAN-{run}", clean, counterparty),
        _published(f"E2E-EICAR-{run}", infected, counterparty),
    ]
    result = ok(_publisher(portal).post("/v1/documents", json={"records": records}))
    assert result["counts"]["accepted"] == 2  # provisioning checks type and checksum only
    api = portal.documents("viewer", ACCOUNT_B)
    base = f"{portal.base(ACCOUNT_B)}/documents"

    def state(reference: str) -> str | None:
        answer = api.get(f"{base}/published-{reference}")
        return answer.json()["status"] if answer.status_code == 200 else None

    assert wait_for(lambda: state(f"E2E-CLEAN-{run}"), "the clean file") == "available"
    assert wait_for(lambda: state(f"E2E-EICAR-{run}"), "the EICAR verdict") == "refused"
    detail = ok(api.get(f"{base}/published-E2E-EICAR-{run}"))
    assert "malware found" in detail["versions"][0]["reason"]
    assert detail["sha256"] is None
    refused = api.get(f"{base}/published-E2E-EICAR-{run}/download")
    assert (refused.status_code, refused.json()["error"]) == (409, "not_downloadable")


def pdf_text(url: str) -> str:
    answer = through_cdn(url)
    assert answer.status_code == 200
    reader = PdfReader(io.BytesIO(answer.content))
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def field(text: str, label: str) -> str:
    found = re.search(rf"^\s*{re.escape(label)}: (.+?)\s*$", text, re.MULTILINE)
    assert found is not None, f"{label} not in the document"
    return found.group(1)


def test_a_confirmation_says_what_the_portfolio_shows_for_the_trade(portal: Portal) -> None:
    admin = portal.documents("admin")

    def an_amendment() -> dict[str, Any] | None:
        rows = list_all(admin, f"{portal.base()}/documents", kind="trade_confirmation")
        return next((r for r in rows if r["version"] == 2 and "amendment" in r["title"]), None)

    amended: dict[str, Any] = wait_for(an_amendment, "an amended trade's confirmation")
    reference = amended["related_reference"]
    text = pdf_text(ok(download(portal, "admin", amended["document_id"]))["url"])
    trade = ok(
        portal.api("portfolio", "admin", ACCOUNT_A).get(f"{portal.base()}/trades/{reference}")
    )["trade"]
    assert field(text, "Trade reference") == trade["reference"]
    assert int(field(text, "Trade version")) == int(trade["version"]) == 2
    assert field(text, "Trade date") == trade["trade_date"]
    assert Decimal(field(text, "Volume").removesuffix(" MWh")) == Decimal(trade["volume_mwh"])
    price, currency, _ = field(text, "Unit price").split(" ", 2)
    assert (Decimal(price), currency) == (Decimal(trade["unit_price"]), trade["currency"])
    total, total_currency = field(text, "Total").split(" ")
    assert (Decimal(total), total_currency) == (Decimal(trade["total"]), trade["currency"])
    assert field(text, "Side").endswith("buy from STX" if trade["side"] == "buy" else "sell to STX")


def _statement_lines(text: str) -> dict[tuple[str, str, str], tuple[Decimal, ...]]:
    lines = {}
    pattern = re.compile(r"^\s*(\S+)\s+(\S+)\s+(\d{4}-\d{2})((?:\s+-?\d+\.\d{3}){5})\s*$")
    for line in text.splitlines():
        found = pattern.match(line)
        if found:
            figures = tuple(Decimal(x) for x in found.group(4).split())
            lines[(found.group(1), found.group(2), found.group(3))] = figures
    return lines


def _portfolio_lines(batches: list[dict[str, Any]], first: date, last: date) -> dict[Any, Any]:
    lines: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 5)
    column = {"in": 1, "out": 2, "retired": 3}
    for batch in batches:
        moved = date.fromisoformat(batch["moved_on"])
        if moved > last:
            continue
        key = (batch["scheme"], batch["technology"], batch["vintage"])
        quantity = Decimal(batch["quantity"])
        signed = quantity if batch["movement"] == "in" else -quantity
        if moved < first:
            lines[key][0] += signed
        else:
            lines[key][column[batch["movement"]]] += quantity
    result = {}
    for key, (opening, moved_in, out, retired, _) in lines.items():
        result[key] = (opening, moved_in, out, retired, opening + moved_in - out - retired)
    return result


def test_a_monthly_statement_says_what_the_portfolio_shows_for_the_month(portal: Portal) -> None:
    month = ended_months(datetime.now(UTC), 1)[0]
    first = date.fromisoformat(f"{month}-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    portfolio = portal.api("portfolio", "admin", ACCOUNT_A)
    documents = portal.documents("admin")
    runs = portal.documents("scts-admin", None)

    def expected() -> tuple[Any, Any]:
        batches = list_all(portfolio, f"{portal.base()}/holdings/batches")
        invoices = list_all(portfolio, f"{portal.base()}/invoices")
        issued: dict[str, Decimal] = defaultdict(Decimal)
        for invoice in invoices:
            issue = date.fromisoformat(invoice["issue_date"])
            if first <= issue <= last and invoice["document_type"] == "invoice":
                issued[invoice["currency"]] += Decimal(invoice["gross_amount"])
        return _portfolio_lines(batches, first, last), dict(issued)

    def stated() -> tuple[Any, Any] | None:
        answer = documents.get(f"{portal.base()}/documents/statement-{month}/download")
        if answer.status_code != 200:
            return None
        text = pdf_text(answer.json()["url"])
        invoiced = {
            m.group(1): Decimal(m.group(2))
            for m in re.finditer(r"([A-Z]{3}): invoiced (-?\d+(?:\.\d+)?) \1", text)
        }
        return _statement_lines(text), {c: v for c, v in invoiced.items() if v}

    # Facts reach the two services on their own queues: ask again until both agree.
    def agreeing() -> bool:
        ok(runs.post("/v1/statement-runs", json={"month": month}))
        time.sleep(3)
        found = stated()
        return found is not None and found == expected()

    wait_for(agreeing, f"statement {month} equal to the portfolio")
    lines, invoiced = expected()
    assert lines, "the month compared moved certificates"
    assert invoiced, "the month compared issued invoices"


def test_a_rebuild_from_provisionings_outbox_gives_the_same_documents(
    portal: Portal, local_runtime: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replays the runtime's provisioning outbox into new tables with the functions'
    environment: every generated version has the SHA-256 the live library shows, every
    published file is quarantined again with its published SHA-256."""
    from services.documents import dependencies, rebuild

    platform = PlatformValues("bus", "pool", "mail", "issuer", "audience", "jwks")
    env = {
        **function_environment(TOPOLOGY, STAGE, platform, version="e2e", git_commit="e2e"),
        **aws_environment(local_runtime["aws_endpoint"], local_runtime["dynamodb_endpoint"]),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    run = uuid.uuid4().hex[:8]
    dynamodb = client("dynamodb", local_runtime["dynamodb_endpoint"])
    targets = {}
    for table in TOPOLOGY.tables:
        if table.name in ("documents", "facts"):
            request = create_table_request(TOPOLOGY, f"rebuild{run}", table)
            dynamodb.create_table(**request)
            targets[table.name] = request["TableName"]
    outbox = f"scts-{STAGE}-provisioning-{PROVISIONING.tables[0].name}"
    providers = (dependencies.settings, dependencies.dynamodb, dependencies.s3,
                 dependencies.files, dependencies.shared_files)  # fmt: skip
    for provider in providers:
        provider.reset()
    try:
        rebuild.rebuild(
            targets["documents"], targets["facts"], rebuild.envelopes_from_outbox(dynamodb, outbox)
        )
    finally:
        for provider in providers:
            provider.reset()
    live = _versions(dynamodb, env["SCTS_DOCUMENTS_TABLE"])
    rebuilt = _versions(dynamodb, targets["documents"])
    generated = {k: v for k, v in rebuilt.items() if not k[1].startswith("published-")}
    # Other e2e tests may be adding records right now: compare what both hold, which must
    # include at least every trade of the demo book.
    common = sorted(set(generated) & set(live))
    assert len(common) >= 2 * demo_provisioning.TRADES_PER_ACCOUNT
    assert {key: live[key] for key in common} == {key: generated[key] for key in common}
    pending = _pending(dynamodb, targets["documents"])
    assert pending
    assert all(live.get(key) in (None, digest) for key, digest in pending.items())


def _scan(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table}
    while True:
        page = dynamodb.scan(**request)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _versions(dynamodb: Any, table: str) -> dict[tuple[str, str, int], str]:
    return {
        (i["account_id"]["S"], i["document_id"]["S"], int(i["version"]["N"])): i["sha256"]["S"]
        for i in _scan(dynamodb, table)
        if i["sk"]["S"].startswith("DOC#") and "#V#" in i["sk"]["S"]
        and not i["document_id"]["S"].startswith("statement-")
    }  # fmt: skip


def _pending(dynamodb: Any, table: str) -> dict[tuple[str, str, int], str]:
    return {
        (i["account_id"]["S"], i["document_id"]["S"], int(i["version"]["N"])): i["sha256"]["S"]
        for i in _scan(dynamodb, table)
        if i["sk"]["S"].startswith("Q#")
    }
