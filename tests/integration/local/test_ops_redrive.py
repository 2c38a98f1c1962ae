"""`python -m infra.ops.redrive`: a DLQ's messages go back to their queue, intact.

On moto the move is done message by message (moto has no StartMessageMoveTask: guarded
below); against AWS the command drives StartMessageMoveTask (shown with botocore's Stubber).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import boto3
import pytest
from botocore.stub import Stubber

from infra.local.aws import client
from infra.ops import redrive
from infra.ops.target import Target
from tests.support.things import drain

pytestmark = pytest.mark.integration


@pytest.fixture
def endpoints(moto_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "endpoints.json"
    path.write_text(json.dumps({"aws_endpoint": moto_url, "dynamodb_endpoint": moto_url}))
    return path


def queue_pair(sqs: Any, fifo: bool = False) -> tuple[str, str, str]:
    """A queue redriving to its DLQ after one receive; (queue url, dlq url, dlq name)."""
    suffix = ".fifo" if fifo else ""
    extra = {"FifoQueue": "true"} if fifo else {}
    name = f"scts-local-test-{uuid4().hex[:8]}"
    dlq_name = f"{name}-dlq{suffix}"
    dlq = sqs.create_queue(QueueName=dlq_name, Attributes=extra)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue = sqs.create_queue(
        QueueName=f"{name}{suffix}",
        Attributes={
            **extra,
            "VisibilityTimeout": "0",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}),
        },
    )["QueueUrl"]
    return queue, dlq, dlq_name


def fail_everything(sqs: Any, queue: str) -> None:
    """Receive until SQS has moved every message to the DLQ (maxReceiveCount 1)."""
    for _ in range(20):
        if not drain(sqs, queue):
            return
    raise AssertionError("messages stayed on the queue")


def test_redrive_moves_every_message_back_with_its_attributes(
    moto_url: str, endpoints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs = client("sqs", moto_url)
    queue, dlq, dlq_name = queue_pair(sqs)
    sent = {f"message {n}" for n in range(25)}
    for body in sent:
        sqs.send_message(
            QueueUrl=queue,
            MessageBody=body,
            MessageAttributes={"kind": {"DataType": "String", "StringValue": "trade"}},
        )
    fail_everything(sqs, queue)
    assert redrive.depth(sqs, redrive.resolve(sqs, dlq)) == 25

    assert redrive.main(["--local", str(endpoints), dlq_name]) == 0
    assert "moved 25 messages" in capsys.readouterr().out

    back = sqs.receive_message  # read them all from the source queue, with attributes
    moved: list[dict[str, Any]] = []
    while len(moved) < 25:
        batch = back(QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
            "Messages", []
        )
        assert batch, "messages missing from the source queue"
        moved += batch
        sqs.delete_message_batch(
            QueueUrl=queue,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )
    assert {m["Body"] for m in moved} == sent
    assert all(m["MessageAttributes"]["kind"]["StringValue"] == "trade" for m in moved)
    assert drain(sqs, dlq) == []


def test_redrive_keeps_fifo_groups_in_order(moto_url: str, endpoints: Path) -> None:
    """Messages as a FIFO queue's DLQ holds them (in group order) go back in that order."""
    sqs = client("sqs", moto_url)
    queue, dlq, dlq_name = queue_pair(sqs, fifo=True)
    for n in range(6):
        for group in ("a", "b"):
            sqs.send_message(
                QueueUrl=dlq,
                MessageBody=f"{group}{n}",
                MessageGroupId=group,
                MessageDeduplicationId=f"{group}{n}",
            )
    assert redrive.main(["--local", str(endpoints), dlq_name]) == 0
    order: dict[str, list[str]] = {"a": [], "b": []}
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, MessageSystemAttributeNames=["MessageGroupId"]
        ).get("Messages", [])
        if not batch:
            break
        for message in batch:
            order[message["Attributes"]["MessageGroupId"]].append(message["Body"])
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    assert order == {g: [f"{g}{n}" for n in range(6)] for g in ("a", "b")}


def test_the_relay_dlq_is_not_redriven_but_pointed_at_republish(
    moto_url: str, endpoints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs = client("sqs", moto_url)
    name = f"scts-local-{uuid4().hex[:6]}-outbox-relay-dlq"
    sqs.create_queue(QueueName=name)
    assert redrive.main(["--local", str(endpoints), name]) == 1
    assert "infra.ops.republish" in capsys.readouterr().err


def test_moto_still_lacks_start_message_move_task(moto_url: str) -> None:
    """Guard: the local runtime redrives by copying because moto 5.2.5 has no
    StartMessageMoveTask. When this fails, moto has it: let `auto` use it locally too."""
    sqs = client("sqs", moto_url)
    _, dlq, _ = queue_pair(sqs)
    target = redrive.resolve(sqs, dlq)
    assert redrive.move_task(sqs, target, None, echo=lambda _: None) is None


def test_on_aws_the_command_drives_a_message_move_task() -> None:
    sqs = boto3.client(
        "sqs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    dlq_arn = "arn:aws:sqs:eu-west-1:123456789012:scts-prod-portfolio-events-dlq"
    dlq = redrive.Queue("https://sqs.eu-west-1.amazonaws.com/123456789012/dlq", dlq_arn)
    with Stubber(sqs) as stub:
        stub.add_response(
            "start_message_move_task", {"TaskHandle": "handle"}, {"SourceArn": dlq_arn}
        )
        for status, moved in (("RUNNING", 4), ("COMPLETED", 9)):
            stub.add_response(
                "list_message_move_tasks",
                {"Results": [{"Status": status, "ApproximateNumberOfMessagesMoved": moved}]},
                {"SourceArn": dlq_arn, "MaxResults": 1},
            )
        lines: list[str] = []
        assert redrive.move_task(sqs, dlq, None, echo=lines.append, sleep=lambda _: None) == 9
        stub.assert_no_pending_responses()
    assert lines == ["move task RUNNING: 4 moved", "move task COMPLETED: 9 moved"]


def test_a_cloud_target_uses_the_move_task_and_a_local_one_copies() -> None:
    assert not Target("prod").local
    assert Target("local", {"aws_endpoint": "x", "dynamodb_endpoint": "y"}).local
