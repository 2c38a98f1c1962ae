"""Function host processes, kept alive the way Lambda keeps a function available.

Lambda never leaves a function down: when an execution environment dies (out of memory, a
crash, a kill), the invocation it was running fails and the next one gets a new
environment. `HostSupervisor` does the same for the local function hosts: it watches every
host process and, when one exits while the runtime is running, logs it and starts it again
on the same port with the same functions and environment, after a backoff that grows while
the host keeps crashing quickly (0.5 s, 1 s, 2 s ... up to 10 s; back to 0.5 s once a host
stayed up for 30 s). Meanwhile `HttpInvoker` waits for the host like a cold start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from infra.local import aws
from infra.local.invoke import FunctionSpec
from infra.local.ports import PORTS_TAKEN_EXIT, PortTaken

log = logging.getLogger("scts.local")

WATCH_SECONDS = 0.2
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 10.0
STABLE_SECONDS = 30.0


def short_log_line(raw: str) -> str | None:
    """A console line for a child's output line; None for EMF metric blobs."""
    try:
        record = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(record, dict):
        return raw
    if "_aws" in record and "message" not in record:
        return None
    level = record.get("level", "")
    message = record.get("message", "")
    if not isinstance(message, str):
        message = json.dumps(message)
    correlation = record.get("correlation_id")
    return f"{level:<7} {message}" + (f"  [{correlation}]" if correlation else "")


def pump_output(process: subprocess.Popen[bytes], name: str, log_path: Path, echo: bool) -> None:
    """Child output -> .local/logs/<name>.log (full JSON) and a short console line."""
    assert process.stdout is not None
    with log_path.open("ab") as sink:
        for line in iter(process.stdout.readline, b""):
            sink.write(line)
            sink.flush()
            if echo:
                short = short_log_line(line.decode(errors="replace").rstrip())
                if short is not None:
                    print(f"[{name}] {short}", flush=True)


def exit_description(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"signal {-returncode} ({signal.Signals(-returncode).name})"
        return f"signal {-returncode}"
    return f"exit code {returncode}"


def restart_delay(quick_crashes: int) -> float:
    """Seconds before restart number `quick_crashes` of a host that keeps crashing."""
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** max(0, quick_crashes - 1))


@dataclass
class FunctionHost:
    """One host process of a service's functions (or of the outbox relay)."""

    name: str
    port: int
    functions: list[FunctionSpec]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    quick_crashes: int = 0
    restart_at: float | None = None
    exited_at: float | None = None
    awaiting_health: bool = False
    history: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{aws.LOOPBACK}:{self.port}"

    def healthy(self) -> bool:
        """This host answers its health check: the one the supervisor started (its pid),
        not whatever else listens on the port."""
        with contextlib.suppress(requests.RequestException, ValueError):
            answer = requests.get(self.url + "/health", timeout=1)
            return bool(
                answer.ok
                and self.process is not None
                and answer.json().get("pid") == self.process.pid
            )
        return False


class HostSupervisor:
    """Starts function hosts and restarts any that exit while the runtime runs."""

    def __init__(
        self, repo: Path, log_dir: Path, stop: threading.Event, *, echo: bool = True
    ) -> None:
        self._repo = repo
        self._log_dir = log_dir
        self._stop = stop
        self._echo = echo
        self._lock = threading.Lock()
        self.hosts: list[FunctionHost] = []

    def add(
        self, name: str, port: int, functions: list[FunctionSpec], env: Mapping[str, str]
    ) -> FunctionHost:
        """Start a host now (call from the main thread: see `aws.die_with_parent`)."""
        host = FunctionHost(name, port, functions, dict(env))
        self._spawn(host)
        with self._lock:
            self.hosts.append(host)
        return host

    def _spawn(self, host: FunctionHost) -> None:
        child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SCTS_", "AWS_"))}
        child_env.update(host.env)
        child_env["PYTHONUNBUFFERED"] = "1"
        process = aws.spawn(
            [
                sys.executable,
                "-m",
                "infra.local.function_host",
                "--port",
                str(host.port),
                "--functions",
                json.dumps([asdict(f) for f in host.functions]),
            ],
            child_env,
            cwd=self._repo,
            stdout=subprocess.PIPE,
        )
        host.process, host.started_at = process, time.monotonic()
        threading.Thread(
            target=pump_output,
            args=(process, host.name, self._log_dir / f"{host.name}.log", self._echo),
            name=f"log-{host.name}",
            daemon=True,
        ).start()

    def wait_healthy(self, hosts: Iterable[FunctionHost], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        for host in hosts:
            while not host.healthy():
                assert host.process is not None
                if host.process.poll() == PORTS_TAKEN_EXIT:
                    raise PortTaken(host.port)
                if host.process.poll() is not None:
                    raise RuntimeError(
                        f"function host {host.name} exited ({host.process.returncode}); "
                        f"see {self._log_dir / (host.name + '.log')}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError(f"function host {host.name} not ready")
                time.sleep(0.2)

    def watch(self) -> threading.Thread:
        """The watcher thread. It lives as long as the runtime: the hosts it restarts get
        SIGKILL when it ends (PR_SET_PDEATHSIG follows the creating thread)."""
        thread = threading.Thread(target=self._watch, name="host-supervisor", daemon=True)
        thread.start()
        return thread

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_SECONDS):
            with self._lock:
                hosts = list(self.hosts)
            for host in hosts:
                try:
                    self.check(host)
                except Exception:
                    log.exception("supervising function host %s failed; will retry", host.name)

    def check(self, host: FunctionHost) -> None:
        """One supervision step for `host`: notice an exit, restart when due, report back."""
        now = time.monotonic()
        process = host.process
        if host.restart_at is None and process is not None and process.poll() is not None:
            ran = now - host.started_at
            host.quick_crashes = 1 if ran >= STABLE_SECONDS else host.quick_crashes + 1
            delay = restart_delay(host.quick_crashes)
            host.exited_at, host.restart_at = now, now + delay
            line = (
                f"function host {host.name} (pid {process.pid}) exited with "
                f"{exit_description(process.returncode)} after {ran:.1f} s; "
                f"restarting in {delay:.1f} s"
            )
            host.history.append(line)
            log.warning(line)
        if host.restart_at is not None and now >= host.restart_at and not self._stop.is_set():
            host.restart_at = None
            host.restarts += 1
            self._spawn(host)
            host.awaiting_health = True
        if host.awaiting_health and host.healthy():
            host.awaiting_health = False
            assert host.process is not None
            assert host.exited_at is not None
            log.warning(
                "function host %s is back (pid %d, restart %d, %.1f s after it exited)",
                host.name,
                host.process.pid,
                host.restarts,
                time.monotonic() - host.exited_at,
            )

    def stop_all(self) -> None:
        with self._lock:
            hosts = list(self.hosts)
        for host in reversed(hosts):
            if host.process is not None:
                aws.stop_process(host.process)
