"""Move a dead-letter queue's messages back to the queue they came from.

    python -m infra.ops.redrive --local scts-local-portfolio-provisioning-events-dlq
    python -m infra.ops.redrive --stage prod scts-prod-portfolio-provisioning-events-dlq
    python -m infra.ops.redrive --local --list          # every DLQ of the stage, with depth

On AWS this is SQS's own DLQ redrive (StartMessageMoveTask, followed until it completes).
Where that API is missing (moto, so the local runtime), or with `--method copy`, messages
are moved by hand: receive, send to the source queue (body and attributes; on a FIFO queue
the same message group, and the DLQ message id as deduplication id, so a repeated move is
dropped within SQS's 5-minute window), then delete from the DLQ. A message is deleted only
after it was sent, so a crash mid-move may duplicate a message but never loses one
(consumers are idempotent). Redriven messages start with a fresh receive count.

The outbox relay's DLQ holds stream batch metadata, not messages to move: recover those
facts with `python -m infra.ops.republish ... --unpublished` (docs/reliability.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from infra.ops.target import Target, add_target_arguments, target_from

RECEIVE_BATCH = 10
VISIBILITY_SECONDS = 60
MOVE_TASK_POLL_SECONDS = 2.0
MOVE_TASK_DONE = ("COMPLETED", "CANCELLED", "FAILED")
RELAY_DLQ_SUFFIX = "relay-dlq"
"""Outbox relay DLQs: `scts-<stage>-outbox-relay-dlq` locally, `...-<table>-relay-dlq` in AWS."""
UNSUPPORTED_CODES = ("InvalidAction", "UnsupportedOperation", "NotImplemented", "500")
"""How an SQS without StartMessageMoveTask answers it (moto: HTTP 500, NotImplementedError)."""


class RedriveError(RuntimeError):
    pass


@dataclass(frozen=True)
class Queue:
    url: str
    arn: str

    @property
    def name(self) -> str:
        return self.arn.rsplit(":", 1)[1]

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")


def resolve(sqs: Any, name_or_url: str) -> Queue:
    url = (
        name_or_url
        if "://" in name_or_url
        else sqs.get_queue_url(QueueName=name_or_url)["QueueUrl"]
    )
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return Queue(url, arn)


def source_queue(sqs: Any, dlq: Queue) -> Queue:
    """The one queue whose redrive policy names this DLQ."""
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq.url).get("queueUrls", [])
    if len(sources) != 1:
        hint = (
            " It is the outbox relay's DLQ (stream metadata): use infra.ops.republish."
            if dlq.name.endswith(RELAY_DLQ_SUFFIX)
            else " Name the destination with --to."
        )
        raise RedriveError(f"{dlq.name} is the DLQ of {len(sources)} queues.{hint}")
    return resolve(sqs, sources[0])


def depth(sqs: Any, queue: Queue) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue.url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[n]) for n in names)


def move_task(
    sqs: Any,
    dlq: Queue,
    destination: Queue | None,
    echo: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> int | None:
    """SQS's redrive; the number moved, or None when this SQS lacks the API."""
    request: dict[str, Any] = {"SourceArn": dlq.arn}
    if destination is not None:
        request["DestinationArn"] = destination.arn
    try:
        sqs.start_message_move_task(**request)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in UNSUPPORTED_CODES:
            return None
        raise
    while True:
        tasks = sqs.list_message_move_tasks(SourceArn=dlq.arn, MaxResults=1)["Results"]
        task = tasks[0] if tasks else {}
        status = task.get("Status", "UNKNOWN")
        moved = int(task.get("ApproximateNumberOfMessagesMoved", 0))
        echo(f"move task {status}: {moved} moved")
        if status in MOVE_TASK_DONE:
            if status != "COMPLETED":
                raise RedriveError(f"move task {status}: {task.get('FailureReason', '')}")
            return moved
        sleep(MOVE_TASK_POLL_SECONDS)


def _copy_attributes(message: dict[str, Any]) -> dict[str, Any]:
    copied = {}
    for name, value in message.get("MessageAttributes", {}).items():
        kept = {k: value[k] for k in ("DataType", "StringValue", "BinaryValue") if k in value}
        copied[name] = kept
    return copied


