"""The local ingest API (REST API, payload 1.0) with a test-only topology: the REQUEST
authorizer and its IAM policy, gateway responses, v1 events and response mapping
(handlers run in-process)."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from common.topology import AuthKind, Route
from infra.local.gateway import IngestGateway, policy_allows
from infra.local.invoke import InProcessInvoker
from infra.shape.gateway import INGEST_GATEWAY_RESPONSES
from tests.support.gadgets import function_names, gadgets_topology, register, serving

pytestmark = pytest.mark.integration

GOOD_KEY = "scts_pub_" + "k" * 24
API_ID = "gadgets-ingest-test"
STAGE_ARN = f"arn:aws:execute-api:eu-west-1:123456789012:{API_ID}/local"
TOPOLOGY = gadgets_topology(
    Route(method="GET", path="/v1/open", auth=AuthKind.PUBLIC, function="echo"),
    Route(method="POST", path="/v1/things", auth=AuthKind.PUBLISHER, function="ingest"),
    Route(method="GET", path="/v1/things/{thing_id}", auth=AuthKind.PUBLISHER, function="ingest"),
)

Policy = Callable[[dict[str, Any]], Any]


def statement(effect: str, resource: Any, action: Any = "execute-api:Invoke") -> dict[str, Any]:
    return {"Action": action, "Effect": effect, "Resource": resource}


def answer(*statements: dict[str, Any], **context: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "principalId": "pub-1",
        "policyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
    }
    if context:
        found["context"] = context
    return found


def allow_called(event: dict[str, Any]) -> dict[str, Any]:
    """What the provisioning authorizer answers for a good key: Allow on the method ARN."""
    if event["headers"].get("X-Api-Key") != GOOD_KEY:
        return answer(statement("Deny", f"{STAGE_ARN}/*/*"))
    return answer(
        statement("Allow", [event["methodArn"]]), publisher_id="pub-1", weight=3, trusted=True
    )


class Recorder:
    def __init__(self) -> None:
        self.function_events: list[dict[str, Any]] = []
        self.authorizer_events: list[dict[str, Any]] = []
        self.policy: Policy = allow_called
        self.function_answer: Any = {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-Single": "one"},
            "multiValueHeaders": {"X-Multi": ["a", "b"], "x-single": ["from-multi"]},
            "body": base64.b64encode(json.dumps({"ok": True}).encode()).decode(),
            "isBase64Encoded": True,
        }

    def ingest(self, event: dict[str, Any], context: Any) -> Any:
        self.function_events.append(event)
        if self.function_answer == "crash":
            raise RuntimeError("boom")
        return self.function_answer

    def authorize(self, event: dict[str, Any], context: Any) -> Any:
        self.authorizer_events.append(event)
        return self.policy(event)


@pytest.fixture
def ingest_api() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    invoker = InProcessInvoker()
    register(invoker, "ingest", recorder.ingest)
    register(invoker, "authorize", recorder.authorize)
    gateway = IngestGateway(
        TOPOLOGY,
        invoker,
        function_names=function_names(TOPOLOGY),
        api_id=API_ID,
    )
    with serving(gateway) as base_url:
        yield base_url, recorder


def expected(response_type: str) -> tuple[int, dict[str, Any]]:
    """The gateway's answer, its request id being the one the gateway gave the request."""
    configured = INGEST_GATEWAY_RESPONSES[response_type]
    body = json.loads(configured.template())
    body["request_id"] = "<request id>"
    return configured.status, body


def outcome(response: requests.Response) -> tuple[int, Any]:
    body = response.json()
    if isinstance(body, dict) and body.get("request_id"):
        assert body["request_id"] == response.headers["x-amzn-requestid"]
        body["request_id"] = "<request id>"
    return response.status_code, body


