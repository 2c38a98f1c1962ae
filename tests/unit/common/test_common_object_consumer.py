"""The bucket-notification consumer: S3 event notifications in SQS bodies -> created objects,
the s3:TestEvent dropped, malformed bodies reported as batch item failures."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

from common.object_consumer import CreatedObject, object_consumer_handler
from common.observability import observability

pytestmark = pytest.mark.unit

TEST_EVENT_BODY = json.dumps(
    {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-03-02T09:30:00.000Z",
        "Bucket": "scts-test-provisioning-files",
    }
)


def moto_body(key: str, size: int = 5, event_name: str = "ObjectCreated:Put") -> str:
    """What moto 5.2.5 sends (no principal, request parameters or sequencer): measured."""
    return json.dumps(
        {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "awsRegion": "eu-west-1",
                    "eventTime": "2026-03-02T09:30:00.000Z",
                    "eventName": event_name,
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "configurationId": "upload-landed",
                        "bucket": {"name": "scts-test-provisioning-files"},
                        "object": {"key": key, "size": size, "eTag": "x"},
                    },
                }
            ]
        }
    )


def sqs_event(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": "r",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "x",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:q",
                "awsRegion": "eu-west-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


class Context:
    function_name = "scts-test-provisioning-upload-landed"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:x"
    aws_request_id = "test"


@pytest.fixture
def consume(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "SCTS")
    seen: list[CreatedObject] = []

    def handle(created: CreatedObject) -> None:
        if created.key.endswith("boom.csv"):
            raise RuntimeError("handler failed")
        seen.append(created)

    handler = object_consumer_handler(handle, observability("provisioning"))

    def run(*bodies: str) -> tuple[dict[str, Any], list[CreatedObject]]:
        seen.clear()
        return handler(sqs_event(*bodies), Context()), list(seen)  # type: ignore[arg-type]

    return run


def test_created_objects_reach_the_handler_with_decoded_keys(consume) -> None:
    result, seen = consume(
        moto_body("uploads%2Fpub+1%2Fupl-1%2Bx.csv", size=42),
        moto_body("uploads/pub-2/upl-2.jsonl"),
    )

    assert result == {"batchItemFailures": []}
    assert [(s.key, s.size, s.message_id) for s in seen] == [
        ("uploads/pub 1/upl-1+x.csv", 42, "m0"),
        ("uploads/pub-2/upl-2.jsonl", 5, "m1"),
    ]
    assert seen[0].bucket == "scts-test-provisioning-files"


def test_the_s3_test_event_is_dropped_without_failing(consume) -> None:
    result, seen = consume(TEST_EVENT_BODY)

    assert result == {"batchItemFailures": []}
    assert seen == []


def test_events_other_than_object_created_are_skipped(consume) -> None:
    result, seen = consume(moto_body("uploads/p/u.csv", event_name="ObjectRemoved:Delete"))

    assert result == {"batchItemFailures": []}
    assert seen == []


def test_malformed_bodies_and_handler_errors_fail_only_their_record(consume) -> None:
    result, seen = consume(
        "not json",
        json.dumps({"Records": []}),
        moto_body("uploads/p/boom.csv"),
        moto_body("uploads/p/fine.csv"),
    )

    assert result == {"batchItemFailures": [{"itemIdentifier": m} for m in ("m0", "m1", "m2")]}
    assert [s.key for s in seen] == ["uploads/p/fine.csv"]


def test_a_notification_that_cannot_be_read_is_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its failure reached no log before (Powertools keeps it to its own silenced logger):
    only the DLQ alarm, later, with nothing saying which message or why."""
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "SCTS")
    obs = observability("provisioning")
    output = io.StringIO()
    log_handler = obs.logger.registered_handler
    assert isinstance(log_handler, logging.StreamHandler)
    log_handler.setStream(output)
    handler = object_consumer_handler(lambda created: None, obs)

    result = handler(sqs_event(moto_body("uploads/p/fine.csv"), "not json"), Context())  # type: ignore[arg-type]

    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    errors = [
        line
        for line in map(json.loads, output.getvalue().splitlines())
        if line.get("level") == "ERROR"
    ]
    assert [line.get("message_id") for line in errors] == ["m1"]
