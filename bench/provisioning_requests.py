"""AWS requests per 1,000 new trades, end to end: producer, relay, delivery and consumer
(prints figures; not a test).

    .venv/bin/python -m bench.provisioning_requests [trades]

Runs the real code of each hop against DynamoDB Local (AWS's engine) and moto's EventBridge
and SQS, and counts the AWS requests each hop makes:
- producer: the ingest function (publisher check, batch ingest, transactional outbox),
  batches of 500;
- relay: the outbox relay on the table's stream, in the batches the event source mapping
  hands it (up to 100 outbox inserts, after its filter): PutEvents, and the published marks
  written back to the outbox;
- delivery: EventBridge -> the portfolio's subscription queue, one SendMessage per event
  (billed to the queue; counted as the messages that arrived);
- consumer: the portfolio projector behind its SQS event source mapping: ReceiveMessage
  and DeleteMessageBatch per batch of 10 (what the mapping calls), and every DynamoDB
  request the projector makes for the events.
Not counted: the mapping's stream reads (GetRecords is not billed for Lambda triggers),
the SQS mapping's empty long polls while idle, CloudWatch and X-Ray.
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

from common.outbox_relay import RELAY_MAPPING
from infra.local import resources
from infra.local.aws import LOOPBACK, MOTO_ENV, Moto, client, start_dynamodb_local, stop_process
from infra.local.demo import records as testdata
from infra.local.sqs_poller import sqs_event
from infra.local.stream_poller import lambda_stream_record, matches_filter
from services.portfolio.topology import TOPOLOGY as PORTFOLIO
from services.provisioning.adapters.publishers import DynamoPublisherStore
from services.provisioning.adapters.records import DynamoRecordStore
from services.provisioning.logic import publishers as publisher_admin
from services.provisioning.topology import TOPOLOGY
from tests.support.provisioning_fakes import InMemoryUsageKeys

REPO = Path(__file__).resolve().parent.parent
STAGE = "bench"
BATCH = 500
SQS_BATCH = 10
COUNTERPARTIES = [f"STX-CP-{n:04d}" for n in range(10)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def counting(api: Any, calls: Counter[str], prefix: str) -> Any:
    """`api` (a boto3 client) with every request it makes counted in `calls`."""
    api.meta.events.register(
        f"before-call.{api.meta.service_model.service_name}.*",
        lambda model, **_: calls.update([f"{prefix} {model.name}"]),
    )
    return api


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
            "stage": STAGE,
        },
        "body": json.dumps({"records": records}),
        "isBase64Encoded": False,
    }


class Context:
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"


def stream_records(url: str, table: str, after: str | None) -> list[dict[str, Any]]:
    """The table's stream records after sequence number `after`, as Lambda delivers them."""
    dynamodb, streams = client("dynamodb", url), client("dynamodbstreams", url)
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    found: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        position: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
            if after
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], **position)[
            "ShardIterator"
        ]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            found.extend(lambda_stream_record(r, arn) for r in page["Records"])
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return found


def environment(ddb_url: str, moto_url: str) -> None:
    os.environ.update(
        {
            **MOTO_ENV,
            "AWS_ENDPOINT_URL": moto_url,
            "AWS_ENDPOINT_URL_DYNAMODB": ddb_url,
            "AWS_ENDPOINT_URL_S3": f"http://{LOOPBACK}:9",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "SCTS_SERVICE_NAME": "provisioning",
            "SCTS_STAGE": STAGE,
            "SCTS_EVENT_BUS_NAME": resources.event_bus_name(STAGE),
            "POWERTOOLS_METRICS_NAMESPACE": "SCTS",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            **{t.env_var: resources.table_name(TOPOLOGY, STAGE, t) for t in TOPOLOGY.tables},
            **{t.env_var: resources.table_name(PORTFOLIO, STAGE, t) for t in PORTFOLIO.tables},
            **{b.env_var: TOPOLOGY.resource_name(STAGE, b.name) for b in TOPOLOGY.buckets},
        }
    )


