"""A TCP forwarder that can refuse connections for a while: "DynamoDB unavailable".

Why not stop DynamoDB Local itself: it runs in memory, so a restart loses every table; and
SIGSTOP/SIGCONT of its JVM only makes requests slow (the kernel still accepts connections,
botocore waits up to its 60 s read timeout, then everything completes), which tests latency
rather than failure. While the gate is closed, nothing listens on its port (new connections
are refused at once) and every open connection is reset, so clients see what an
unreachable DynamoDB endpoint gives them: connection errors, retried by botocore, then
raised to the handler. The data behind the gate is untouched.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

BUFFER = 65536


class TcpGate:
    """Forwards 127.0.0.1:<port> to 127.0.0.1:<target_port>; `refuse(seconds)` closes it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.resets = 0
        """Connections reset by `refuse` (evidence the fault hit live traffic)."""

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(256)
        return listener

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                downstream, _ = listener.accept()
            except OSError:
                return  # the listener was closed (refuse)
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                downstream.close()
                continue
            with self._lock:
                self._open.update((downstream, upstream))
            for source, sink in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            with self._lock:
                self._open.difference_update((source, sink))

    def refuse(self, seconds: float) -> None:
        """Refuse new connections and reset open ones for `seconds`, then open again."""
        self._listener.close()
        with self._lock:
            live = list(self._open)
        for connection in live:
            with contextlib.suppress(OSError):
                # linger 0: closing sends RST, as a vanished endpoint does; the shutdown
                # wakes the pump blocked on this socket
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                connection.shutdown(socket.SHUT_RDWR)
                self.resets += 1
        time.sleep(seconds)
        self._listener = self._listen(self.port)
        self.start()
