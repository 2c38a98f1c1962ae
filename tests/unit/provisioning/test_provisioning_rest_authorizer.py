"""The ingest API's REST REQUEST authorizer: an IAM policy allowing exactly the called method
with the publisher in the context, or an explicit Deny (which the gateway answers with 401)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.provisioning import dependencies
from services.provisioning.handlers import authorizer
from services.provisioning.logic.keys import issue_key
from services.provisioning.models.publishers import ApiKey, Publisher, UsageKey

pytestmark = pytest.mark.unit

NOW = datetime.now(UTC)
USAGE_KEY_VALUE = "usage-key-value-of-pub-0a1b2c-0123456789"
STAGE_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/v1"
METHOD_ARN = f"{STAGE_ARN}/POST/v1/trades"


class MemoryPublishers:
    """The publisher store's reads and writes the authorizer needs, in memory."""

    def __init__(self) -> None:
        self.publishers: dict[str, Publisher] = {}
        self.api_keys: dict[str, ApiKey] = {}

    def create(self, publisher: Publisher, key: ApiKey) -> None:
        self.publishers[publisher.publisher_id] = publisher
        self.api_keys[key.prefix] = key

    def get(self, publisher_id: str) -> Publisher | None:
        return self.publishers.get(publisher_id)

    def key(self, prefix: str) -> ApiKey | None:
        return self.api_keys.get(prefix)

    def touch(self, prefix: str, at: datetime) -> None:
        self.api_keys[prefix] = self.api_keys[prefix].model_copy(update={"last_used_at": at})

    def change(self, prefix: str, **update: Any) -> None:
        self.api_keys[prefix] = self.api_keys[prefix].model_copy(update=update)

    def rotate(self, new_key: ApiKey, expire: Collection[str], at: datetime) -> None:
        raise NotImplementedError  # not used by the authorizer


class FakeContext:
    function_name = "scts-test-provisioning-authorizer"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:authorizer"
    aws_request_id = "test"


@pytest.fixture
def store() -> Iterator[MemoryPublishers]:
    memory = MemoryPublishers()
    with dependencies.publisher_store.override(memory):  # type: ignore[arg-type]
        yield memory


def publisher_key(
    store: MemoryPublishers, publisher_id: str = "pub-0a1b2c", *, usage_plan: bool = True
) -> str:
    publisher = Publisher(
        publisher_id=publisher_id,
        name="STX trading",
        account_ids=None,
        created_at=NOW - timedelta(days=1),
        created_by="admin-sub",
        usage_key=UsageKey(key_id="k1a2b3", value=USAGE_KEY_VALUE) if usage_plan else None,
    )
    issued = issue_key(publisher_id, NOW - timedelta(days=1))
    store.create(publisher, issued.record)
    return issued.plaintext


def request_event(headers: dict[str, str], method_arn: str = METHOD_ARN) -> dict[str, Any]:
    """A REST API REQUEST authorizer event (payload 1.0)."""
    method, path = method_arn.split("/", 3)[2], "/" + method_arn.split("/", 4)[4]
    return {
        "type": "REQUEST",
        "methodArn": method_arn,
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {},
        "multiValueQueryStringParameters": {},
        "pathParameters": {},
        "stageVariables": {},
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "stage": "v1",
            "requestId": "req-1",
            "identity": {"sourceIp": "192.0.2.1"},
        },
    }


def authorize(headers: dict[str, str], method_arn: str = METHOD_ARN) -> dict[str, Any]:
    return authorizer.handler(request_event(headers, method_arn), FakeContext())  # type: ignore[arg-type]


def assert_denied(answer: dict[str, Any]) -> None:
    assert answer["principalId"] == authorizer.ANONYMOUS
    assert answer["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": [f"{STAGE_ARN}/*/*"]}
    ]
    assert "context" not in answer


def test_a_valid_key_allows_exactly_the_called_method_with_the_publisher(
    store: MemoryPublishers,
) -> None:
    key = publisher_key(store)
    answer = authorize({"X-Api-Key": key})
    assert answer == {
        "principalId": "pub-0a1b2c",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [METHOD_ARN]}
            ],
        },
        "context": {"publisher_id": "pub-0a1b2c"},
        "usageIdentifierKey": USAGE_KEY_VALUE,
    }


def test_the_allow_names_a_path_with_parameters_as_called(store: MemoryPublishers) -> None:
    key = publisher_key(store)
    arn = f"{STAGE_ARN}/GET/v1/uploads/upl-0123456789abcdef0123"
    (statement,) = authorize({"x-api-key": key}, arn)["policyDocument"]["Statement"]
    assert (statement["Effect"], statement["Resource"]) == ("Allow", [arn])


def test_a_missing_key_is_denied(store: MemoryPublishers) -> None:
    publisher_key(store)
    assert_denied(authorize({}))
    assert_denied(authorize({"x-api-key": ""}))


@pytest.mark.parametrize("presented", ["not-a-key", "scts_pub_0000000000_" + "A" * 43])
def test_an_unknown_key_is_denied(store: MemoryPublishers, presented: str) -> None:
    publisher_key(store)
    assert_denied(authorize({"x-api-key": presented}))


def test_a_revoked_key_is_denied_at_once(store: MemoryPublishers) -> None:
    key = publisher_key(store)
    assert authorize({"x-api-key": key})["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    store.change(key.split("_")[2], revoked_at=datetime.now(UTC) - timedelta(seconds=1))
    assert_denied(authorize({"x-api-key": key}))


def test_an_expired_key_is_denied(store: MemoryPublishers) -> None:
    key = publisher_key(store)
    store.change(key.split("_")[2], expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert_denied(authorize({"x-api-key": key}))


def test_a_bearer_token_is_denied_even_with_a_valid_key(store: MemoryPublishers) -> None:
    key = publisher_key(store)
    assert_denied(authorize({"Authorization": "Bearer eyJhbGciOi.eyJzdWIi.c2ln", "x-api-key": key}))
    assert_denied(authorize({"authorization": key}))


def test_the_key_of_a_deleted_publisher_is_denied(store: MemoryPublishers) -> None:
    key = publisher_key(store)
    store.publishers.clear()
    assert_denied(authorize({"x-api-key": key}))


def test_a_publisher_registered_before_usage_plans_is_denied(store: MemoryPublishers) -> None:
    """No usage-plan key: the gateway would refuse it anyway (403); deny it clearly (401)."""
    key = publisher_key(store, usage_plan=False)
    assert_denied(authorize({"x-api-key": key}))
