"""Local invocations keep Lambda's payload quotas (`infra/local/invoke.py`).

AWS (Lambda quotas, "Invocation payload (request and response)": 6 MB each for request and
response, synchronous): an event over 6 MB is refused by Invoke (RequestTooLargeException,
the function never runs) and an answer over 6 MB fails the invocation
(`Function.ResponseSizeTooLarge`, "Response payload size exceeded maximum allowed payload
size (6291556 bytes)"). API Gateway then answers as for any failed integration. Locally
both passed: a 7 MB export or a 5 MB binary upload (base64 in the event: ~6.7 MB) worked on
the portal and failed in the cloud.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from common.topology import AuthKind, Route
from infra.local.function_host import FunctionHostServer
from infra.local.gateway import ServiceGateway
from infra.local.invoke import (
    MAX_REQUEST_PAYLOAD_BYTES,
    MAX_RESPONSE_PAYLOAD_BYTES,
    FunctionRunner,
    FunctionSpec,
    HttpInvoker,
    InProcessInvoker,
    Invoker,
)
from tests.support.gadgets import function_names, gadgets_topology, register

SPEC = FunctionSpec("gadgets-echo", "tests.unused.echo", 5, 128)


class Echo:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.calls += 1
        size = int(event.get("answer_bytes", 10))
        return {"statusCode": 200, "body": "y" * size}


@pytest.fixture(params=["in-process", "function-host"])
def invoker(request: pytest.FixtureRequest) -> Iterator[tuple[Invoker, Echo]]:
    echo = Echo()
    if request.param == "in-process":
        local = InProcessInvoker()
        local.register(SPEC, echo)
        yield local, echo
        return
    server = FunctionHostServer(0, {SPEC.name: FunctionRunner(SPEC, echo)})
    server.start()
    remote = HttpInvoker(cold_start_seconds=5)
    remote.register(SPEC.name, server.base_url, SPEC.timeout_seconds)
    try:
        yield remote, echo
    finally:
        server.shutdown()
        server.server_close()


def test_an_event_over_6_mb_is_refused_without_running_the_function(
    invoker: tuple[Invoker, Echo],
) -> None:
    calls, echo = invoker
    result = calls.invoke(SPEC.name, {"pad": "x" * MAX_REQUEST_PAYLOAD_BYTES})
    assert result.failed
    assert result.payload["errorType"] == "RequestTooLargeException"
    assert echo.calls == 0
    assert not calls.invoke(SPEC.name, {"pad": "x" * (MAX_REQUEST_PAYLOAD_BYTES - 100)}).failed


def test_an_answer_over_6_mb_fails_the_invocation(invoker: tuple[Invoker, Echo]) -> None:
    calls, echo = invoker
    result = calls.invoke(SPEC.name, {"answer_bytes": MAX_RESPONSE_PAYLOAD_BYTES})
    assert result.failed
    assert result.payload["errorType"] == "Function.ResponseSizeTooLarge"
    assert echo.calls == 1
    assert not calls.invoke(SPEC.name, {"answer_bytes": MAX_RESPONSE_PAYLOAD_BYTES - 100}).failed


def test_the_http_api_answers_a_too_large_invocation_as_a_failed_integration() -> None:
    topology = gadgets_topology(
        Route(method="POST", path="/v1/open/{item_id}", auth=AuthKind.PUBLIC, function="echo"),
    )
    echo = Echo()
    invoker = InProcessInvoker()
    register(invoker, "echo", echo)
    gateway = ServiceGateway(
        topology, invoker, function_names=function_names(topology), verifier=None, api_id="t"
    )
    # 5 MB of binary is within the HTTP API's 10 MB, but ~6.7 MB once base64 in the event.
    body = b"\x00" * (5 * 1024 * 1024)
    headers = [("Content-Type", "application/octet-stream")]
    answer = gateway.handle("POST", "/v1/open/a", headers, body, "127.0.0.1")
    assert answer.status == 500
    assert echo.calls == 0
