"""What provisioning ships in the Lambda asset is code its functions run: every module of
the package is imported by one of the topology's handlers (so test fakes and test data,
which only tests import, cannot sit there), except the publishers' CLI, which no handler
imports."""

from __future__ import annotations

import grimp
import pytest

from services.provisioning.topology import TOPOLOGY

pytestmark = pytest.mark.unit

PACKAGE = "services.provisioning"
CLI = f"{PACKAGE}.cli"


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("services", cache_dir=None)


def _run_by_functions(graph: grimp.ImportGraph) -> set[str]:
    entry_points = {f.handler.rsplit(".", 1)[0] for f in TOPOLOGY.functions}
    reached = set(entry_points)
    for entry_point in entry_points:
        reached |= graph.find_upstream_modules(entry_point)
    return reached


def _run_by_no_function(graph: grimp.ImportGraph) -> set[str]:
    """Modules of the package (the CLI aside) that no function imports."""
    packages = {m for m in graph.modules if graph.find_children(m)}
    shipped = {
        m
        for m in graph.modules
        if m.startswith(f"{PACKAGE}.") and m not in packages and not m.startswith(CLI)
    }
    return shipped - _run_by_functions(graph)


def test_every_module_of_the_package_is_run_by_a_function() -> None:
    assert _run_by_no_function(_graph()) == set()


def test_no_handler_imports_the_cli() -> None:
    graph = _graph()
    assert {m for m in _run_by_functions(graph) if m.startswith(CLI)} == set()
    assert f"{CLI}.publish" in graph.modules  # the check looks at the real CLI module


def test_the_check_finds_a_module_no_function_runs() -> None:
    """A fake added under services/ (imported by tests only) would be reported."""
    graph = _graph()
    graph.add_module(f"{PACKAGE}.adapters.memory")
    graph.add_import(
        importer=f"{PACKAGE}.adapters.memory",
        imported=f"{PACKAGE}.logic.planning",
        line_number=1,
        line_contents="from services.provisioning.logic.planning import PlannedWrite",
    )
    assert _run_by_no_function(graph) == {f"{PACKAGE}.adapters.memory"}
