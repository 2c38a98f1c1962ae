"""A port of the runtime's block taken by another program ends its start at once, naming the
program (PortTaken, PORTS_TAKEN_EXIT), instead of hanging or sharing another runtime's
servers; one runtime per block on a machine."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from infra.local.aws import MOTO_ENV, Moto, start_dynamodb_local
from infra.local.loopback import LoopbackServer
from infra.local.ports import (
    PORTS_TAKEN_EXIT,
    PortBlockLock,
    PortTaken,
    port_holder,
    port_is_free,
)
from infra.local.runtime import REPO
from tests.integration.local.conftest import free_port

THIS_PROCESS = f"pid {os.getpid()} "


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port this process listens on, as another program would."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen()
        yield int(listener.getsockname()[1])


@pytest.mark.timeout(60)
def test_moto_on_a_taken_port_raises_naming_the_holder_then_starts_elsewhere(
    taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in MOTO_ENV.items():
        monkeypatch.setenv(name, value)
    refusal = re.escape(f"port {taken_port} on 127.0.0.1 is in use by pid")
    with pytest.raises(PortTaken, match=refusal):
        Moto(taken_port).start()
    port = free_port()  # the refused start left nothing of moto's installed behind
    server = Moto(port)
    server.start()
    try:
        assert port_holder(port) is not None
    finally:
        server.stop()
    assert port_is_free(port)


def test_a_loopback_server_on_a_taken_port_raises_naming_the_holder(taken_port: int) -> None:
    with pytest.raises(PortTaken) as taken:
        LoopbackServer(taken_port, BaseHTTPRequestHandler)
    assert taken.value.port == taken_port
    assert THIS_PROCESS in str(taken.value)


def test_the_holder_of_a_listening_port_is_read_from_proc(taken_port: int) -> None:
    holder = port_holder(taken_port)
    assert holder is not None
    assert holder.startswith(THIS_PROCESS)
    assert port_holder(free_port()) is None


def test_one_runtime_per_block(tmp_path: Path) -> None:
    first, second = PortBlockLock(12000, tmp_path), PortBlockLock(12000, tmp_path)
    first.acquire()
    with pytest.raises(PortTaken, match=re.escape("port 12000 on 127.0.0.1 is in use by another")):
        second.acquire()
    PortBlockLock(12070, tmp_path).acquire()  # another block is free
    first.release()
    second.acquire()
    second.release()


def test_a_function_host_on_a_taken_port_exits_with_ports_taken(taken_port: int) -> None:
    """So the runtime ends its start with PORTS_TAKEN_EXIT too (tests try another block)."""
    argv = [sys.executable, "-m", "infra.local.function_host", "--port", str(taken_port)]
    host = subprocess.run(  # noqa: S603 - this interpreter, a module of the repository
        [*argv, "--functions", "[]"],
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert host.returncode == PORTS_TAKEN_EXIT, host.stderr
    assert f"port {taken_port} on 127.0.0.1 is in use by pid".encode() in host.stderr


@pytest.mark.timeout(120)
def test_dynamodb_local_never_takes_another_programs_listener_for_its_own(
    taken_port: int,
) -> None:
    """The port answers at once (this process listens there) while the JVM fails to bind:
    the runtime must not use that listener as its DynamoDB."""
    with open(os.devnull, "wb") as sink, pytest.raises(PortTaken):
        start_dynamodb_local(REPO, taken_port, sink)
