"""Starting and stopping `python -m infra.local` from tests and scripts."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.ports import PORTS_TAKEN_EXIT, Ports, port_is_free
from infra.local.runtime import ENDPOINTS_FILE, REPO
from services.topologies import TOPOLOGIES

BLOCK_ATTEMPTS = 5
"""Blocks tried when each start finds a port of its block taken (PORTS_TAKEN_EXIT)."""

READY_TIMEOUT_SECONDS = 420
"""Start + demo + the demo's events projected (readiness.DRAIN_TIMEOUT_SECONDS at most)."""


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_base_port(service_count: int = len(TOPOLOGIES)) -> int:
    """A base port whose whole block (every port the runtime uses) is free.

    Blocks are picked below the kernel's ephemeral range: ports there are handed out to
    any `bind(0)` or outgoing connection (other tests' moto servers, DynamoDB Local), so a
    block that was free when checked could be taken before the runtime binds it.
    """
    ephemeral_low, _ = _ephemeral_range()
    for _ in range(200):
        base = random.randrange(  # noqa: S311 - not a secret
            10000, ephemeral_low - Ports.SPAN * 2, Ports.SPAN
        )
        if all(port_is_free(p) for p in Ports(base, service_count).all()):
            return base
    raise RuntimeError("no free block of ports on 127.0.0.1")


@dataclass
class RuntimeProcess:
    process: subprocess.Popen[bytes]
    state_dir: Path
    output: Path
    base_port: int
    relaunch: Callable[[], RuntimeProcess] | None = None
    """Starts the runtime again on another free block (None: its ports were chosen)."""

    @property
    def endpoints_file(self) -> Path:
        return self.state_dir / ENDPOINTS_FILE

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> dict[str, Any]:
        """The runtime's endpoints once ready; a start that found a port of its block taken
        is retried on another block (BLOCK_ATTEMPTS in all)."""
        deadline = time.monotonic() + timeout
        attempts = 1
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == PORTS_TAKEN_EXIT and self.relaunch and attempts < BLOCK_ATTEMPTS:
                self._take_over(self.relaunch())
                attempts += 1
                continue
            if code is not None:
                raise RuntimeError(f"runtime exited with {code}:\n{self.output.read_text()}")
            if self.endpoints_file.exists():
                endpoints: dict[str, Any] = json.loads(self.endpoints_file.read_text())
                if endpoints.get("pid") == self.process.pid:
                    return endpoints
            time.sleep(0.2)
        raise TimeoutError(f"runtime not ready in {timeout} s:\n{self.output.read_text()}")

    def _take_over(self, other: RuntimeProcess) -> None:
        self.process, self.base_port = other.process, other.base_port

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C, as a developer would; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_runtime(
    state_dir: Path,
    settings: dict[str, str] | None = None,
    *,
    demo: bool = True,
    base_port: int | None = None,
) -> RuntimeProcess:
    """`python -m infra.local` (the entry `make run` uses), on a free block of ports unless
    `base_port` is given; `settings` adds SCTS_LOCAL_* variables (e.g.
    SCTS_LOCAL_DYNAMODB_ENDPOINT); without the demo data (and so without waiting for it to
    be projected) when `demo` is False. `wait_ready` says when it is up."""
    if base_port is not None:
        return _launch(base_port, state_dir, settings, demo)
    runtime = _launch(free_base_port(), state_dir, settings, demo)
    runtime.relaunch = lambda: _launch(free_base_port(), state_dir, settings, demo)
    return runtime


def _launch(
    base_port: int, state_dir: Path, settings: dict[str, str] | None, demo: bool
) -> RuntimeProcess:
    state_dir.mkdir(parents=True, exist_ok=True)
    output = state_dir / "runtime-output.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SCTS_"))}
    env.update(
        SCTS_LOCAL_BASE_PORT=str(base_port),
        SCTS_LOCAL_STATE_DIR=str(state_dir),
        SCTS_LOCAL_DEMO=str(demo).lower(),
        PYTHONUNBUFFERED="1",
    )
    env.update(settings or {})
    with output.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return RuntimeProcess(process, state_dir, output, base_port)
