"""Every CSV a service writes goes through `common.csv_export` (formulas neutralised): a
new export that writes CSV with the `csv` module directly fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {"writer", "DictWriter"}


def _direct_csv_writers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [f"from csv import {a.name}" for a in node.names if a.name in WRITERS]
        if (
            isinstance(node, ast.Attribute)
            and node.attr in WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(f"csv.{node.attr} (line {node.lineno})")
    return found


def test_no_service_writes_csv_around_the_one_writer() -> None:
    offenders = {}
    for folder in ("services", "common", "infra"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "common" / "csv_export.py":
                continue
            found = _direct_csv_writers(path)
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}, "write CSV with common.csv_export.SafeCsvWriter"
