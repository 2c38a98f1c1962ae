"""Monthly statements for N accounts: total time and AWS requests (prints figures; not a test).

    .venv/bin/python -m bench.documents_statements [accounts]   (default 1000)

Loads each account's facts (a counterparty link, three trades with deliveries, a
retirement and two invoices, through the real fact store) into DynamoDB Local (AWS's
engine, as `make run` uses; S3 and the rest on a moto server), then runs the statements
function's use case (`logic.statements.run`) for the month with the real adapters:
DynamoDB for facts and documents, S3 for the files, reportlab for the PDFs. Counts every
AWS request of the run, by operation; the local services' answers are timed apart, so
the figure without them is the service's own work (AWS adds a few ms per request).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import boto3
import pytest

from infra.local.aws import (
    LOOPBACK,
    Moto,
    aws_environment,
    client,
    start_dynamodb_local,
    stop_process,
    wait_for_port,
)
from infra.local.runtime import REPO
from infra.shape.resources import PlatformValues, create_table_request, function_environment
from services.documents import dependencies
from services.documents.logic import statements
from services.documents.logic.statement_figures import Month
from services.documents.topology import TOPOLOGY
from tests.integration.documents.conftest import PROVIDERS
from tests.integration.local.conftest import free_port
from tests.unit.documents.documents_factories import (
    CP,
    NAMES,
    as_fact,
    delivery,
    invoice,
    retirement,
    trade,
)

MONTH = Month(2026, 11)
STAGE = "bench"
PLATFORM = PlatformValues("bus", "pool", "mail", "issuer", "audience", "jwks")


def account_facts(account: str) -> list[Any]:
    from contracts.events import provisioning as prov

    CP.setdefault(account, f"STX-CP-{account}")
    NAMES.setdefault(account, f"Counterparty {account}")
    link = prov.CounterpartyLinked(
        account_id=account, reference=CP[account], version=1, publisher_id="p",
        legal_name=NAMES[account],
    )  # fmt: skip
    facts = [as_fact("CounterpartyLinked", link, f"link-{account}")]
    for n in range(3):
        reference = f"T-{account}-{n}"
        facts.append(trade(reference, account=account, side="buy" if n else "sell"))
        facts.append(
            delivery(
                f"D-{account}-{n}", reference, 100 + n, account=account, on=date(2026, 11, 2 + n)
            )
        )
    facts.append(retirement(f"R-{account}", 50, account=account))
    facts.append(invoice(f"INV-{account}-1", account=account))
    facts.append(invoice(f"INV-{account}-2", account=account, paid="3555.80"))
    return facts


@contextmanager
def local_aws() -> Iterator[None]:
    """DynamoDB Local + a moto server on free ports, the documents service's resources and
    environment (as the runtime provisions them), the providers reset around."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    moto = Moto(free_port())
    moto.start()
    with tempfile.TemporaryFile() as log:
        dynamodb_local = start_dynamodb_local(REPO, port := free_port(), log)
    try:
        dynamodb_url = f"http://{LOOPBACK}:{port}"
        env = {
            **aws_environment(moto.url, dynamodb_url),
            **function_environment(TOPOLOGY, STAGE, PLATFORM, version="bench", git_commit="bench"),
        }
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            wait_for_port(port, 60, dynamodb_local)
            dynamodb = client("dynamodb", dynamodb_url)
            for table in TOPOLOGY.tables:
                dynamodb.create_table(**create_table_request(TOPOLOGY, STAGE, table))
            s3 = client("s3", moto.url)
            s3.create_bucket(
                Bucket=env["SCTS_FILES_BUCKET"],
                CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name},
            )
            for provider in PROVIDERS:
                provider.reset()
            yield
    finally:
        for provider in PROVIDERS:
            provider.reset()
        stop_process(dynamodb_local)
        moto.stop()


def main(argv: list[str]) -> int:
    accounts = int(argv[0]) if argv else 1000
    calls: Counter[str] = Counter()
    waited = [0.0]
    started_call: list[float] = []

    def counted(event_name: str, **_: Any) -> None:
        calls[event_name.removeprefix("before-call.")] += 1
        started_call.append(time.perf_counter())

    def answered(**_: Any) -> None:
        waited[0] += time.perf_counter() - started_call.pop()

    with local_aws():
        ports = dependencies.ports()
        loading = time.perf_counter()
        for number in range(accounts):
            for fact in account_facts(f"acc-{number:05d}"):
                ports.facts.add(fact)
        loaded = time.perf_counter() - loading
        boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None
        boto3.DEFAULT_SESSION.events.register("before-call.*.*", counted)
        boto3.DEFAULT_SESSION.events.register("after-call.*.*", answered)
        for provider in (dependencies.dynamodb, dependencies.s3, dependencies.fact_store,
                         dependencies.document_store, dependencies.files):  # fmt: skip
            provider.reset()
        ports = dependencies.ports()
        started = time.perf_counter()
        result = statements.run(ports, MONTH, "bench")
        seconds = time.perf_counter() - started
        waited_first = waited[0]
        again_started = time.perf_counter()
        calls_first = dict(calls)
        calls.clear()
        again = statements.run(ports, MONTH, "bench")
        again_seconds = time.perf_counter() - again_started
    total = sum(calls_first.values())
    print(
        f"monthly statements of {MONTH} for {accounts} accounts (facts loaded in {loaded:.0f} s):"
    )
    print(f"  first run   {seconds:7.1f} s   {len(result.issued)} issued   {total} AWS requests "
          f"({total / accounts:.1f} per account)")  # fmt: skip
    own = seconds - waited_first
    print(f"              {own:7.1f} s of the service's own work (without AWS's answers)")
    for operation, count in sorted(calls_first.items()):
        print(f"    {operation:<32} {count}")
    print(f"  re-run      {again_seconds:7.1f} s   {len(again.issued)} issued, {again.unchanged} "
          f"unchanged (same SHA-256)   {sum(calls.values())} AWS requests")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
