"""The runtime's block of loopback ports: where each server listens, and who holds a port.

Two runtimes on one machine (two test workers, a developer's `make run` and a bench) must
never share a block: each holds a lock on its block for its whole life, and a port found
taken ends the start with `PORTS_TAKEN_EXIT`, which `control.py` answers by trying another
block. Without it a runtime whose port was taken after the check either hung (moto's
server thread died before saying it was ready) or talked to another runtime's servers.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LOOPBACK = "127.0.0.1"

PORTS_TAKEN_EXIT = 75
"""EX_TEMPFAIL: the runtime did not start because a port of its block was taken; another
block may work."""

_LISTEN = "0A"
"""TCP_LISTEN in /proc/net/tcp's `st` column."""


@dataclass(frozen=True)
class Ports:
    """Fixed offsets from one base port, so a restart finds the same URLs."""

    base: int
    service_count: int

    SERVICE_OFFSET = 10
    INGEST_OFFSET = 20
    HOST_OFFSET = 40
    SPAN = 70

    @property
    def moto(self) -> int:
        return self.base

    @property
    def dynamodb(self) -> int:
        return self.base + 1

    @property
    def mailbox(self) -> int:
        return self.base + 2

    @property
    def web(self) -> int:
        return self.base + 3

    @property
    def cdn(self) -> int:
        """The documents CDN."""
        return self.base + 4

    @property
    def push(self) -> int:
        """The local Web Push service."""
        return self.base + 5

    def gateway(self, index: int) -> int:
        return self.base + self.SERVICE_OFFSET + index

    def ingest(self, index: int) -> int:
        """The REST ingest API of the service at `index` (services with publisher routes)."""
        return self.base + self.INGEST_OFFSET + index

    def host(self, index: int) -> int:
        return self.base + self.HOST_OFFSET + index

    def all(self) -> list[int]:
        fixed = [self.moto, self.dynamodb, self.mailbox, self.web, self.cdn, self.push]
        gateways = [self.gateway(i) for i in range(self.service_count)]
        ingest = [self.ingest(i) for i in range(self.service_count)]
        hosts = [self.host(i) for i in range(self.service_count + 1)]
        return fixed + gateways + ingest + hosts


class PortTaken(Exception):
    """A port the runtime needs is held by another program (named when /proc tells)."""

    def __init__(self, port: int, holder: str | None = None) -> None:
        self.port = port
        held_by = holder or port_holder(port)
        super().__init__(
            f"port {port} on {LOOPBACK} is in use" + (f" by {held_by}" if held_by else "")
        )


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def is_port_taken(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno == errno.EADDRINUSE


def port_holder(port: int) -> str | None:
    """'pid N (command line)' of the process listening on `port`, or None if unknown."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").strip()
                    return f"pid {proc.name} ({command.decode(errors='replace')[:200]})"
        except OSError:
            continue  # gone, or another user's process
    return "another user's process"


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == _LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


class PortBlockLock:
    """One runtime per block on this machine: an exclusive lock, held until the runtime's
    process ends (the kernel lets it go even after kill -9). Children do not inherit it."""

    def __init__(self, base: int, directory: Path | None = None) -> None:
        root = directory or Path(tempfile.gettempdir()) / f"scts-local-ports-{os.getuid()}"
        self.path = root / f"{base}.lock"
        self.base = base
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(mode=0o700, exist_ok=True)
        if self.path.parent.stat().st_uid != os.getuid():
            raise RuntimeError(f"{self.path.parent} belongs to another user: remove it")
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        lock_file = os.fdopen(descriptor, "r+")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            raise PortTaken(self.base, "another local runtime (its block is locked)") from None
        self._file = lock_file

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
