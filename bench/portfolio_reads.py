"""Portfolio reads with 10,000 trades in one account: DynamoDB requests per API read and
handler latency p50/p99, against DynamoDB Local (AWS's own engine; moto's Query sorts the
whole table on every call, which would measure moto, not us).

    .venv/bin/python -m bench.portfolio_reads [--trades 10000] [--iterations 200]

The data goes in through the real projection path (`apply_fact` on the DynamoDB store),
while a separate sample goes through the live path to measure projection throughput.

Filtered trade lists (issue 10: "pages that find what exists") are followed cursor by
cursor to their end: pages, empty pages that still carried a cursor, matches, and the
DynamoDB data requests per page and until the first match (the access check apart).
Before issue 10 (one Query of 50 entries per page, filters applied by DynamoDB), with
10,000 trades: `q=000123` took 201 pages, 199 of them empty with a cursor, the match after
171 requests; `status=cancelled` 201 pages, 191 empty with a cursor, 10 matches; 1.00
request per page.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import boto3
import jwt
from aws_lambda_powertools.utilities.typing import LambdaContext
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto.server import ThreadedMotoServer

from services.portfolio.topology import CURSOR_SIGNING_KEY

REPO = Path(__file__).resolve().parents[1]
ACCOUNT = "bench-account"
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench"
CLIENT_ID = "bench-client"
SUBJECT = "bench-admin"
CANCEL_EVERY = 1000
"""One trade in a thousand is cancelled: `status=cancelled` is a selective filter."""
SEARCHED = "000123"
"""`q` for one old trade (TR-000123): the newest-first list reaches it only deep down."""
MAX_FOLLOWED_PAGES = 400
ADMIN_PERMISSIONS = sorted(
    f"{area}:{action}"
    for area in ("portfolio", "trades", "documents", "billing", "usage_targets", "users")
    for action in ("read", "manage")
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Context:
    function_name = "bench-portfolio-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"


def configure_environment(endpoint: str, secrets_endpoint: str, tables: dict[str, str]) -> None:
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": secrets_endpoint,
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "SCTS_STAGE": "bench",
            "SCTS_READ_MODEL_TABLE": tables["read-model"],
            "SCTS_USAGE_TABLE": tables["usage"],
            "SCTS_ACCESS_TABLE": tables["access"],
            "SCTS_RATE_LIMITS_TABLE": tables["rate-limits"],
            "SCTS_USER_REQUESTS_PER_MINUTE": "1000000",  # one caller reads on and on
            "SCTS_CURSOR_SIGNING_KEY_SECRET_ID": CURSOR_SIGNING_KEY.secret_id("bench"),
            "SCTS_JWT_ISSUER": ISSUER,
            "SCTS_JWT_AUDIENCE": CLIENT_ID,
            "SCTS_JWKS_URL": "http://127.0.0.1:9/jwks.json",
            "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
        }
    )


def signed_token() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwks = {"keys": [{**jwk, "kid": "bench", "alg": "RS256", "use": "sig"}]}
    jwt.PyJWKClient.fetch_data = lambda self: jwks  # type: ignore[method-assign]
    now = int(time.time())
    claims = {
        "sub": SUBJECT,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 7200,
        "token_use": "access",
        "client_id": CLIENT_ID,
        "username": SUBJECT,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})


def grant_access() -> None:
    import common.access_handler as access
    from contracts.events import identity as id_events

    projection = access.projection()
    projection.apply(
        id_events.ACCOUNT_CREATED.new(
            id_events.AccountCreatedData(
                account_id=ACCOUNT, sequence=1, name="Bench", created_by="x"
            ),
            account_id=ACCOUNT,
            correlation_id="bench",
        )
    )
    projection.apply(
        id_events.ACCESS_GRANTED.new(
            id_events.AccessGrantedData(
                account_id=ACCOUNT,
                sequence=2,
                subject=SUBJECT,
                email="bench@example.com",
                role="admin",
                permissions=ADMIN_PERMISSIONS,
            ),
            account_id=ACCOUNT,
            correlation_id="bench",
        )
    )


def account_events(account: str, trades: int) -> list[Any]:
    from tests.unit.portfolio import portfolio_factories as make

    events: list[Any] = []
    for number in range(trades):
        reference = f"TR-{number:06d}"
        events.append(
            make.trade(
                account,
                reference,
                side="buy" if number % 3 else "sell",
                volume=str(10 + number % 490),
                trade_date=date(2024, 1, 1) + timedelta(days=number % 900),
                scheme=("GO", "I-REC", "REC")[number % 3],
                countries=(("NL", "DE", "FR", "VN")[number % 4],),
                vintage=f"{2023 + number % 3}-{1 + number % 12:02d}",
                delivery_date=date(2026, 1, 1) + timedelta(days=number % 700),
            )
        )
        if number % 4 == 0:
            events.append(make.delivery(account, reference, f"DL-{number:06d}", 5))
        if number % CANCEL_EVERY == CANCEL_EVERY - 1:
            events.append(
                make.trade(
                    account,
                    reference,
                    2,
                    status="cancelled",
                    side="buy" if number % 3 else "sell",
                    volume=str(10 + number % 490),
                    trade_date=date(2024, 1, 1) + timedelta(days=number % 900),
                    scheme=("GO", "I-REC", "REC")[number % 3],
                    countries=(("NL", "DE", "FR", "VN")[number % 4],),
                    vintage=f"{2023 + number % 3}-{1 + number % 12:02d}",
                    delivery_date=date(2026, 1, 1) + timedelta(days=number % 700),
                )
            )
        if number % 10 == 0:
            events.append(make.invoice(account, f"INV-{number:06d}", reference))
    return events


def seed_bulk(trades: int) -> int:
    """Fold the events with the same projection code in memory, then BatchWriteItem the
    resulting items (DynamoDB Local needs ~50 ms per live event on this machine)."""
    from common.settings import load_settings
    from services.portfolio.adapters.serde import to_dynamo
    from services.portfolio.logic.facts import Fact
    from services.portfolio.logic.projector import apply_fact
    from services.portfolio.settings import PortfolioSettings
    from tests.unit.portfolio import portfolio_factories as make
    from tests.unit.portfolio.portfolio_memory_store import MemoryStore

    memory = MemoryStore()
    for data in account_events(ACCOUNT, trades):
        apply_fact(memory, Fact.from_envelope(make.envelope(data)))
    table = load_settings(PortfolioSettings).read_model_table
    client = boto3.client("dynamodb")
    items = list(memory.items.values())
    for start in range(0, len(items), 25):
        pending: dict[str, Any] = {
            table: [{"PutRequest": {"Item": to_dynamo(i)}} for i in items[start : start + 25]]
        }
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return len(items)


def live_throughput(events: int, workers: int) -> float:
    """Events per second through the real consumer path (`apply_fact` on DynamoDB)."""
    from services.portfolio.dependencies import projection_store
    from services.portfolio.logic.facts import Fact
    from services.portfolio.logic.projector import apply_fact
    from tests.unit.portfolio import portfolio_factories as make

    sample = account_events("throughput-account", events)[:events]
    store = projection_store()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda d: apply_fact(store, Fact.from_envelope(make.envelope(d))), sample))
    return len(sample) / (time.perf_counter() - started)


def api_event(
    path_template: str, params: dict[str, str], query: dict[str, str], token: str
) -> dict[str, Any]:
    path = path_template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return {
        "version": "2.0",
        "routeKey": f"GET {path_template}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in query.items()),
        "queryStringParameters": query or None,
        "pathParameters": params,
        "headers": {"authorization": f"Bearer {token}"},
        "requestContext": {
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "bench",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": f"GET {path_template}",
            "stage": "$default",
            "accountId": "123456789012",
            "apiId": "bench",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 0,
        },
        "isBase64Encoded": False,
    }


def measure(
    name: str,
    call: Callable[[], dict[str, Any]],
    requests: Counter[str],
    iterations: int,
) -> dict[str, Any]:
    call()  # warm: clients, JWKS, settings
    requests.clear()
    timings = []
    for _ in range(iterations):
        started = time.perf_counter()
        response = call()
        timings.append((time.perf_counter() - started) * 1000)
        if response["statusCode"] != 200:
            raise RuntimeError(f"{name}: {response['statusCode']} {response.get('body', '')[:200]}")
    quantiles = statistics.quantiles(timings, n=100)
    access = requests.pop("access", 0)
    budget = requests.pop("budget", 0)
    return {
        "read": name,
        "data_requests_per_read": {
            op: count / iterations for op, count in sorted(requests.items())
        },
        "access_checks_per_read": access / iterations,
        "budget_checks_per_read": budget / iterations,
        "p50_ms": round(quantiles[49], 1),
        "p99_ms": round(quantiles[98], 1),
    }


def is_access_request(params: dict[str, Any], access_table: str) -> bool:
    tables = set(params.get("RequestItems", {})) | {params.get("TableName")}
    return access_table in tables


def request_kind(params: dict[str, Any], tables: dict[str, str], operation: str) -> str:
    """`access` (the guard), `budget` (the caller's rate limit) or the data operation."""
    if is_access_request(params, tables["access"]):
        return "access"
    if params.get("TableName") == tables["rate-limits"]:
        return "budget"
    return operation


def data_requests(requests: Counter[str]) -> int:
    """Requests to the portfolio's own tables (the access check apart)."""
    return sum(count for name, count in requests.items() if name not in ("access", "budget"))


def follow_pages(
    fetch: Callable[[dict[str, str]], dict[str, Any]],
    query: dict[str, str],
    requests: Counter[str],
) -> dict[str, Any]:
    """Follow a filtered list's cursors to its end: pages, empty pages that still carried a
    cursor, matches, and the data requests it took (per page and until the first match)."""
    requests.clear()
    pages = empty_with_cursor = matches = 0
    requests_to_first: int | None = None
    refused: int | None = None
    cursor: str | None = None
    while pages < MAX_FOLLOWED_PAGES:
        response = fetch({**query, **({"cursor": cursor} if cursor else {})})
        if response["statusCode"] != 200:
            refused = response["statusCode"]
            break
        body = json.loads(response["body"])
        pages += 1
        matches += len(body["items"])
        cursor = body["next_cursor"]
        if not body["items"] and cursor:
            empty_with_cursor += 1
        if body["items"] and requests_to_first is None:
            requests_to_first = data_requests(requests)
        if not cursor:
            break
    total = data_requests(requests)
    return {
        "pages": pages,
        "complete": cursor is None and refused is None,
        "refused": refused,
        "empty_pages_with_cursor": empty_with_cursor,
        "matches": matches,
        "data_requests": total,
        "requests_per_page": total / pages if pages else float(total),
        "requests_to_first_match": requests_to_first,
    }


FILTERED_LISTS = {
    f"q={SEARCHED} (one old trade)": {"q": SEARCHED},
    "status=cancelled (1 in 1000)": {"status": "cancelled"},
    "side=sell, scheme=GO, country=NL": {"side": "sell", "scheme": "GO", "country": "NL"},
    "scheme=I-REC, vintage 2025, -volume": {
        "scheme": "I-REC",
        "vintage_from": "2025-01",
        "vintage_to": "2025-12",
        "sort": "-volume",
    },
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trades", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--live-events", type=int, default=300)
    args = parser.parse_args()

    from infra.local.aws import start_dynamodb_local
    from infra.shape.resources import create_table_request

    port = free_port()
    process = start_dynamodb_local(REPO, port, None)
    secrets_server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    secrets_server.start()
    try:
        from services.portfolio.topology import TOPOLOGY

        endpoint = f"http://127.0.0.1:{port}"
        host, secrets_port = secrets_server.get_host_and_port()
        tables = {t.name: TOPOLOGY.resource_name("bench", t.name) for t in TOPOLOGY.tables}
        configure_environment(endpoint, f"http://{host}:{secrets_port}", tables)
        boto3.client("secretsmanager").create_secret(
            Name=CURSOR_SIGNING_KEY.secret_id("bench"), SecretString=uuid.uuid4().hex * 2
        )
        requests: Counter[str] = Counter()
        boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None
        boto3.DEFAULT_SESSION.events.register(
            "before-parameter-build.dynamodb",
            lambda model, params, **_: requests.update([request_kind(params, tables, model.name)]),
        )
        client = boto3.client("dynamodb")
        for table in TOPOLOGY.tables:
            client.create_table(**create_table_request(TOPOLOGY, "bench", table))

        grant_access()
        started = time.perf_counter()
        written = seed_bulk(args.trades)
        seconds = time.perf_counter() - started
        print(f"seeded {args.trades} trades ({written} items) in {seconds:.1f} s")
        throughput = live_throughput(args.live_events, args.workers)
        token = signed_token()

        from services.portfolio.handlers import api

        context = cast(LambdaContext, Context())
        account = "/v1/accounts/{account_id}"
        params = {"account_id": ACCOUNT}

        def get(
            path: str, query: dict[str, str] | None = None, **extra: str
        ) -> Callable[[], dict[str, Any]]:
            event = api_event(f"{account}{path}", {**params, **extra}, query or {}, token)
            return lambda: api.handler(event, context)

        first_page = json.loads(get("/trades")()["body"])
        scenarios = {
            "trades page (50, newest first)": get("/trades"),
            "trades page 2 (cursor)": get("/trades", {"cursor": first_page["next_cursor"]}),
            "trades page (filters: side, scheme, country, date range)": get(
                "/trades",
                {
                    "side": "buy",
                    "scheme": "GO",
                    "country": "NL",
                    "trade_date_from": "2024-06-01",
                    "trade_date_to": "2025-06-01",
                },
            ),
            "trades page (sort by volume)": get("/trades", {"sort": "-volume"}),
            "trade detail": get("/trades/{reference}", reference="TR-000004"),
            "holdings by scheme,country": get("/holdings", {"group_by": "scheme,country"}),
            "forward deals page": get("/forward-deals"),
            "invoices page": get("/invoices"),
            "usage + coverage": get("/usage"),
            "financials": get("/financials"),
            "summary": get("/summary"),
        }
        rows = [measure(name, call, requests, args.iterations) for name, call in scenarios.items()]
        paging = {
            name: follow_pages(
                lambda query: api.handler(
                    api_event(f"{account}/trades", params, query, token), context
                ),
                {"limit": "50", **query},
                requests,
            )
            for name, query in FILTERED_LISTS.items()
        }
        requests.clear()
        started = time.perf_counter()
        export = get("/trades/export")()
        export_s = time.perf_counter() - started
        export_rows = export["body"].count("\r\n") - 1
        export_requests = sum(v for k, v in requests.items() if k != "access")
    finally:
        secrets_server.stop()
        process.terminate()
        process.wait(timeout=30)

    print(
        f"\nlive projection: {throughput:.0f} events/s over {args.live_events} events "
        f"({args.workers} threads, one account)"
    )
    print(f"{'read':58} {'DynamoDB data requests':>24} {'access':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        data = ", ".join(f"{count:g} {op}" for op, count in row["data_requests_per_read"].items())
        access = row["access_checks_per_read"]
        print(f"{row['read']:58} {data:>24} {access:>7g} {row['p50_ms']:>8} {row['p99_ms']:>8}")
    print("\nfiltered trade lists, limit 50, cursors followed to the end (data requests only):")
    print(
        f"{'filter':40} {'pages':>6} {'empty+cursor':>13} {'matches':>8} "
        f"{'requests':>9} {'req/page':>9} {'req to 1st':>11}"
    )
    for name, found in paging.items():
        pages = f"{found['pages']}" + ("" if found["complete"] else "+")
        first = found["requests_to_first_match"]
        refused = f"  (then {found['refused']})" if found["refused"] else ""
        print(
            f"{name:40} {pages:>6} {found['empty_pages_with_cursor']:>13} "
            f"{found['matches']:>8} {found['data_requests']:>9} "
            f"{found['requests_per_page']:>9.2f} {first if first is not None else '-':>11}{refused}"
        )
    print(
        f"\nCSV export of all trades: {export_rows} rows, {export_requests} data requests, "
        f"{export_s:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