def main() -> None:
    trades = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    port = free_port()
    process = start_dynamodb_local(REPO, port, open(os.devnull, "wb"))  # noqa: SIM115
    moto = Moto(free_port())
    moto.start()
    ddb_url = f"http://{LOOPBACK}:{port}"
    calls: Counter[str] = Counter()
    try:
        environment(ddb_url, moto.url)
        from common.relay_handler import relay
        from services.portfolio import dependencies as portfolio_dependencies
        from services.portfolio.adapters.dynamo import DynamoProjectionStore
        from services.portfolio.handlers import projector
        from services.provisioning import dependencies
        from services.provisioning.handlers import ingest

        dynamodb = dependencies.dynamodb()
        for topology in (TOPOLOGY, PORTFOLIO):
            for table in topology.tables:
                dynamodb.create_table(**resources.create_table_request(topology, STAGE, table))
        sqs, events = client("sqs", moto.url), client("events", moto.url)
        bus = resources.event_bus_name(STAGE)
        events.create_event_bus(Name=bus)
        subscription = next(s for s in PORTFOLIO.subscriptions if s.name == "provisioning-events")
        queue = resources.provision_subscription(
            PORTFOLIO, STAGE, subscription, bus, sqs=sqs, events=events
        )
        settings = dependencies.settings()
        records = DynamoRecordStore(dynamodb, None, settings.records_table, settings.files_bucket)
        registered = publisher_admin.register(
            DynamoPublisherStore(dynamodb, settings.publishers_table, settings.records_table),
            InMemoryUsageKeys(),  # the gateway's throttle is not part of this count
            records,
            "bench",
            None,
            "bench",
            datetime.now(UTC),
            "bench",
        )
        for n, reference in enumerate(COUNTERPARTIES):
            records.record_account(f"acc-{n:04d}", reference, 1)
        links = [testdata.counterparty(r, f"acc-{n:04d}", r) for n, r in enumerate(COUNTERPARTIES)]
        handler: Any = ingest.handler
        linked = handler(api_event(registered.api_key, links, "counterparties"), Context())
        assert json.loads(linked["body"])["counts"]["accepted"] == len(links), linked
        setup_end = stream_records(ddb_url, settings.records_table, None)[-1]["dynamodb"][
            "SequenceNumber"
        ]

        # producer
        counting(dynamodb, calls, "producer DynamoDB")
        rng = random.Random(11)
        book = [testdata.random_trade(rng, n, rng.choice(COUNTERPARTIES)) for n in range(trades)]
        accepted = 0
        for start in range(0, trades, BATCH):
            reply = handler(api_event(registered.api_key, book[start : start + BATCH]), Context())
            accepted += json.loads(reply["body"])["counts"]["accepted"]

        # relay -> bus -> queue -> projector, a mapping batch at a time (keeps the queue short)
        relay_events = counting(client("events", moto.url), calls, "relay EventBridge")
        relay_dynamodb = counting(client("dynamodb", ddb_url), calls, "relay DynamoDB")
        consumer_sqs = counting(client("sqs", moto.url), calls, "consumer SQS")
        projector_dynamodb = counting(client("dynamodb", ddb_url), calls, "consumer DynamoDB")
        store = DynamoProjectionStore(settings_value("SCTS_READ_MODEL_TABLE"), projector_dynamodb)
        inserts = [
            r
            for r in stream_records(ddb_url, settings.records_table, setup_end)
            if any(matches_filter(f, r) for f in RELAY_MAPPING.filters)
        ]
        delivered = 0
        with portfolio_dependencies.projection_store.override(store):
            for start in range(0, len(inserts), RELAY_MAPPING.batch_size):
                batch = inserts[start : start + RELAY_MAPPING.batch_size]
                failed = relay(batch, bus, relay_events, relay_dynamodb)
                assert failed == [], failed
                delivered += consume(
                    consumer_sqs, queue.queue_url, queue.queue_arn, projector.handler
                )
    finally:
        moto.stop()
        stop_process(process)

    calls["delivery SQS SendMessage (by EventBridge)"] = delivered
    print_report(trades, accepted, len(inserts), calls)


def settings_value(name: str) -> str:
    return os.environ[name]


def consume(sqs: Any, url: str, arn: str, handler: Any) -> int:
    """Drain the queue as the SQS mapping does: receive 10, invoke, delete the batch."""
    received = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=SQS_BATCH, MessageSystemAttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return received
        answer = handler(sqs_event(messages, arn), Context())
        assert answer == {"batchItemFailures": []}, answer
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )
        received += len(messages)


def print_report(trades: int, accepted: int, events: int, calls: Counter[str]) -> None:
    empty_receives = max(
        0, calls["consumer SQS ReceiveMessage"] - calls["consumer SQS DeleteMessageBatch"]
    )
    calls["consumer SQS ReceiveMessage"] -= empty_receives  # the bench's own "queue empty?" polls
    per_1000 = 1000 / trades
    print(f"trades pushed: {trades:,} in batches of {BATCH} (accepted {accepted:,})")
    print(f"events relayed and projected: {events:,}")
    hops: Counter[str] = Counter()
    for name, count in sorted(calls.items()):
        hop = name.split(" ", 1)[0]
        hops[hop] += count
        print(f"  {name:<48} {count:>7,}   {count * per_1000:>9,.1f} per 1,000 trades")
    total = sum(hops.values())
    print("per 1,000 trades: " + ", ".join(f"{hop} {n * per_1000:,.0f}" for hop, n in hops.items()))
    print(f"AWS requests per 1,000 new trades, end to end: {total * per_1000:,.0f}")
    floor_producer = math.ceil(2 * trades / 100)
    floor_relay = math.ceil(trades / 10) + math.ceil(trades / 25)
    floor_delivery = trades
    floor_consumer = 2 * math.ceil(trades / SQS_BATCH)
    floor = floor_producer + floor_relay + floor_delivery + floor_consumer
    print(
        "floor from batch limits without the projector's reads and writes (100 transaction "
        "items = 50 trades + outbox; PutEvents 10; BatchWriteItem 25; one delivery per event; "
        f"receive + delete per 10): {floor * per_1000:,.0f}"
    )


if __name__ == "__main__":
    main()
