"""One service's functions in their own process, invoked over loopback HTTP.

    python -m infra.local.function_host --port N --functions '[{"name": ..., "handler": ...}]'

The process environment is exactly what the runtime gives the service (its SCTS_ variables
and the local AWS endpoints). Requests follow Lambda's Invoke API: POST the event to
/2015-03-31/functions/<name>/invocations; the answer is the handler's return value, or
Lambda's error payload with the X-Amz-Function-Error header.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
import warnings
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from infra.local.invoke import (
    FUNCTION_ERROR_HEADER,
    FunctionRunner,
    FunctionSpec,
    Handler,
    load_handler,
)
from infra.local.loopback import LoopbackServer
from infra.local.ports import PORTS_TAKEN_EXIT, PortTaken
from infra.local.whole_lines import WholeLineWriter

INVOKE_PREFIX = "/2015-03-31/functions/"
INVOKE_SUFFIX = "/invocations"


class FunctionHostServer(LoopbackServer):
    thread_name = "function-host"
    request_queue_size = 128
    """Every invocation is a new connection: a burst must not overflow the listen backlog."""

    def __init__(self, port: int, runners: dict[str, FunctionRunner]) -> None:
        super().__init__(port, _InvokeHandler)
        self.runners = runners


class _InvokeHandler(BaseHTTPRequestHandler):
    server: FunctionHostServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Access logs would drown the handlers' JSON logs."""

    def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:  # the invoker asked for one connection per invocation
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(
                HTTPStatus.OK, {"functions": sorted(self.server.runners), "pid": os.getpid()}
            )
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"message": "Not Found"})

    def do_POST(self) -> None:
        name = ""
        if self.path.startswith(INVOKE_PREFIX) and self.path.endswith(INVOKE_SUFFIX):
            name = self.path[len(INVOKE_PREFIX) : -len(INVOKE_SUFFIX)]
        runner = self.server.runners.get(name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if runner is None:
            self._answer(HTTPStatus.NOT_FOUND, {"message": f"Function not found: {name}"})
            return
        try:
            event = json.loads(raw or b"{}")
        except ValueError:
            self._answer(HTTPStatus.BAD_REQUEST, {"message": "Could not parse request body"})
            return
        result = runner.run(event)
        headers = {FUNCTION_ERROR_HEADER: result.error} if result.error else None
        self._answer(HTTPStatus.OK, result.payload, headers)


def importing_handler(spec: FunctionSpec) -> Handler:
    """The function's handler, imported now. If the import fails, Lambda still deploys the
    function and every invocation fails with Runtime.ImportModuleError: do the same, so one
    broken service does not stop the others."""
    try:
        return load_handler(spec.handler)
    except Exception as exc:
        traceback.print_exc()
        print(f"IMPORT FAILED for {spec.name} ({spec.handler}): {exc}", file=sys.stderr)
        message = f"Unable to import module '{spec.handler}': {exc}"

        def failing(event: Any, context: Any) -> Any:
            raise ImportModuleError(message)

        return failing


class ImportModuleError(Exception):
    """What Lambda reports as Runtime.ImportModuleError."""


def main(argv: list[str] | None = None) -> None:
    # Powertools warns on every invocation that emits no business metric; on a developer's
    # console that drowns the useful lines (in Lambda it is one log line among many).
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--functions", required=True, help="JSON list of function specs")
    args = parser.parse_args(argv)
    sys.stdout = WholeLineWriter(sys.stdout)  # before the handlers' loggers take it
    specs = [FunctionSpec(**item) for item in json.loads(args.functions)]
    runners = {spec.name: FunctionRunner(spec, importing_handler(spec)) for spec in specs}
    try:
        server = FunctionHostServer(args.port, runners)
    except PortTaken as taken:
        print(taken, file=sys.stderr)
        sys.exit(PORTS_TAKEN_EXIT)
    print(f"function host ready on 127.0.0.1:{args.port}: {sorted(runners)}", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
