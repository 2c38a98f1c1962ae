"""Bucket notifications in the topology and what they become (names, queue attributes, the
bucket's NotificationConfiguration), shared by the local runtime and the CDK app."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from common.topology import Bucket, BucketNotification, Function, ServiceTopology, Subscription
from infra.local import resources

pytestmark = pytest.mark.unit

FUNCTIONS = (
    Function(name="landed", handler="svc.handlers.landed.handler", timeout_seconds=20),
    Function(name="other", handler="svc.handlers.other.handler"),
)


def topology(*notifications: BucketNotification, **extra: object) -> ServiceTopology:
    return ServiceTopology(
        service="gadgets",
        functions=FUNCTIONS,
        buckets=(Bucket(name="files"), Bucket(name="spare")),
        bucket_notifications=notifications,
        **extra,
    )


def landed(**overrides: object) -> BucketNotification:
    fields: dict[str, object] = {
        "name": "landed",
        "bucket": "files",
        "prefix": "uploads/",
        "function": "landed",
        "max_receives": 3,
    }
    return BucketNotification.model_validate({**fields, **overrides})


def test_a_notification_gets_its_own_queue_and_dlq_with_redrive() -> None:
    declared = topology(landed())
    (notification,) = declared.bucket_notifications

    assert declared.queue_name("local", notification) == "scts-local-gadgets-landed"
    assert declared.dlq_name("local", notification) == "scts-local-gadgets-landed-dlq"
    attributes = resources.queue_attributes(declared, notification, "arn:dlq")
    assert attributes["VisibilityTimeout"] == "120"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:dlq",
        "maxReceiveCount": 3,
    }
    assert declared.queue_fed == (notification,)


def test_the_bucket_configuration_sends_object_created_under_the_prefix_to_the_queue() -> None:
    declared = topology(landed(), landed(name="docs", prefix="documents/", function="other"))

    files = resources.bucket_notification_configuration(
        declared, declared.buckets[0], {"landed": "arn:q1", "docs": "arn:q2"}
    )
    spare = resources.bucket_notification_configuration(declared, declared.buckets[1], {})

    assert files == {
        "QueueConfigurations": [
            {
                "Id": "landed",
                "QueueArn": "arn:q1",
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
            },
            {
                "Id": "docs",
                "QueueArn": "arn:q2",
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "documents/"}]}},
            },
        ]
    }
    assert spare == {"QueueConfigurations": []}


@pytest.mark.parametrize(
    ("notification", "message"),
    [
        (landed(bucket="nowhere"), "unknown bucket 'nowhere'"),
        (landed(function="nobody"), "unknown function 'nobody'"),
    ],
)
def test_a_notification_must_name_a_declared_bucket_and_function(notification, message) -> None:
    with pytest.raises(ValidationError, match=message):
        topology(notification)


def test_a_notification_cannot_share_a_queue_name_with_a_subscription() -> None:
    subscription = Subscription(
        name="landed", detail_types=("A",), sources=("scts.x",), function="other"
    )
    with pytest.raises(ValidationError, match="one queue namespace"):
        topology(landed(), subscriptions=(subscription,))


@pytest.mark.parametrize("prefix", ["", "uploads/*", "up loads/"])
def test_a_prefix_is_a_plain_non_empty_key_prefix(prefix) -> None:
    with pytest.raises(ValidationError):
        landed(prefix=prefix)
