"""Guards for infra/local/moto_speedups.py: fail when moto changes under the patches."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import boto3
import jsonpath_ng.ext as jsonpath_ext
import pytest
from moto import mock_aws
from moto.events.utils import EventTemplateParser
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sqs import models as sqs_models
from moto.sqs.models import Queue, SQSBackend, sqs_backends

from infra.local import moto_speedups
from tests.support.things import drain

pytestmark = pytest.mark.integration
REGION = "eu-west-1"


@pytest.fixture
def speedups() -> Iterator[None]:
    moto_speedups.install()
    try:
        yield
    finally:
        moto_speedups.uninstall()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


def test_the_server_finds_the_same_backend_for_each_host_with_the_speedups() -> None:
    hosts = [
        "sqs.eu-west-1.amazonaws.com",
        "events.eu-west-1.amazonaws.com",
        "dynamodb.us-east-1.amazonaws.com",
        "cognito-idp.eu-west-1.amazonaws.com",
        "s3.amazonaws.com",
        "bucket.s3.eu-west-1.amazonaws.com",
        "moto_api",
    ]
    plain = DomainDispatcherApplication(create_backend_app)
    expected = [plain.get_backend_for_host(h) for h in hosts]
    moto_speedups.install()
    try:
        fast = DomainDispatcherApplication(create_backend_app)
        assert [fast.get_backend_for_host(h) for h in hosts * 2] == expected * 2
        assert fast.get_backend_for_host(None) is None
    finally:
        moto_speedups.uninstall()
    assert expected[:3] == ["sqs", "events", "dynamodb"]


def test_moto_is_the_version_the_patches_were_written_for() -> None:
    assert version("moto") == "5.2.5"


def test_moto_still_looks_up_the_jsonpath_parser_at_call_time() -> None:
    # The memoized parser only takes effect if moto imports `parse` inside the call.
    assert "from jsonpath_ng.ext import parse" in inspect.getsource(EventTemplateParser.parse)


def test_moto_still_checks_retention_through_the_patched_method() -> None:
    source = inspect.getsource(SQSBackend.receive_message)
    assert "is_message_valid_based_on_retention_period" in source


def _moto_function(name: str) -> Any:
    owner_name, _, attribute = name.rpartition(".")
    owner = {
        "SQSBackend": SQSBackend,
        "Queue": Queue,
        "DomainDispatcherApplication": DomainDispatcherApplication,
        "": sqs_models,
    }[owner_name]
    found = owner.__dict__[attribute]
    return found.fget if isinstance(found, property) else found


@pytest.mark.parametrize("name", sorted(moto_speedups.REPLACED_SOURCES))
def test_each_replaced_moto_function_is_the_one_the_fix_was_written_against(name: str) -> None:
    # A different moto source means the replacement must be re-checked against it.
    source = inspect.getsource(_moto_function(name))
    assert moto_speedups.source_fingerprint(source) == moto_speedups.REPLACED_SOURCES[name]


def test_install_replaces_every_patched_attribute_and_uninstall_restores_them() -> None:
    names = sorted(moto_speedups.REPLACED_SOURCES)
    originals = {name: _moto_function(name) for name in names}
    moto_speedups.install()
    try:
        assert all(_moto_function(name) is not originals[name] for name in names)
    finally:
        moto_speedups.uninstall()
    assert {name: _moto_function(name) for name in names} == originals


def test_install_memoizes_and_uninstall_restores() -> None:
    original = getattr(jsonpath_ext, "parse")  # noqa: B009
    moto_speedups.install()
    try:
        parse = getattr(jsonpath_ext, "parse")  # noqa: B009
        assert parse("$.detail") is parse("$.detail")
    finally:
        moto_speedups.uninstall()
    assert getattr(jsonpath_ext, "parse") is original  # noqa: B009


def _deliver_one_event(name: str) -> dict[str, object]:
    events = boto3.client("events")
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.create_event_bus(Name=name)
    events.put_rule(Name="r", EventBusName=name, EventPattern=json.dumps({"source": ["scts.x"]}))
    events.put_targets(Rule="r", EventBusName=name, Targets=[{"Id": "q", "Arn": arn}])
    events.put_events(
        Entries=[
            {"Source": "scts.x", "DetailType": "Fact", "Detail": '{"a": 1}', "EventBusName": name}
        ]
    )
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    body: dict[str, object] = json.loads(messages[0]["Body"])
    return {k: v for k, v in body.items() if k not in ("id", "time")}


def test_eventbridge_delivers_the_same_event_with_the_speedups(aws: None) -> None:
    plain = _deliver_one_event("plain")
    moto_speedups.install()
    try:
        fast = _deliver_one_event("fast")
    finally:
        moto_speedups.uninstall()
    assert fast == plain
    assert fast["detail"] == {"a": 1}


def test_expired_messages_are_still_withheld(aws: None, speedups: None) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="q", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="old")
    queue = sqs_backends["123456789012"][REGION].get_queue("q")
    old: Any = next(m for m in queue._messages if m.body == "old")
    old.sent_timestamp -= 120_000  # two minutes ago: past the 60 s retention
    assert sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []) == []

    sqs.send_message(QueueUrl=url, MessageBody="new")
    queue._messages.remove(old)
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in received] == ["new"]


def test_send_and_receive_no_longer_compute_every_queue_attribute(
    aws: None, speedups: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fix's point: SendMessage/ReceiveMessage cost no pass over the whole queue."""
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="deep")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="first")
    computed: list[str] = []
    original = Queue.__dict__["attributes"].fget

    def counting(queue: Queue) -> dict[str, Any]:
        computed.append(queue.name)
        attributes: dict[str, Any] = original(queue)
        return attributes

    monkeypatch.setattr(Queue, "attributes", property(counting))
    sqs.send_message(QueueUrl=url, MessageBody="second")
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
    assert computed == []


