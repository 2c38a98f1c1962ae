"""Function hosts under `HostSupervisor`: a killed host comes back (with a log line), an
invocation sent while it is down waits for it like a Lambda cold start, and the invocation
it was running when killed fails as Runtime.ExitError (the event source retries it)."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local import supervisor as supervision
from infra.local.invoke import FunctionSpec, HttpInvoker, InvokeResult
from infra.local.runtime import REPO
from infra.local.supervisor import FunctionHost, HostSupervisor

pytestmark = pytest.mark.integration

ECHO = FunctionSpec("echo", "tests.support.echo_handler.handler", 30, 128)
ECHO_TOO = FunctionSpec("echo-too", "tests.support.echo_handler.handler", 30, 128)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[HostSupervisor, FunctionHost, HttpInvoker]]:
    stop = threading.Event()
    hosts = HostSupervisor(REPO, tmp_path, stop, echo=False)
    host = hosts.add("echo", free_port(), [ECHO, ECHO_TOO], {"PYTHONPATH": str(REPO)})
    hosts.wait_healthy([host], timeout=60)
    hosts.watch()
    invoker = HttpInvoker(cold_start_seconds=60)
    for spec in (ECHO, ECHO_TOO):
        invoker.register(spec.name, host.url, spec.timeout_seconds)
    try:
        yield hosts, host, invoker
    finally:
        stop.set()
        hosts.stop_all()


def pid_of(result: InvokeResult) -> int:
    assert not result.failed, result.payload
    pid: int = result.payload["pid"]
    return pid


def test_a_killed_host_is_restarted_and_the_next_invocation_waits_for_it(
    supervised: tuple[HostSupervisor, FunctionHost, HttpInvoker],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, host, invoker = supervised
    first = pid_of(invoker.invoke(ECHO.name, {"echo": 1}))
    caplog.set_level(logging.WARNING, logger="scts.local")
    os.kill(first, signal.SIGKILL)
    assert host.process is not None
    host.process.wait(10)
    answer = invoker.invoke(ECHO.name, {"echo": 2})  # sent while the host is down
    assert answer.payload.get("echo") == 2, answer.payload
    assert pid_of(answer) != first
    assert host.restarts == 1
    deadline = time.monotonic() + 30
    while "is back" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"function host echo (pid {first}) exited with signal 9 (SIGKILL)" in caplog.text
    assert "restarting in 0.5 s" in caplog.text
    assert "function host echo is back" in caplog.text


def test_the_invocation_running_when_the_host_dies_fails_as_lambda_reports_it(
    supervised: tuple[HostSupervisor, FunctionHost, HttpInvoker],
) -> None:
    _, _, invoker = supervised
    first = pid_of(invoker.invoke(ECHO.name, {}))
    outcome: list[InvokeResult] = []
    running = threading.Thread(
        target=lambda: outcome.append(invoker.invoke(ECHO.name, {"sleep": 30}))
    )
    running.start()
    time.sleep(1)
    os.kill(first, signal.SIGKILL)
    running.join(30)
    (failed,) = outcome
    assert failed.failed
    assert failed.payload["errorType"] == "Runtime.ExitError"
    assert pid_of(invoker.invoke(ECHO.name, {})) != first


def test_two_functions_printing_at_once_leave_whole_json_lines_in_the_log(
    supervised: tuple[HostSupervisor, FunctionHost, HttpInvoker], tmp_path: Path
) -> None:
    """Each invocation writes its line, pauses, then writes the newline: without whole-line
    output the log held `{"said": 1}{"said": 2}` and an empty line."""
    _, _, invoker = supervised
    answers: list[InvokeResult] = []
    saying = [
        threading.Thread(
            target=lambda name, n: answers.append(invoker.invoke(name, {"say": n, "pause": 0.5})),
            args=(name, n),
        )
        for n, name in enumerate((ECHO.name, ECHO_TOO.name, ECHO.name, ECHO_TOO.name))
    ]
    for thread in saying:
        thread.start()
    for thread in saying:
        thread.join(60)
    assert [answer.failed for answer in answers] == [False] * 4, [a.payload for a in answers]
    log = tmp_path / "echo.log"
    deadline = time.monotonic() + 10  # the supervisor copies the host's output as it comes
    while log.read_text().count('{"said"') < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    said = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert sorted(entry["said"] for entry in said) == [0, 1, 2, 3]


def test_a_host_that_keeps_crashing_is_restarted_with_growing_delays() -> None:
    assert [supervision.restart_delay(n) for n in range(1, 8)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        10.0,
        10.0,
    ]
    assert supervision.exit_description(-9) == "signal 9 (SIGKILL)"
    assert supervision.exit_description(3) == "exit code 3"


def test_a_stopped_runtime_restarts_nothing(tmp_path: Path) -> None:
    stop = threading.Event()
    hosts = HostSupervisor(REPO, tmp_path, stop, echo=False)
    host = hosts.add("echo", free_port(), [ECHO], {"PYTHONPATH": str(REPO)})
    hosts.wait_healthy([host], timeout=60)
    stop.set()
    hosts.stop_all()
    assert host.process is not None
    hosts.check(host)
    time.sleep(supervision.BACKOFF_BASE_SECONDS + 0.2)
    hosts.check(host)
    assert host.restarts == 0
