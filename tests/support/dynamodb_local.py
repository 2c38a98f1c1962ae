"""One DynamoDB Local (AWS's own engine) per test module, started the way the runtime starts
it: on loopback, with the runtime's JVM options and flags."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from infra.local.aws import LOOPBACK, start_dynamodb_local, stop_process
from infra.local.runtime import REPO


@contextmanager
def dynamodb_local_url() -> Iterator[str]:
    """The endpoint of a fresh in-memory DynamoDB Local, stopped on exit."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = int(probe.getsockname()[1])
    with open(os.devnull, "wb") as sink:
        process = start_dynamodb_local(REPO, port, sink)
        try:
            yield f"http://{LOOPBACK}:{port}"
        finally:
            stop_process(process)
