"""The local runtime for end-to-end tests: started once per session, like `make run`.

Fixtures:
- `local_runtime` (session): a running `python -m infra.local` on free loopback ports with
  its own state dir; the value is the parsed `endpoints.json`. With
  `SCTS_E2E_ENDPOINTS=<path to endpoints.json>` the tests use that running runtime instead.
- `admin_tokens` (session): Cognito tokens of the bootstrap administrator (TOTP answered).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.control import READY_TIMEOUT_SECONDS, free_base_port, start_runtime
from services import TOPOLOGIES

E2E_TEST_TIMEOUT_SECONDS = READY_TIMEOUT_SECONDS + 300
"""The first test of a worker also waits for the session's runtime to be ready."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(E2E_TEST_TIMEOUT_SECONDS))


@pytest.fixture(scope="session")
def local_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    running = os.environ.get("SCTS_E2E_ENDPOINTS")
    if running:  # a developer's own `make run` (its endpoints.json): no runtime of our own
        yield json.loads(Path(running).read_text())
        return
    runtime = start_runtime(
        free_base_port(len(TOPOLOGIES)), tmp_path_factory.mktemp("local-runtime")
    )
    try:
        yield runtime.wait_ready()
    finally:
        runtime.interrupt()


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
