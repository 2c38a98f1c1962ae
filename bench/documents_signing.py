"""Signed URL issue latency, warm (prints figures; not a test).

    .venv/bin/python -m bench.documents_signing [requests]

Runs the real API handler in-process on moto (JWT check, access projection, one read of
the document, one RSA-SHA256 signature) for `GET .../documents/{id}/download`, after a
warm-up request (cold start: settings, JWKS, signing key and CDN parameters are read once
and cached). Prints p50/p95 and the AWS requests one warm issue makes, by operation.
Target: p95 < 50 ms warm.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from infra.local.resources import new_rsa_key_pair
from services.documents import dependencies
from services.documents.handlers import api
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.integration.documents.conftest import CONTEXT, running_documents
from tests.integration.documents.test_documents_api import DOWNLOAD, A, envelope, link
from tests.support.http_api import http_api_event
from tests.unit.common.jwt_tokens import Tokens
from tests.unit.documents.documents_factories import trade


def figures(samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[18]
    return f"p50 {statistics.median(samples) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 300
    calls: Counter[str] = Counter()
    waited = [0.0]
    started_call: list[float] = []

    def counted(event_name: str, **_: Any) -> None:
        calls[event_name.removeprefix("before-call.")] += 1
        started_call.append(time.perf_counter())

    def answered(**_: Any) -> None:
        waited[0] += time.perf_counter() - started_call.pop()

    with running_documents(Tokens(), new_rsa_key_pair()) as documents:
        boto3.setup_default_session()  # moto replaced it: count on the one the adapters use
        assert boto3.DEFAULT_SESSION is not None
        boto3.DEFAULT_SESSION.events.register("before-call.*.*", counted)
        boto3.DEFAULT_SESSION.events.register("after-call.*.*", answered)
        documents.create_account(A)
        documents.grant(A, "trader", "trader", sorted(BUILT_IN_ROLES[RoleName.TRADER]))
        documents.publish(link(A), envelope(trade("STX-T-1")))
        params = {"account_id": A, "document_id": "confirmation-STX-T-1"}
        status, _ = documents.call(
            "GET", DOWNLOAD, "trader", account_id=A, document_id=params["document_id"]
        )  # the cold request, its answer checked against the OpenAPI document
        assert status == 200
        token = documents.tokens.sign(documents.tokens.claims("access", sub="trader"))
        path = DOWNLOAD.replace("{account_id}", A).replace("{document_id}", params["document_id"])
        event = http_api_event(
            "GET", DOWNLOAD, path, headers={"authorization": f"Bearer {token}"},
            path_parameters=params,
        )  # fmt: skip
        calls.clear()
        assert api.handler(event, CONTEXT)["statusCode"] == 200
        per_issue = dict(calls)
        samples, own = [], []
        for _ in range(count):
            waited[0] = 0.0
            started = time.perf_counter()
            answer = api.handler(event, CONTEXT)
            samples.append(time.perf_counter() - started)
            own.append(samples[-1] - waited[0])
            assert answer["statusCode"] == 200
        signer = dependencies.signer()
        key = "files/acc-a/confirmation-STX-T-1/v1/0123456789abcdef/confirmation-STX-T-1.pdf"
        signatures = []
        for _ in range(count):
            started = time.perf_counter()
            signer.sign(key, datetime.now(UTC) + timedelta(minutes=2))
            signatures.append(time.perf_counter() - started)
    print(f"signed URL issue, warm, {count} requests through the API handler (moto in-process):")
    print(f"  whole request   {figures(samples)}   (moto's answers included)")
    print(f"  without AWS     {figures(own)}   (the handler's own time)")
    print("                  target p95 < 50 ms warm: own time + two DynamoDB reads in AWS")
    print(f"  signature alone {figures(signatures)}")
    print(f"  AWS requests per issue: {sum(per_issue.values())} {per_issue}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
