"""The layering every service keeps (docs/adding-a-service.md), checked on the real import
graph by import-linter with the contracts in pyproject.toml."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def loggers_left_enabled() -> Iterator[None]:
    """import-linter's CLI configures logging with `dictConfig`, which disables every logger
    that exists already: the tests that run after these in the same worker would find their
    loggers silent (`caplog` empty). Each logger's state is put back."""
    loggers = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    disabled = [logger.disabled for logger in loggers]
    yield
    for logger, was_disabled in zip(loggers, disabled, strict=True):
        logger.disabled = was_disabled


def test_the_import_contracts_hold() -> None:
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_logic_never_uses_the_http_layer_of_powertools() -> None:
    """import-linter cannot forbid a subpackage of an external package: checked here."""
    offenders = {
        str(path.relative_to(REPO)): sorted(
            m
            for m in _imported_modules(path)
            if m.startswith("aws_lambda_powertools.event_handler")
        )
        for path in REPO.glob("services/*/logic/**/*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_contract_check_can_fail(tmp_path: Path) -> None:
    """A logic module importing boto3 breaks the first contract (the check is not vacuous)."""
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    broken = tmp_path / "pyproject.toml"
    broken.write_text(
        config.replace('forbidden_modules = [\n    "boto3",', 'forbidden_modules = [\n    "json",'),
        encoding="utf-8",
    )
    assert lint_imports(config_filename=str(broken), no_cache=True) != 0


@pytest.mark.parametrize(
    ("contract_line", "broken_line"),
    [
        (
            'source_modules = ["infra.cdk"]\nforbidden_modules = ["infra.local"]',
            'source_modules = ["infra.cdk"]\nforbidden_modules = ["infra.local", "infra.shape"]',
        ),
        (
            'source_modules = ["infra.local"]\nforbidden_modules = ["infra.cdk", "aws_cdk"]',
            'source_modules = ["infra.local"]\nforbidden_modules = ["infra.cdk", "infra.shape"]',
        ),
    ],
    ids=["cdk-never-imports-local", "local-never-imports-cdk"],
)
def test_the_cdk_and_local_contracts_see_real_imports(
    tmp_path: Path, contract_line: str, broken_line: str
) -> None:
    """The CDK app and the local runtime both import the neutral `infra.shape`: forbidding
    it in either contract breaks that contract (so the contract reads their imports)."""
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert contract_line in config
    broken = tmp_path / "pyproject.toml"
    broken.write_text(config.replace(contract_line, broken_line), encoding="utf-8")
    assert lint_imports(config_filename=str(broken), no_cache=True) != 0
