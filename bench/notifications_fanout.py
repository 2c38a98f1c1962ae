"""Fan-out: one trade to an account of 500 members, every stage in-process against moto
(the same adapters and handlers Lambda runs): time, and the AWS requests our code makes,
against the floor that SES's and DynamoDB's batch limits allow.

    .venv/bin/python -m bench.notifications_fanout [--members 500]

Floor for N members who each get the trade in the inbox and by email:
- SES: N sends (personal raw MIME: no batch API takes per-person content);
- DynamoDB: the roster (1 Query per MB), the people (BatchGetItem, 100 keys), the
  notifications (conditional writes: TransactWriteItems, 100 items), and each email's "sent"
  written by itself right after SES takes it (a retry after the claim's lease must find it);
so floor = 2N + 1 + 2 * ceil(N / 100). Queue polling (receive/delete, what Lambda's event
source mapping does) is shown apart from the requests our code makes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from common.access.dynamo import AccessProjection
from contracts.events import identity as idn
from infra.local.sqs_poller import sqs_event
from infra.shape.resources import PlatformValues, function_environment
from services.notifications.topology import TOPOLOGY
from tests.support.tables import create_table
from tests.unit.notifications.events import trade

REGION = "eu-west-1"
STAGE = "bench"
ACCOUNT = "acc_fanout"
POLLING = frozenset({"ReceiveMessage", "DeleteMessage", "DeleteMessageBatch"})


class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def prepare(members: int) -> Any:
    os.environ.update(
        {"AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    dynamodb = boto3.resource("dynamodb", region_name=REGION)
    for table in TOPOLOGY.tables:
        create_table(dynamodb.meta.client, TOPOLOGY.resource_name(STAGE, table.name), table)
    sqs = boto3.client("sqs", region_name=REGION)
    for queue in TOPOLOGY.queue_fed:
        sqs.create_queue(QueueName=TOPOLOGY.queue_name(STAGE, queue))
    for secret in TOPOLOGY.secrets:
        boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name=secret.secret_id(STAGE), SecretString=secrets.token_urlsafe(48)
        )
    sender = "no-reply@scts.local"
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=sender)
    platform = PlatformValues("bus", "pool", sender, "iss", "aud", "jwks")
    env = function_environment(TOPOLOGY, STAGE, platform, version="0", git_commit="x")
    env.pop("SCTS_MAIL_CONFIGURATION_SET")  # moto's SESv2 knows no configuration sets
    os.environ.update(env)
    projection = AccessProjection(TOPOLOGY.resource_name(STAGE, "access"), dynamodb)
    created = idn.AccountCreatedData(
        account_id=ACCOUNT, sequence=1, name="Fan-out BV", created_by="r"
    )
    projection.apply(idn.ACCOUNT_CREATED.new(created, account_id=ACCOUNT, correlation_id="c"))
    from services.notifications import dependencies

    store = dependencies.store()
    for n in range(members):
        subject = f"member-{n:04d}"
        data = idn.AccessGrantedData(
            account_id=ACCOUNT,
            sequence=n + 2,
            subject=subject,
            email=f"{subject}@fanout.example",
            role="trader",
            permissions=["trades:read"],
        )
        projection.apply(idn.ACCESS_GRANTED.new(data, account_id=ACCOUNT, correlation_id="c"))
        store.update_contact(subject, "email", {"email": f"{subject}@fanout.example"}, 1)
    return sqs


def run(sqs: Any) -> tuple[float, Counter[str]]:
    from botocore.client import BaseClient

    from services.notifications.handlers import events, stages

    calls: Counter[str] = Counter()
    original = BaseClient._make_api_call

    def counted(self: Any, operation: str, params: Any) -> Any:
        calls[operation] += 1
        return original(self, operation, params)

    envelope = trade(ACCOUNT, "T-FANOUT", at=datetime.now(UTC))
    body = {
        "source": envelope.source,
        "detail-type": envelope.detail_type,
        "detail": json.loads(envelope.model_dump_json()),
    }
    message = {"MessageId": "m", "ReceiptHandle": "r", "Body": json.dumps(body)}
    handlers = {
        "render": stages.render_handler,
        "email": stages.email_handler,
        "push": stages.push_handler,
        "record": stages.record_handler,
    }
    BaseClient._make_api_call = counted
    started = time.perf_counter()
    try:
        events.handler(sqs_event([message], "arn:aws:sqs:eu-west-1:1:events"), Context())  # type: ignore[arg-type]
        busy = True
        while busy:
            busy = False
            for name, handler in handlers.items():
                url = sqs.get_queue_url(QueueName=TOPOLOGY.resource_name(STAGE, name))["QueueUrl"]
                got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                if not got:
                    continue
                busy = True
                handler(sqs_event(got, f"arn:aws:sqs:{REGION}:1:{name}"), Context())  # type: ignore[arg-type]
                for m in got:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    finally:
        BaseClient._make_api_call = original
    return time.perf_counter() - started, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    with mock_aws():
        sqs = prepare(args.members)
        seconds, calls = run(sqs)
    polling = sum(v for k, v in calls.items() if k in POLLING or k == "GetQueueUrl")
    ours = sum(calls.values()) - polling
    floor = 2 * args.members + 1 + 2 * math.ceil(args.members / 100)
    print(f"fan-out of one trade to {args.members} members: {seconds:.1f} s in-process on moto")
    print(
        f"AWS requests by our code: {ours} (floor {floor}: {ours / floor:.2f}x); "
        f"queue polling besides: {polling}"
    )
    print("by operation:", dict(sorted(calls.items())))


if __name__ == "__main__":
    main()
