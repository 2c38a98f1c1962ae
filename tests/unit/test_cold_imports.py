"""A Lambda's cold start imports only what its handler module needs at import: each handler
module is imported in a fresh interpreter (as Lambda's init does) and the modules it loaded
are checked, so a heavy library moved back to a module's top level is caught without any
timing assertion (`bench/cold_init.py` measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.cold_init import _environment
from common.topology import AuthKind
from infra.local.runtime import REPO
from services.topologies import TOPOLOGIES

pytestmark = pytest.mark.unit

LAZY = (
    "reportlab",  # documents: only the rendering code paths (the `renderer` provider)
    "pypdf",
    "jinja2",  # notifications: the template environments, built on first render
    "pywebpush",  # notifications: the push sender, built by the `push_sender` provider
    "py_vapid",
    "http_ece",
    "aiohttp",
    "requests",
    "pydantic_settings",  # settings are `common.settings.EnvSettings` (plain pydantic)
)
"""Top-level packages no handler may load at import."""
PARSER_MODELS = "aws_lambda_powertools.utilities.parser.models"
"""Every event source's pydantic model: Powertools' batch utility imports them when pydantic
is imported before it (see `common/consumer.py`); no handler uses them."""
TOKEN_VERIFIER = "jwt"
"""cryptography may be loaded at import only with PyJWT (a handler verifying tokens): the
documents CDN signer and the notifications VAPID key import it on first use."""

HANDLERS = sorted(
    (f"{t.service}.{f.name}", t.service, f.handler.rsplit(".", 1)[0])
    for t in TOPOLOGIES
    for f in t.functions
)
WITHOUT_ROUTES = sorted(
    (f"{t.service}.{f.name}", t.service, f.handler.rsplit(".", 1)[0])
    for t in TOPOLOGIES
    for f in t.functions
    if not any(r.function == f.name for r in t.routes)
)
"""Consumers, schedules, authorizers: they log under `services.<name>.SERVICE` and have no
use for the topology, so building it (~15-30 ms of validated models) or even defining its
models (~10 ms) is waste."""
WITH_ROUTES = sorted(
    (
        f"{t.service}.{f.name}",
        f.handler.rsplit(".", 1)[0],
        any(r.auth is AuthKind.USER for r in t.routes if r.function == f.name),
    )
    for t in TOPOLOGIES
    for f in t.functions
    if any(r.function == f.name for r in t.routes)
)
"""API functions, and whether any of their routes takes a user's token."""
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(module: str) -> set[str]:
    done = subprocess.run(  # noqa: S603 - this interpreter, a module the topology names
        [sys.executable, "-c", PROBE, module],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_environment(),
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_probe_sees_a_module_loaded_at_import() -> None:
    # The check below can fail: a module that imports jinja2 at its top level is seen.
    assert "jinja2" in {m.split(".")[0] for m in loaded_by("jinja2.sandbox")}


@pytest.mark.parametrize(("name", "service", "module"), HANDLERS, ids=[h[0] for h in HANDLERS])
def test_a_handler_import_loads_no_lazy_library_nor_another_service(
    name: str, service: str, module: str
) -> None:
    loaded = loaded_by(module)
    packages = {m.split(".")[0] for m in loaded}

    assert not packages & set(LAZY), f"{name} loads {sorted(packages & set(LAZY))} at import"
    assert PARSER_MODELS not in loaded, f"{name}: batch utility imported after pydantic"
    if "cryptography" in packages:
        assert TOKEN_VERIFIER in packages, f"{name} loads cryptography at import"
    others = {
        m.split(".")[1] for m in loaded if m.startswith("services.") and m.count(".") >= 1
    } - {service, "topologies"}
    assert not others, f"{name} imports other services at import: {sorted(others)}"


def test_only_a_function_with_user_routes_loads_the_token_library_and_during_init() -> None:
    """Verifying tokens needs PyJWT and cryptography (~30 ms): in the init phase of every
    function with user routes (not on its first request), never in one without."""
    assert any(not users for _, _, users in WITH_ROUTES), "the ingest API has no user routes"
    for name, module, users in WITH_ROUTES:
        token_library = {TOKEN_VERIFIER, "cryptography"}
        packages = {m.split(".")[0] for m in loaded_by(module)}
        assert packages & token_library == (token_library if users else set()), name


def test_there_are_functions_without_routes() -> None:
    assert len(WITHOUT_ROUTES) >= 10, WITHOUT_ROUTES


@pytest.mark.parametrize(
    ("name", "service", "module"), WITHOUT_ROUTES, ids=[h[0] for h in WITHOUT_ROUTES]
)
def test_a_function_without_routes_does_not_build_its_topology(
    name: str, service: str, module: str
) -> None:
    loaded = loaded_by(module)
    assert f"services.{service}.topology" not in loaded, name
    assert "common.topology" not in loaded, f"{name} loads the topology models"


INGEST_AUTHORIZER = "services.provisioning.handlers.authorizer"
STORES_BEHIND_THE_AUTHORIZER = (
    "services.provisioning.adapters.records",
    "services.provisioning.adapters.uploads",
)


def test_the_ingest_authorizer_loads_only_the_publisher_store() -> None:
    """Every ingest request waits for the authorizer; the record and upload stores (most of
    the service's logic and models) are for the routes behind it."""
    loaded = loaded_by(INGEST_AUTHORIZER)

    assert "services.provisioning.adapters.publishers" in loaded
    assert not loaded & set(STORES_BEHIND_THE_AUTHORIZER)


def test_a_consumer_of_a_store_its_provider_imports_loads_it_during_init() -> None:
    """The record store's provider imports it on first use; the accounts consumer, which
    needs it for every event, loads it at import so its first event does not pay."""
    loaded = loaded_by("services.provisioning.handlers.accounts")

    assert "services.provisioning.adapters.records" in loaded


PLUGIN_SCAN_PROBE = """
import importlib.metadata

def refuse(*args, **kwargs):
    raise SystemExit("pydantic scanned the installed packages for plugins")

importlib.metadata.entry_points = refuse
from pydantic import BaseModel

class Validated(BaseModel):
    value: int

print(Validated(value=1).value)
"""


@pytest.mark.parametrize("told", [True, False], ids=["functions-environment", "without-it"])
def test_pydantic_skips_its_plugin_scan_only_when_the_environment_says_so(told: bool) -> None:
    """Fails when pydantic stops reading PYDANTIC_DISABLE_PLUGINS (or the functions'
    environment stops setting it): the scan costs ~10 ms of every cold start."""
    environment = _environment()
    if not told:
        environment.pop("PYDANTIC_DISABLE_PLUGINS")
    done = subprocess.run(  # noqa: S603 - this interpreter, the probe above
        [sys.executable, "-c", PLUGIN_SCAN_PROBE],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        check=False,
        timeout=60,
    )
    assert (done.returncode == 0) is told, done.stderr
