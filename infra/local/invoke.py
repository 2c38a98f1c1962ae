"""Invoking functions the way Lambda does: a context object, a payload, an error shape.

`HttpInvoker` calls a function host subprocess over loopback (the runtime); `InProcessInvoker`
calls handler objects directly (integration tests). Both answer with an `InvokeResult`.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from urllib3.exceptions import NewConnectionError

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"
INVOKE_PATH = "/2015-03-31/functions/{name}/invocations"
FUNCTION_ERROR_HEADER = "X-Amz-Function-Error"

Handler = Callable[[Any, Any], Any]

MAX_REQUEST_PAYLOAD_BYTES = 6 * 1024 * 1024
"""Lambda quotas: a synchronous invocation's request payload is at most 6 MB; above it
Invoke fails with RequestTooLargeException (the function never runs)."""
MAX_RESPONSE_PAYLOAD_BYTES = 6 * 1024 * 1024 + 100
"""... and its response at most 6 MB: above it the invocation fails with
`Function.ResponseSizeTooLarge` (Lambda's message names 6291556 bytes)."""


def function_arn(function_name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function_name}"


class LambdaContext:
    """What Lambda passes as `context`, with a deadline from the declared timeout."""

    def __init__(self, function_name: str, memory_mb: int, timeout_seconds: int) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function_arn(function_name)
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class InvokeResult:
    """The function's return value, or Lambda's error payload when it raised/timed out."""

    payload: Any
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str
    timeout_seconds: int
    memory_mb: int


class Invoker(Protocol):
    def invoke(self, function_name: str, event: Mapping[str, Any]) -> InvokeResult: ...


def load_handler(dotted_path: str) -> Handler:
    module_name, attribute = dotted_path.rsplit(".", 1)
    handler: Handler = getattr(importlib.import_module(module_name), attribute)
    return handler


def error_payload(exc: BaseException) -> dict[str, Any]:
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_exception(exc),
    }


def request_too_large(body: str | bytes) -> InvokeResult | None:
    """Lambda's refusal of an event over the request payload quota (not invoked)."""
    size = len(body.encode() if isinstance(body, str) else body)
    if size <= MAX_REQUEST_PAYLOAD_BYTES:
        return None
    message = (
        f"{size} byte payload is too large for the RequestResponse invocation type "
        f"(limit {MAX_REQUEST_PAYLOAD_BYTES} bytes)"
    )
    return InvokeResult(
        {"errorMessage": message, "errorType": "RequestTooLargeException"}, error="ServiceError"
    )


def response_too_large(body: str | bytes) -> InvokeResult | None:
    """Lambda's error for a function answer over the response payload quota."""
    if len(body.encode() if isinstance(body, str) else body) <= MAX_RESPONSE_PAYLOAD_BYTES:
        return None
    message = (
        "Response payload size exceeded maximum allowed payload size "
        f"({MAX_RESPONSE_PAYLOAD_BYTES} bytes)."
    )
    return InvokeResult(
        {"errorMessage": message, "errorType": "Function.ResponseSizeTooLarge"},
        error="Unhandled",
    )


class FunctionRunner:
    """Runs one function like one Lambda execution environment: one invocation at a time
    (handlers keep per-request state), a deadline, errors turned into Lambda's payload."""

    def __init__(self, spec: FunctionSpec, handler: Handler) -> None:
        self.spec = spec
        self._handler = handler
        self._lock = threading.Lock()

    def run(self, event: Any) -> InvokeResult:
        with self._lock:
            outcome: list[InvokeResult] = []
            context = LambdaContext(self.spec.name, self.spec.memory_mb, self.spec.timeout_seconds)

            def call() -> None:
                try:
                    outcome.append(InvokeResult(self._handler(event, context)))
                except Exception as exc:
                    outcome.append(InvokeResult(error_payload(exc), error="Unhandled"))

            worker = threading.Thread(target=call, name=f"invoke-{self.spec.name}", daemon=True)
            worker.start()
            worker.join(self.spec.timeout_seconds)
            if outcome:
                return outcome[0]
            # Lambda would freeze the sandbox; a thread cannot be killed, so wait it out
            # (still holding the lock, as a timed-out environment is not reused at once).
            worker.join()
            message = f"Task timed out after {self.spec.timeout_seconds}.00 seconds"
            return InvokeResult(
                {"errorMessage": message, "errorType": "Sandbox.Timedout"}, error="Unhandled"
            )


class InProcessInvoker:
    """Calls handlers in this process (tests); functions are registered by name."""

    def __init__(self) -> None:
        self._runners: dict[str, FunctionRunner] = {}

    def register(self, spec: FunctionSpec, handler: Handler | None = None) -> None:
        self._runners[spec.name] = FunctionRunner(spec, handler or load_handler(spec.handler))

    def invoke(self, function_name: str, event: Mapping[str, Any]) -> InvokeResult:
        body = json.dumps(event)
        refused = request_too_large(body)
        if refused is not None:
            return refused
        result = self._runners[function_name].run(json.loads(body))
        if result.failed:
            return result
        return response_too_large(json.dumps(result.payload)) or result


class HttpInvoker:
    """Calls functions hosted by function host subprocesses (Lambda's Invoke API shape).

    A host that is down (crashed, being restarted by the supervisor) is waited for up to
    `cold_start_seconds`, as Lambda would start a new environment rather than refuse the
    invoke. A host that dies during an invocation fails that invocation
    (Runtime.ExitError), as Lambda does. One connection per invocation, so a connection
    lost can only mean the host died while running this request."""

    def __init__(self, cold_start_seconds: float = 60) -> None:
        self._hosts: dict[str, tuple[str, int]] = {}
        self._local = threading.local()
        self._cold_start_seconds = cold_start_seconds

    def register(self, function_name: str, host_url: str, timeout_seconds: int) -> None:
        self._hosts[function_name] = (host_url, timeout_seconds)

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Connection"] = "close"
            self._local.session = session
        return session

    def invoke(self, function_name: str, event: Mapping[str, Any]) -> InvokeResult:
        host_url, timeout = self._hosts[function_name]
        body = json.dumps(event)
        refused = request_too_large(body)
        if refused is not None:
            return refused
        deadline = time.monotonic() + self._cold_start_seconds
        while True:
            try:
                response = self._session().post(
                    host_url + INVOKE_PATH.format(name=function_name),
                    data=body,
                    timeout=timeout + 30,
                )
                break
            except requests.ConnectionError as exc:
                if _refused(exc) and time.monotonic() < deadline:
                    time.sleep(COLD_START_POLL_SECONDS)
                    continue
                lost = error_payload(exc)
                if not _refused(exc):
                    lost["errorType"] = "Runtime.ExitError"
                return InvokeResult(lost, error="Unhandled")
            except requests.RequestException as exc:
                return InvokeResult(error_payload(exc), error="Unhandled")
        payload = response.json() if response.content else None
        if response.status_code != 200:
            return InvokeResult(payload, error="ServiceError")
        error = response.headers.get(FUNCTION_ERROR_HEADER)
        if error is None:
            return response_too_large(response.content) or InvokeResult(payload)
        return InvokeResult(payload, error=error)


COLD_START_POLL_SECONDS = 0.1


def _refused(exc: requests.ConnectionError) -> bool:
    """Nothing listened (the request never reached a host), as opposed to a lost connection."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)