def test_an_allowed_call_gets_a_payload_v1_event(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    reply = requests.post(
        base_url + "/v1/things?tag=a&tag=b&empty=",
        data=b"\x00\x01binary",
        headers={"Content-Type": "application/octet-stream", "X-Api-Key": GOOD_KEY},
        timeout=10,
    )
    assert reply.status_code == 201
    assert reply.json() == {"ok": True}
    assert reply.headers["x-multi"] == "a, b"
    assert reply.headers["x-single"] == "from-multi"  # multiValueHeaders win
    (event,) = recorder.function_events
    assert (event["resource"], event["path"], event["httpMethod"]) == (
        "/v1/things",
        "/v1/things",
        "POST",
    )
    assert event["headers"]["X-Api-Key"] == GOOD_KEY  # names as sent
    assert event["multiValueHeaders"]["X-Api-Key"] == [GOOD_KEY]
    assert event["queryStringParameters"] == {"tag": "b", "empty": ""}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "empty": [""]}
    assert event["pathParameters"] is None
    assert event["stageVariables"] is None
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01binary"
    context = event["requestContext"]
    assert context["resourcePath"] == "/v1/things"
    assert context["httpMethod"] == "POST"
    assert context["stage"] == "local"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["requestId"] == reply.headers["x-amzn-requestid"]
    assert context["authorizer"] == {
        "principalId": "pub-1",
        "publisher_id": "pub-1",
        "weight": "3",
        "trusted": "true",
    }


def test_the_authorizer_gets_the_v1_request_event(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    reply = requests.get(
        base_url + "/v1/things/t-9?full=1",
        headers={"X-Api-Key": GOOD_KEY, "X-Dup": "1"},
        timeout=10,
    )
    assert reply.status_code == 201
    (authorizer_event,) = recorder.authorizer_events
    assert authorizer_event["type"] == "REQUEST"
    assert authorizer_event["methodArn"] == f"{STAGE_ARN}/GET/v1/things/t-9"
    assert authorizer_event["resource"] == "/v1/things/{thing_id}"
    assert authorizer_event["path"] == "/v1/things/t-9"
    assert authorizer_event["httpMethod"] == "GET"
    assert authorizer_event["headers"]["X-Api-Key"] == GOOD_KEY
    assert authorizer_event["pathParameters"] == {"thing_id": "t-9"}
    assert authorizer_event["queryStringParameters"] == {"full": "1"}
    assert "body" not in authorizer_event
    assert "authorizer" not in authorizer_event["requestContext"]
    (event,) = recorder.function_events
    assert event["pathParameters"] == {"thing_id": "t-9"}
    assert event["resource"] == "/v1/things/{thing_id}"
    assert event["body"] is None


def test_repeated_headers_are_all_in_multi_value_headers(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    body = b'{"a": 1}'
    connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=10)
    connection.putrequest("POST", "/v1/things")
    for name, value in (
        ("X-Api-Key", GOOD_KEY),
        ("Content-Type", "application/json"),
        ("X-Dup", "one"),
        ("x-dup", "two"),
        ("Content-Length", str(len(body))),
    ):
        connection.putheader(name, value)
    connection.endheaders(body)
    assert connection.getresponse().status == 201
    connection.close()
    (event,) = recorder.function_events
    assert event["multiValueHeaders"]["X-Dup"] == ["one", "two"]
    assert event["headers"]["X-Dup"] == "two"
    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"a": 1}


def test_a_missing_key_is_401_without_calling_the_authorizer(
    ingest_api: tuple[str, Recorder],
) -> None:
    base_url, recorder = ingest_api
    for headers in ({}, {"X-Api-Key": ""}, {"Authorization": f"Bearer {GOOD_KEY}"}):
        reply = requests.post(base_url + "/v1/things", json={}, headers=headers, timeout=10)
        assert outcome(reply) == expected("UNAUTHORIZED")
        assert reply.status_code == 401
    assert recorder.authorizer_events == []
    assert recorder.function_events == []


