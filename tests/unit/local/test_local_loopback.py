"""The local runtime's HTTP servers: loopback only, quiet when a client drops its connection,
and any other failure logged rather than printed."""

from __future__ import annotations

import logging
import socket
import struct
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
import requests

from infra.local.loopback import LoopbackServer


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/fail":
            raise ValueError("the handler broke")
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    started = LoopbackServer(0, _Handler)
    thread = started.start()
    try:
        yield started
    finally:
        started.shutdown()
        started.server_close()
        thread.join(5)


def _logged(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    """The records naming `text`, once there are any: request threads finish after the
    client is gone, later on a busy machine (up to 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        found = [record for record in caplog.records if text in record.getMessage()]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_it_listens_on_loopback_only(server: LoopbackServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert requests.get(f"{server.base_url}/", timeout=5).text == "ok"


def test_a_client_that_resets_its_connection_prints_nothing(
    server: LoopbackServer, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="scts.local")
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", server.server_address[1]))
        client.sendall(b"GET / HTTP/1.1\r\n")
        # SO_LINGER with a zero timeout: close() sends a reset, as a browser tab closing does.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    dropped = _logged(caplog, "dropped its connection")
    assert "Traceback" not in capsys.readouterr().err
    assert dropped
    assert all(record.levelno == logging.DEBUG for record in dropped)
    assert requests.get(f"{server.base_url}/", timeout=5).text == "ok"


def test_any_other_failure_is_logged_with_its_traceback(
    server: LoopbackServer, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.base_url}/fail", timeout=5)
    failed = _logged(caplog, "failed")
    assert "Traceback" not in capsys.readouterr().err
    assert len(failed) == 1
    assert failed[0].levelno == logging.ERROR
    assert failed[0].exc_info is not None
    assert "the handler broke" in str(failed[0].exc_info[1])
