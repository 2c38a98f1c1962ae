"""Embedded AWS for the local runtime's integration tests.

- `moto_url` (module): a moto server on a free loopback port.
- `dynamodb_local_url` (module): AWS's DynamoDB Local (the engine `make run` uses).
- `aws_env`: boto3 standard configuration pointing at both, for handlers run in-process.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local.aws import (
    MOTO_ENV,
    Moto,
    aws_environment,
    start_dynamodb_local,
    stop_process,
)
from infra.local.runtime import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in MOTO_ENV.items():
            patch.setenv(name, value)
        server = Moto(free_port())
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="module")
def dynamodb_local_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path: Path = tmp_path_factory.mktemp("ddb") / "dynamodb-local.log"
    with log_path.open("ab") as log:
        process = start_dynamodb_local(REPO, port, log)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_url: str) -> dict[str, str]:
    env = aws_environment(moto_url, moto_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
