"""The files bucket's notification starts an upload without `complete`: a real bucket
notification configuration (the local runtime's provisioning) on moto, a real presigned PUT,
the queue's messages into the `upload-landed` function as the SQS poller delivers them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import boto3
import pytest
import requests

from infra.local import resources
from infra.local.demo import records as testdata
from infra.local.sqs_poller import sqs_event
from services.provisioning.handlers import upload_landed
from services.provisioning.topology import TOPOLOGY, UPLOAD_LANDED

from .conftest import REGION, STAGE, Cloud, FakeContext

pytestmark = pytest.mark.integration

COLUMNS = [*testdata.trade().keys(), "cancellation_reason"]


class NotificationQueue:
    def __init__(self, cloud: Cloud) -> None:
        self.sqs = boto3.client("sqs", region_name=REGION)
        (self.queues,) = resources.provision_bucket_notifications(
            TOPOLOGY, STAGE, sqs=self.sqs, s3=cloud.s3
        )
        assert self.queues.subscription.function == UPLOAD_LANDED

    def deliver(self) -> list[str]:
        """Every message on the queue into the function; the bodies delivered."""
        bodies: list[str] = []
        while True:
            messages = self.sqs.receive_message(
                QueueUrl=self.queues.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not messages:
                return bodies
            result = upload_landed.handler(
                sqs_event(messages, self.queues.queue_arn),
                FakeContext(),  # type: ignore[arg-type]
            )
            assert result == {"batchItemFailures": []}
            for message in messages:
                bodies.append(message["Body"])
                self.sqs.delete_message(
                    QueueUrl=self.queues.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )


@pytest.fixture
def queue(cloud: Cloud) -> NotificationQueue:
    return NotificationQueue(cloud)


def trades_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n in range(count):
        row = testdata.trade(f"STX-T-{n:04d}")
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue().encode()


def put_file(cloud: Cloud, key: str, content: bytes) -> dict[str, Any]:
    ticket = cloud.call(
        "POST",
        "/v1/uploads",
        key=key,
        body={"kind": "trades", "format": "csv", "size_bytes": len(content)},
    )
    assert ticket.status == 201, ticket.body
    put = requests.put(
        ticket.body["upload_url"], data=content, headers=ticket.body["headers"], timeout=10
    )
    assert put.status_code == 200
    return dict(ticket.body)


def upload_received(cloud: Cloud) -> list[dict[str, Any]]:
    return [e for e in cloud.outbox() if e["detail_type"] == "UploadReceived"]


def status(cloud: Cloud, key: str, upload_id: str) -> dict[str, Any]:
    reply = cloud.call("GET", "/v1/uploads/{upload_id}", key=key, upload_id=upload_id)
    assert reply.status == 200, reply.body
    return dict(reply.body)


def test_a_put_file_is_queued_and_processed_without_complete(
    cloud: Cloud, key: str, queue: NotificationQueue
) -> None:
    ticket = put_file(cloud, key, trades_csv(12))

    bodies = queue.deliver()

    assert json.loads(bodies[0])["Event"] == "s3:TestEvent"
    assert status(cloud, key, ticket["upload_id"])["status"] == "queued"
    (event,) = upload_received(cloud)
    assert event["data"]["upload_id"] == ticket["upload_id"]
    assert event["data"]["object_key"].startswith("uploads/")
    cloud.deliver_uploads()
    done = status(cloud, key, ticket["upload_id"])
    assert done["status"] == "completed"
    assert done["counts"] == {"accepted": 12, "duplicate": 0, "rejected": 0}


def test_complete_after_the_notification_changes_nothing(
    cloud: Cloud, key: str, queue: NotificationQueue
) -> None:
    ticket = put_file(cloud, key, trades_csv(2))
    queue.deliver()

    done = cloud.call(
        "POST", "/v1/uploads/{upload_id}/complete", key=key, upload_id=ticket["upload_id"]
    )

    assert (done.status, done.body["status"]) == (202, "queued")
    assert len(upload_received(cloud)) == 1


def test_the_notification_after_complete_or_a_second_put_changes_nothing(
    cloud: Cloud, key: str, queue: NotificationQueue
) -> None:
    content = trades_csv(2)
    ticket = put_file(cloud, key, content)
    done = cloud.call(
        "POST", "/v1/uploads/{upload_id}/complete", key=key, upload_id=ticket["upload_id"]
    )
    assert done.status == 202
    requests.put(ticket["upload_url"], data=content, headers=ticket["headers"], timeout=10)

    bodies = queue.deliver()

    assert len(bodies) == 3  # the test event and two ObjectCreated notifications
    assert len(upload_received(cloud)) == 1


def test_objects_outside_the_prefix_or_naming_no_upload_change_nothing(
    cloud: Cloud, key: str, queue: NotificationQueue
) -> None:
    cloud.s3.put_object(Bucket=cloud.bucket, Key="rejections/pub-x/upl-x.csv", Body=b"x")
    cloud.s3.put_object(Bucket=cloud.bucket, Key="uploads/pub-x/upl-unknown.csv", Body=b"x")

    bodies = queue.deliver()

    created = [json.loads(b)["Records"][0]["s3"]["object"]["key"] for b in bodies[1:]]
    assert [k.replace("%2F", "/") for k in created] == ["uploads/pub-x/upl-unknown.csv"]
    assert upload_received(cloud) == []
