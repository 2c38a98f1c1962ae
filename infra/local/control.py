"""Starting and stopping `python -m infra.local` from tests and scripts."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.aws import port_is_free
from infra.local.runtime import ENDPOINTS_FILE, REPO, Ports

READY_TIMEOUT_SECONDS = 420
"""Start + demo + the demo's events projected (readiness.DRAIN_TIMEOUT_SECONDS at most)."""


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_base_port(service_count: int) -> int:
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

    @property
    def endpoints_file(self) -> Path:
        return self.state_dir / ENDPOINTS_FILE

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"runtime exited with {self.process.returncode}:\n{self.output.read_text()}"
                )
            if self.endpoints_file.exists():
                endpoints: dict[str, Any] = json.loads(self.endpoints_file.read_text())
                if endpoints.get("pid") == self.process.pid:
                    return endpoints
            time.sleep(0.2)
        raise TimeoutError(f"runtime not ready in {timeout} s:\n{self.output.read_text()}")

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
    base_port: int,
    state_dir: Path,
    settings: dict[str, str] | None = None,
    *,
    demo: bool = True,
) -> RuntimeProcess:
    """`python -m infra.local` (the entry `make run` uses) on the given ports; `settings`
    adds SCTS_LOCAL_* variables (e.g. SCTS_LOCAL_DYNAMODB_ENDPOINT); without the demo data
    (and so without waiting for it to be projected) when `demo` is False."""
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
    return RuntimeProcess(process, state_dir, output)
