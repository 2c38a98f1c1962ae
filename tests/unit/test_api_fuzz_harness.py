"""The API fuzzing harness (`tests/support/api_fuzz.py`) can fail: against a small server
that breaks its document one way at a time, each breach is a finding (a field the schema
does not declare, a status the operation does not document, a 5xx), and a server that keeps
its document gives none."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.api_fuzz import Principal, fuzz_document

pytestmark = pytest.mark.unit

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "things", "version": "1"},
    "paths": {
        "/v1/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "security": [],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[a-z]{1,8}$"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"thing_id": {"type": "string"}},
                                    "required": ["thing_id"],
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "422": {"description": "Bad id.", "content": {"application/json": {}}},
                },
            }
        }
    },
}


class Things(BaseHTTPRequestHandler):
    behaviour = "keeps"

    def do_GET(self) -> None:
        thing_id = self.path.rsplit("/", 1)[1]
        status, body = 200, {"thing_id": thing_id}
        if not thing_id.isalpha() or not thing_id.islower() or len(thing_id) > 8:
            status, body = 422, {"error": "validation_failed"}
        elif self.behaviour == "leaks":
            body["owner_email"] = "someone@example.com"
        elif self.behaviour == "teapot":
            status = 418
        elif self.behaviour == "crashes":
            status, body = 500, {"error": "internal"}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Things)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("behaviour", "problem"),
    [
        ("keeps", None),
        ("leaks", "Response violates schema"),
        ("teapot", "Undocumented status code"),
        ("crashes", "Server error"),
    ],
)
def test_each_breach_of_the_document_is_a_finding(
    behaviour: str, problem: str | None, server: str, tmp_path: Path
) -> None:
    Things.behaviour = behaviour
    path = tmp_path / "things.json"
    path.write_text(json.dumps(DOCUMENT))
    nobody = Principal("anonymous", {}, None)
    run = fuzz_document(path, {"services": {"things": server}}, [nobody], lambda _: {})
    assert run.requests["anonymous"] > 0
    found = [f.problem for f in run.findings.values()]
    if problem is None:
        assert found == []
    else:
        assert found
        assert all(problem in f for f in found), found
