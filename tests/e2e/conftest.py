"""The local runtime for end-to-end tests: started once per session, like `make run`.

Fixtures:
- `local_runtime` (session): a running `python -m infra.local` on free loopback ports with
  its own state dir; the value is the parsed `endpoints.json` (`runtime_process`: the
  process, its state dir and output). With `SCTS_E2E_ENDPOINTS=<path to endpoints.json>`
  the tests use that running runtime instead.
- `admin_tokens`: Cognito tokens of the bootstrap administrator (TOTP answered), signed in
  again when the session's are 10 minutes old.

Tests marked `e2e_last` (the API fuzzing run) are moved after every other test: they change
the shared runtime's data beyond what the other tests expect of the demo. Under xdist every
e2e test runs on one worker (`tests/xdist_groups.py`), so a run starts one runtime; a runtime
still takes its own block of ports, so a second one (a developer's `make run`, another run)
does not get in its way.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.aws import client
from infra.local.cognito import UserPool, login
from infra.local.control import (
    READY_TIMEOUT_SECONDS,
    RuntimeProcess,
    start_runtime,
)
from infra.shape.cognito_pool import TOKEN_VALIDITY

E2E_TEST_TIMEOUT_SECONDS = READY_TIMEOUT_SECONDS + 300
"""The first test of a worker also waits for the session's runtime to be ready."""
ADMIN_TOKENS_REUSE_SECONDS = (TOKEN_VALIDITY.access_minutes - 5) * 60
"""A test gets the admin's tokens with 5 minutes of their life left at least."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """e2e tests may wait for the runtime; the `e2e_last` ones (fuzzing) run after the rest."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(E2E_TEST_TIMEOUT_SECONDS))
    items.sort(key=lambda item: item.get_closest_marker("e2e_last") is not None)


@pytest.fixture(scope="session")
def runtime_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    """The runtime itself: its state dir holds every log it writes."""
    runtime = start_runtime(tmp_path_factory.mktemp("local-runtime"))
    try:
        yield runtime
    finally:
        runtime.interrupt()


@pytest.fixture(scope="session")
def local_runtime(request: pytest.FixtureRequest) -> dict[str, Any]:
    running = os.environ.get("SCTS_E2E_ENDPOINTS")
    if running:  # a developer's own `make run` (its endpoints.json): no runtime of our own
        endpoints: dict[str, Any] = json.loads(Path(running).read_text())
        return endpoints
    runtime: RuntimeProcess = request.getfixturevalue("runtime_process")
    return runtime.wait_ready()


def user_pool(endpoints: dict[str, Any]) -> UserPool:
    cognito = endpoints["cognito"]
    return UserPool(
        cognito["endpoint"], cognito["region"], cognito["user_pool_id"], cognito["client_id"]
    )


@pytest.fixture(scope="session")
def admin_login(local_runtime: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """The bootstrap administrator's tokens, signed in again once they are old: every e2e
    test runs on one worker, and a run's e2e tests take longer than an access token lives."""
    admin = next(u for u in local_runtime["users"] if u["role"] == "scts-admin")
    pool = user_pool(local_runtime)
    kept: list[tuple[float, dict[str, Any]]] = []

    def tokens() -> dict[str, Any]:
        if not kept or time.monotonic() - kept[-1][0] > ADMIN_TOKENS_REUSE_SECONDS:
            fresh = login(
                client("cognito-idp", pool.endpoint),
                pool,
                admin["username"],
                admin["password"],
                admin["totp_secret"],
            )
            kept.append((time.monotonic(), fresh))
        return kept[-1][1]

    return tokens


@pytest.fixture
def admin_tokens(admin_login: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return admin_login()
