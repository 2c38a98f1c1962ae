"""What every HTTP server of the local runtime shares: bound to 127.0.0.1 only (the
threat model's "the local stack stays on loopback"), a daemon thread per request, and a
client that drops its connection is not an error.

Browsers open connections they never use and close others mid-answer (Chromium's
preconnects, a page left before its requests finished). `socketserver` prints a traceback
for each to stderr, in the middle of `make run`'s output; any other failure is logged.
"""

from __future__ import annotations

import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from infra.local.ports import LOOPBACK, PortTaken, is_port_taken

log = logging.getLogger("scts.local")


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    thread_name = "local-http"
    """The name of the thread `start` serves from (seen in thread dumps and py-spy)."""

    def __init__(self, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        try:
            super().__init__((LOOPBACK, port), handler)
        except OSError as error:
            if is_port_taken(error):
                raise PortTaken(port) from error
            raise

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name=self.thread_name, daemon=True)
        thread.start()
        return thread

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("%s: client %s dropped its connection", self.thread_name, client_address)
            return
        log.exception("%s: a request from %s failed", self.thread_name, client_address)