def test_a_denied_key_is_401(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    reply = requests.post(
        base_url + "/v1/things", json={}, headers={"X-Api-Key": "scts_pub_wrong"}, timeout=10
    )
    assert outcome(reply) == expected("ACCESS_DENIED")
    assert reply.status_code == 401
    assert reply.headers["x-amzn-errortype"] == "ACCESS_DENIED"
    assert len(recorder.authorizer_events) == 1
    assert recorder.function_events == []


@pytest.mark.parametrize(
    ("statements", "allowed"),
    [
        ([statement("Allow", f"{STAGE_ARN}/*/*")], True),
        ([statement("Allow", f"{STAGE_ARN}/POST/v1/*")], True),
        ([statement("Allow", "*")], True),
        ([statement("Allow", f"{STAGE_ARN}/POST/v1/things", action="execute-api:*")], True),
        ([statement("Allow", f"{STAGE_ARN}/GET/v1/things")], False),
        ([statement("Allow", f"{STAGE_ARN}/POST/v1/things", action="s3:GetObject")], False),
        (
            [
                statement("Allow", f"{STAGE_ARN}/*/*"),
                statement("Deny", [f"{STAGE_ARN}/POST/v1/things"]),
            ],
            False,
        ),
        ([statement("Deny", f"{STAGE_ARN}/GET/*")], False),
    ],
)
def test_the_policy_is_evaluated_against_the_method_arn(
    ingest_api: tuple[str, Recorder], statements: list[dict[str, Any]], allowed: bool
) -> None:
    base_url, recorder = ingest_api
    recorder.policy = lambda _: answer(*statements)
    reply = requests.post(
        base_url + "/v1/things", json={}, headers={"X-Api-Key": GOOD_KEY}, timeout=10
    )
    assert reply.status_code == (201 if allowed else 401)
    assert len(recorder.function_events) == (1 if allowed else 0)


def test_policy_matching_is_literal_except_for_wildcards() -> None:
    arn = f"{STAGE_ARN}/POST/v1/things"
    assert policy_allows({"Statement": statement("Allow", arn)}, arn)
    assert policy_allows({"Statement": [statement("Allow", f"{STAGE_ARN}/?OST/v1/*")]}, arn)
    assert not policy_allows({"Statement": [statement("Allow", f"{STAGE_ARN}/POST/v1/thing")]}, arn)
    assert not policy_allows({"Statement": [statement("Allow", "arn:aws:[e]xecute-api:*")]}, arn)
    assert not policy_allows({"Statement": []}, arn)
    with pytest.raises(ValueError, match="malformed statement"):
        policy_allows({"Statement": [statement("Maybe", arn)]}, arn)


@pytest.mark.parametrize(
    "authorizer_answer",
    [
        "crash",
        None,
        {"principalId": "pub-1"},
        {"policyDocument": {"Statement": [statement("Allow", "*")]}},
        {"principalId": "pub-1", "policyDocument": {"Version": "2012-10-17"}},
        answer(statement("Perhaps", "*")),
        answer(statement("Allow", "*"), nested={"a": 1}),
    ],
    ids=[
        "raises",
        "null",
        "no-policy",
        "no-principal",
        "no-statement",
        "bad-effect",
        "non-scalar-context",
    ],
)
def test_an_authorizer_failure_is_500(
    ingest_api: tuple[str, Recorder], authorizer_answer: Any
) -> None:
    base_url, recorder = ingest_api

    def policy(_: dict[str, Any]) -> Any:
        if authorizer_answer == "crash":
            raise RuntimeError("boom")
        return authorizer_answer

    recorder.policy = policy
    reply = requests.post(
        base_url + "/v1/things", json={}, headers={"X-Api-Key": GOOD_KEY}, timeout=10
    )
    assert outcome(reply) == expected("AUTHORIZER_FAILURE")
    assert reply.status_code == 500
    assert recorder.function_events == []


def test_unmatched_routes_are_404_before_any_authorizer(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    for method, path in (("GET", "/v1/nothing"), ("DELETE", "/v1/things"), ("GET", "/v1/open")):
        reply = requests.request(
            method, base_url + path, headers={"X-Api-Key": GOOD_KEY}, timeout=10
        )
        assert outcome(reply) == expected("MISSING_AUTHENTICATION_TOKEN")
        assert reply.status_code == 404
    assert recorder.authorizer_events == []


def test_oversized_payload_is_413(ingest_api: tuple[str, Recorder]) -> None:
    base_url, recorder = ingest_api
    reply = requests.post(
        base_url + "/v1/things",
        data=b"x" * (10 * 1024 * 1024 + 1),
        headers={"X-Api-Key": GOOD_KEY},
        timeout=30,
    )
    assert outcome(reply) == expected("REQUEST_TOO_LARGE")
    assert recorder.authorizer_events == []


@pytest.mark.parametrize("function_answer", ["crash", {"body": "no status"}, "plain text"])
def test_a_failed_or_malformed_function_answer_is_502(
    ingest_api: tuple[str, Recorder], function_answer: Any
) -> None:
    base_url, recorder = ingest_api
    recorder.function_answer = function_answer
    gateway_url = base_url + "/v1/things"
    reply = requests.post(gateway_url, json={}, headers={"X-Api-Key": GOOD_KEY}, timeout=10)
    assert outcome(reply) == (502, {"message": "Internal server error"})
