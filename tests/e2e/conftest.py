"""The local runtime for end-to-end tests: started once per session, like `make run`.

Fixtures:
- `local_runtime` (session): a running `python -m infra.local` on free loopback ports with
  its own state dir; the value is the parsed `endpoints.json` (`runtime_process`: the
  process, its state dir and output).
- `admin_tokens` (session): Cognito tokens of the bootstrap administrator (TOTP answered).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.control import RuntimeProcess, free_base_port, start_runtime
from services import TOPOLOGIES


@pytest.fixture(scope="session")
def runtime_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    """The runtime itself: its state dir holds every log it writes."""
    runtime = start_runtime(
        free_base_port(len(TOPOLOGIES)), tmp_path_factory.mktemp("local-runtime")
    )
    try:
        yield runtime
    finally:
        runtime.interrupt()


@pytest.fixture(scope="session")
def local_runtime(runtime_process: RuntimeProcess) -> dict[str, Any]:
    return runtime_process.wait_ready()


def user_pool(endpoints: dict[str, Any]) -> UserPool:
    cognito = endpoints["cognito"]
    return UserPool(
        cognito["endpoint"], cognito["region"], cognito["user_pool_id"], cognito["client_id"]
    )


@pytest.fixture(scope="session")
def admin_tokens(local_runtime: dict[str, Any]) -> dict[str, Any]:
    admin = next(u for u in local_runtime["users"] if u["role"] == "scts-admin")
    pool = user_pool(local_runtime)
    return login(
        client("cognito-idp", pool.endpoint),
        pool,
        admin["username"],
        admin["password"],
        admin["totp_secret"],
    )