def copy_move(sqs: Any, dlq: Queue, destination: Queue, limit: int | None = None) -> int:
    """Receive -> send -> delete, batch by batch, until the DLQ is empty (or `limit`)."""
    if dlq.fifo != destination.fifo:
        raise RedriveError("a FIFO DLQ redrives only to a FIFO queue, a standard one to standard")
    moved = 0
    empty_receives = 0
    while empty_receives < 2 and (limit is None or moved < limit):
        wanted = RECEIVE_BATCH if limit is None else min(RECEIVE_BATCH, limit - moved)
        messages = sqs.receive_message(
            QueueUrl=dlq.url,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=1,
            VisibilityTimeout=VISIBILITY_SECONDS,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            empty_receives += 1
            continue
        empty_receives = 0
        entries = []
        for index, message in enumerate(messages):
            entry: dict[str, Any] = {
                "Id": str(index),
                "MessageBody": message["Body"],
                "MessageAttributes": _copy_attributes(message),
            }
            if destination.fifo:
                entry["MessageGroupId"] = message["Attributes"]["MessageGroupId"]
                entry["MessageDeduplicationId"] = message["MessageId"]
            entries.append(entry)
        answer = sqs.send_message_batch(QueueUrl=destination.url, Entries=entries)
        sent = {int(s["Id"]) for s in answer.get("Successful", [])}
        done = [m for i, m in enumerate(messages) if i in sent]
        if done:
            sqs.delete_message_batch(
                QueueUrl=dlq.url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        moved += len(done)
        if len(done) < len(messages):
            failures = answer.get("Failed", [])
            raise RedriveError(f"{len(failures)} messages could not be sent back: {failures}")
    return moved


def redrive(
    target: Target,
    queue: str,
    *,
    to: str | None = None,
    method: str = "auto",
    limit: int | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    sqs = target.client("sqs")
    dlq = resolve(sqs, queue)
    destination = resolve(sqs, to) if to else source_queue(sqs, dlq)
    echo(f"{dlq.name}: {depth(sqs, dlq)} messages -> {destination.name}")
    use_task = method == "move-task" or (method == "auto" and not target.local and limit is None)
    if use_task:
        moved = move_task(sqs, dlq, destination if to else None, echo)
        if moved is not None:
            return moved
        if method == "move-task":
            raise RedriveError("this SQS has no StartMessageMoveTask; use --method copy")
        echo("StartMessageMoveTask is not available here; moving message by message")
    return copy_move(sqs, dlq, destination, limit)


def list_dead_letter_queues(target: Target, echo: Callable[[str], None] = print) -> None:
    sqs = target.client("sqs")
    urls = sqs.list_queues(QueueNamePrefix=f"scts-{target.stage}-").get("QueueUrls", [])
    for url in sorted(u for u in urls if u.endswith(("-dlq", "-dlq.fifo"))):
        queue = resolve(sqs, url)
        echo(f"{depth(sqs, queue):>8}  {queue.name}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.ops.redrive", description=__doc__.split("\n")[0]
    )
    add_target_arguments(parser)
    parser.add_argument("queue", nargs="?", help="the DLQ: name or URL")
    parser.add_argument("--to", help="destination queue (default: the DLQ's source queue)")
    parser.add_argument("--method", choices=("auto", "move-task", "copy"), default="auto")
    parser.add_argument("--max", type=int, help="move at most this many (copy method)")
    parser.add_argument("--list", action="store_true", help="list the stage's DLQs and depths")
    args = parser.parse_args(argv)
    target = target_from(args)
    if args.list:
        list_dead_letter_queues(target)
        return 0
    if not args.queue:
        parser.error("name the DLQ to redrive (or --list)")
    try:
        moved = redrive(target, args.queue, to=args.to, method=args.method, limit=args.max)
    except RedriveError as exc:
        print(f"redrive failed: {exc}", file=sys.stderr)
        return 1
    print(f"moved {moved} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
