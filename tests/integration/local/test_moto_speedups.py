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
from moto.sqs.models import SQSBackend, sqs_backends

from infra.local import moto_speedups

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


def test_moto_is_the_version_the_patches_were_written_for() -> None:
    assert version("moto") == "5.2.5"


def test_moto_still_looks_up_the_jsonpath_parser_at_call_time() -> None:
    # The memoized parser only takes effect if moto imports `parse` inside the call.
    assert "from jsonpath_ng.ext import parse" in inspect.getsource(EventTemplateParser.parse)


def test_moto_still_checks_retention_through_the_patched_method() -> None:
    source = inspect.getsource(SQSBackend.receive_message)
    assert "is_message_valid_based_on_retention_period" in source


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
