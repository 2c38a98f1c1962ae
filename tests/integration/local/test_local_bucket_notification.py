"""A bucket notification on the moto server, as the local runtime provisions and polls it:
objects PUT under the prefix reach the function through the SQS poller, others do not,
the s3:TestEvent is consumed, and a failing object is retried then dead-lettered."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import unquote_plus
from uuid import uuid4

import pytest

from common.object_consumer import CreatedObject, object_consumer_handler
from common.observability import observability
from common.topology import Bucket, BucketNotification, Function, ServiceTopology
from infra.local import resources
from infra.local.aws import client
from infra.local.invoke import FunctionSpec, InProcessInvoker
from infra.local.sqs_poller import SqsPoller
from tests.support.things import drain

pytestmark = pytest.mark.integration

STAGE = "itest"


def topology() -> ServiceTopology:
    """Fresh names: the moto server is shared by the module's tests."""
    bucket = Bucket(name=f"files-{uuid4().hex[:8]}")
    return ServiceTopology(
        service="gadgets",
        functions=(Function(name="landed", handler="tests.unused.handler", timeout_seconds=1),),
        buckets=(bucket,),
        bucket_notifications=(
            BucketNotification(
                name=f"landed-{uuid4().hex[:6]}",
                bucket=bucket.name,
                prefix="incoming/",
                function="landed",
                max_receives=2,
            ),
        ),
    )


def test_created_objects_under_the_prefix_are_polled_into_the_function(
    moto_url: str, aws_env: dict[str, str]
) -> None:
    declared = topology()
    sqs, s3 = client("sqs", moto_url), client("s3", moto_url)
    bucket = resources.bucket_name(declared, STAGE, declared.buckets[0])
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name}
    )
    (queues,) = resources.provision_bucket_notifications(declared, STAGE, sqs=sqs, s3=s3)
    redrive = sqs.get_queue_attributes(QueueUrl=queues.queue_url, AttributeNames=["All"])
    assert json.loads(redrive["Attributes"]["RedrivePolicy"])["maxReceiveCount"] == 2

    handled: list[str] = []

    def handle(created: CreatedObject) -> None:
        handled.append(created.key)
        if created.key.endswith("poison.csv"):
            raise RuntimeError("cannot handle this object")

    invoker = InProcessInvoker()
    spec = FunctionSpec("gadgets-landed", "tests.unused.handler", 1, 128)
    invoker.register(spec, object_consumer_handler(handle, observability("t")))
    poller = SqsPoller(
        sqs,
        invoker,
        queue_url=queues.queue_url,
        queue_arn=queues.queue_arn,
        function_name=spec.name,
        batch_size=declared.bucket_notifications[0].batch_size,
        stop=threading.Event(),
        wait_seconds=1,  # an empty poll in the loop below returns within a second
    )
    s3.put_object(Bucket=bucket, Key="incoming/a b+c.csv", Body=b"1")
    s3.put_object(Bucket=bucket, Key="elsewhere/x.csv", Body=b"1")
    s3.put_object(Bucket=bucket, Key="incoming/poison.csv", Body=b"1")

    assert poller.poll_once() == 3  # the test event and two created objects
    dead: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while not dead and time.monotonic() < deadline:
        poller.poll_once()
        dead = drain(sqs, queues.dlq_url)

    assert handled == ["incoming/a b+c.csv", "incoming/poison.csv", "incoming/poison.csv"]
    assert [
        unquote_plus(json.loads(m["Body"])["Records"][0]["s3"]["object"]["key"]) for m in dead
    ] == ["incoming/poison.csv"]
    assert drain(sqs, queues.queue_url) == []
