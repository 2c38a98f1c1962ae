"""Pure parts of the local runtime: topology -> resources/env, route matching, batch answers."""

from __future__ import annotations

import json

import pytest

from common.topology import (
    AuthKind,
    Function,
    Index,
    PlatformRef,
    Route,
    ServiceTopology,
    Subscription,
    Table,
)
from infra.local import resources
from infra.local.gateway import api_claims, compile_path
from infra.local.sqs_poller import failed_message_ids
from infra.local.stream_poller import first_failed_index

pytestmark = pytest.mark.unit

TOPOLOGY = ServiceTopology(
    service="gadgets",
    functions=(
        Function(name="api", handler="x.y.handler"),
        Function(name="c", handler="x.c.h", timeout_seconds=3),
    ),
    tables=(
        Table(
            name="main",
            indexes=(Index(name="byowner", partition_key="owner", sort_key="created"),),
            stream=True,
            outbox=True,
            ttl_attribute="expires_at",
        ),
    ),
    routes=(Route(method="GET", path="/v1/things/{thing_id}", auth=AuthKind.USER, function="api"),),
    subscriptions=(
        Subscription(
            name="s", detail_types=("A", "B"), sources=("scts.x",), function="c", max_receives=4
        ),
    ),
    publishes=("GadgetMade",),
    platform=frozenset({PlatformRef.EVENT_BUS, PlatformRef.MAIL_SENDER, PlatformRef.PORTAL_URL}),
)
PLATFORM = resources.PlatformValues(
    "bus", "pool", "no-reply@x", "iss", "client", "jwks", portal_url="http://127.0.0.1:1"
)


def test_table_request_has_keys_indexes_and_a_new_image_stream() -> None:
    request = resources.create_table_request(TOPOLOGY, "local", TOPOLOGY.tables[0])
    assert request["TableName"] == "scts-local-gadgets-main"
    assert {a["AttributeName"] for a in request["AttributeDefinitions"]} == {
        "pk",
        "sk",
        "owner",
        "created",
    }
    assert request["GlobalSecondaryIndexes"][0]["IndexName"] == "byowner"
    assert request["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_queue_and_rule_follow_the_subscription() -> None:
    subscription = TOPOLOGY.subscriptions[0]
    attributes = resources.queue_attributes(TOPOLOGY, subscription, "arn:dlq")
    assert attributes["VisibilityTimeout"] == "18"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:dlq",
        "maxReceiveCount": 4,
    }
    assert resources.rule_pattern(subscription) == {"source": ["scts.x"], "detail-type": ["A", "B"]}
    assert resources.event_bus_name("local") == "scts-local-bus"


def test_function_environment() -> None:
    env = resources.function_environment(
        TOPOLOGY, "local", PLATFORM, version="1.2.3", git_commit="abc1234"
    )
    assert env == {
        "PYDANTIC_DISABLE_PLUGINS": "__all__",
        "SCTS_SERVICE_NAME": "gadgets",
        "SCTS_STAGE": "local",
        "SCTS_VERSION": "1.2.3",
        "SCTS_GIT_COMMIT": "abc1234",
        "SCTS_MAIN_TABLE": "scts-local-gadgets-main",
        "SCTS_EVENT_BUS_NAME": "bus",
        "SCTS_MAIL_SENDER": "no-reply@x",
        "SCTS_PORTAL_URL": "http://127.0.0.1:1",
        "SCTS_JWT_ISSUER": "iss",
        "SCTS_JWT_AUDIENCE": "client",
        "SCTS_JWKS_URL": "jwks",
    }


def test_path_templates_match_one_segment_per_parameter() -> None:
    pattern = compile_path("/v1/accounts/{account_id}/members/{subject}")
    found = pattern.match("/v1/accounts/a-1/members/u.2")
    assert found is not None
    assert found.groupdict() == {"account_id": "a-1", "subject": "u.2"}
    assert pattern.match("/v1/accounts/a-1/members/") is None
    assert pattern.match("/v1/accounts/a/b/members/u") is None


def test_claims_are_stringified_like_api_gateway() -> None:
    assert api_claims({"cognito:groups": ["a", "b"], "exp": 5, "sub": "s"}) == {
        "cognito:groups": "[a b]",
        "exp": "5",
        "sub": "s",
    }


def test_sqs_partial_batch_answers() -> None:
    ids = {"m1", "m2"}
    assert failed_message_ids(None, ids) == set()
    assert failed_message_ids({"batchItemFailures": []}, ids) == set()
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "m2"}]}, ids) == {"m2"}
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "zz"}]}, ids) is None
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": ""}]}, ids) is None
    assert failed_message_ids("nonsense", ids) is None


def test_stream_retries_from_the_lowest_failed_sequence() -> None:
    records = [{"dynamodb": {"SequenceNumber": s}} for s in ("10", "20", "30")]
    assert first_failed_index({"batchItemFailures": []}, records) is None
    assert first_failed_index(None, records) is None
    failures = [{"itemIdentifier": "30"}, {"itemIdentifier": "20"}]
    assert first_failed_index({"batchItemFailures": failures}, records) == 1
    assert first_failed_index({"batchItemFailures": [{"itemIdentifier": "99"}]}, records) == 0
