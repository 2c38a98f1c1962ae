"""AWS requests per 1,000 new trades, end to end (prints figures; not a test).

    .venv/bin/python -m bench.provisioning_requests [trades]

Runs the real ingest API handler (publisher key check, batch ingest, transactional outbox)
against DynamoDB Local, then feeds the table's stream to the real outbox relay
(`common.relay_handler.relay`, stream batches of 100 as a Lambda event source mapping
delivers them) with an EventBridge client that only counts. Counts every AWS call.
"""

from __future__ import annotations

import json
import math
import os
import random
import socket
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.local.aws import LOOPBACK, client, start_dynamodb_local, stop_process
from infra.local.demo import records as testdata
from services.provisioning.adapters.publishers import DynamoPublisherStore
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic import publishers as publisher_admin
from services.provisioning.topology import TOPOLOGY
from tests.support.provisioning_fakes import InMemoryUsageKeys

REPO = Path(__file__).resolve().parent.parent
BATCH = 500
STREAM_BATCH = 100
COUNTERPARTIES = [f"STX-CP-{n:04d}" for n in range(10)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


class CountingEvents:
    def __init__(self) -> None:
        self.calls = 0
        self.entries = 0

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        assert len(Entries) <= 10
        self.calls += 1
        self.entries += len(Entries)
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "x"} for _ in Entries]}


def create_tables(dynamodb: Any) -> None:
    for table in TOPOLOGY.tables:
        keys = [table.partition_key, *([table.sort_key] if table.sort_key else [])]
        extra: dict[str, Any] = {}
        if table.stream:
            extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        dynamodb.create_table(
            TableName=TOPOLOGY.resource_name("bench", table.name),
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
            KeySchema=[
                {"AttributeName": k, "KeyType": "HASH" if i == 0 else "RANGE"}
                for i, k in enumerate(keys)
            ],
            BillingMode="PAY_PER_REQUEST",
            **extra,
        )


def api_event(key: str, records: list[dict[str, Any]], kind: str = "trades") -> dict[str, Any]:
    """The ingest API's REST proxy event (payload 1.0) for `POST /v1/<kind>`."""
    headers = {"Content-Type": "application/json", "x-api-key": key}
    return {
        "resource": f"/v1/{kind}",
        "path": f"/v1/{kind}",
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": f"/v1/{kind}",
            "httpMethod": "POST",
            "path": f"/v1/{kind}",
            "identity": {"sourceIp": "127.0.0.1"},
            "requestId": uuid.uuid4().hex,
            "stage": "bench",
        },
        "body": json.dumps({"records": records}),
        "isBase64Encoded": False,
    }


class Context:
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"


def stream_records(url: str, table: str) -> list[dict[str, Any]]:
    dynamodb = client("dynamodb", url)
    streams = client("dynamodbstreams", url)
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    found: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            found.extend(page["Records"])
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return found


def main() -> None:
    trades = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    port = free_port()
    process = start_dynamodb_local(REPO, port, open(os.devnull, "wb"))  # noqa: SIM115
    url = f"http://{LOOPBACK}:{port}"
    try:
        os.environ.update(
            {
                "AWS_ENDPOINT_URL_DYNAMODB": url,
                "AWS_ENDPOINT_URL_S3": f"http://{LOOPBACK}:9",
                "AWS_DEFAULT_REGION": "eu-west-1",
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "SCTS_SERVICE_NAME": "provisioning",
                "SCTS_STAGE": "bench",
                "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
                "POWERTOOLS_LOG_LEVEL": "WARNING",
                **{t.env_var: TOPOLOGY.resource_name("bench", t.name) for t in TOPOLOGY.tables},
                **{b.env_var: TOPOLOGY.resource_name("bench", b.name) for b in TOPOLOGY.buckets},
            }
        )
        from common.relay_handler import relay
        from services.provisioning import dependencies
        from services.provisioning.handlers import ingest

        dynamodb = dependencies.dynamodb()
        create_tables(dynamodb)
        settings = dependencies.settings()
        now = datetime.now(UTC)
        records = DynamoRecordStore(dynamodb, None, settings.records_table, settings.files_bucket)
        registered = publisher_admin.register(
            DynamoPublisherStore(dynamodb, settings.publishers_table),
            InMemoryUsageKeys(),  # the gateway's throttle is not part of this count
            records,
            "bench",
            None,
            "bench",
            now,
        )
        for n, reference in enumerate(COUNTERPARTIES):
            records.record_account(f"acc-{n:04d}", reference, 1)
        links = [testdata.counterparty(r, f"acc-{n:04d}", r) for n, r in enumerate(COUNTERPARTIES)]
        handler: Any = ingest.handler
        linked = handler(api_event(registered.api_key, links, "counterparties"), Context())
        assert json.loads(linked["body"])["counts"]["accepted"] == len(links), linked

        calls: Counter[str] = Counter()
        dynamodb.meta.events.register(
            "before-call.dynamodb.*", lambda model, **_: calls.update([model.name])
        )
        rng = random.Random(11)
        batch_trades = [
            testdata.random_trade(rng, n, rng.choice(COUNTERPARTIES)) for n in range(trades)
        ]
        accepted = 0
        for start in range(0, trades, BATCH):
            batch = batch_trades[start : start + BATCH]
            reply = handler(api_event(registered.api_key, batch), Context())
            body = json.loads(reply["body"])
            accepted += body["counts"]["accepted"]
        stream = stream_records(url, settings.records_table)
        events = CountingEvents()
        trade_inserts = [
            r
            for r in stream
            if "TradeExecuted"
            in json.dumps(r["dynamodb"].get("NewImage", {}).get("detail_type", {}))
        ]
        for start in range(0, len(trade_inserts), STREAM_BATCH):
            relay(trade_inserts[start : start + STREAM_BATCH], "scts-bench-bus", events)
    finally:
        stop_process(process)

    dynamo_total = sum(calls.values())
    floor_writes = math.ceil(2 * trades / 100)
    floor_events = math.ceil(trades / 10)
    floor = floor_writes + floor_events
    total = dynamo_total + events.calls
    per_1000 = 1000 / trades
    print(f"trades pushed: {trades:,} in batches of {BATCH} (accepted {accepted:,})")
    print("DynamoDB requests by operation:", dict(sorted(calls.items())))
    print(f"PutEvents calls: {events.calls} ({events.entries} entries)")
    print(f"AWS requests per 1,000 new trades: {total * per_1000:.0f}")
    print(
        f"floor from batch limits (TransactWriteItems 100 items = 50 trades + outbox, "
        f"PutEvents 10): {floor * per_1000:.0f} -> ratio {total / floor:.2f}x"
    )


if __name__ == "__main__":
    main()