def _queue_story(prefix: str) -> dict[str, Any]:
    """Everything a consumer can observe of SQS on the paths the speed-ups touch."""
    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    url = sqs.create_queue(
        QueueName=f"{prefix}-q",
        Attributes={
            "VisibilityTimeout": "30",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}),
        },
    )["QueueUrl"]
    story: dict[str, Any] = {}
    for number in range(6):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{number}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]

    def counts() -> list[str]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return [attributes[name] for name in names]

    story["after_send"] = counts()
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=4)["Messages"]
    story["first_batch"] = [m["Body"] for m in first]
    story["in_flight"] = counts()
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])  # twice: fine
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-handle")
    answer = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "a", "ReceiptHandle": first[1]["ReceiptHandle"]}],
    )
    story["batch_delete"] = [e["Id"] for e in answer.get("Successful", [])]
    for message in first[2:]:  # failed: back on the queue at once
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    story["after_release"] = counts()
    second = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
    )["Messages"]
    story["second_batch"] = sorted(
        (m["Body"], m["Attributes"]["ApproximateReceiveCount"]) for m in second
    )
    for message in second:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    third = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    story["third_batch"] = sorted(m["Body"] for m in third)  # received twice -> DLQ
    story["dead"] = sorted(m["Body"] for m in drain(sqs, dlq_url))
    fifo = sqs.create_queue(
        QueueName=f"{prefix}.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for body in ("same", "same", "other"):
        sqs.send_message(QueueUrl=fifo, MessageBody=body, MessageGroupId="g")
    story["fifo"] = [m["Body"] for m in drain(sqs, fifo)]
    return story


def test_sqs_behaves_the_same_with_the_speedups(aws: None) -> None:
    plain = _queue_story("plain")
    moto_speedups.install()
    try:
        fast = _queue_story("fast")
    finally:
        moto_speedups.uninstall()
    assert fast == plain
    assert plain["after_send"] == ["6", "0", "1"]
    assert plain["first_batch"] == ["m0", "m1", "m2", "m3"]
    assert plain["third_batch"] == ["m4", "m5"]
    assert plain["dead"] == ["m2", "m3"]
    assert plain["fifo"] == ["same", "other"]
