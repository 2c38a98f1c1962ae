"""THREAT_MODEL.md points at real tests: every test file it names exists under tests/, and
every `::name` in a row is a test function of a file named in that row (cdk gates:
`tests/infra/test_cdk_gates.py`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
CDK_GATES = "infra/test_cdk_gates.py"
FILE = re.compile(r"`([\w/]+\.py)(?:::(\w+))?`")
NAME = re.compile(r"`::(\w+)`")


PREFIXES = ("unit/", "integration/", "e2e/", "infra/", "contract/")


def is_test_file(path: str) -> bool:
    return path.rsplit("/", 1)[-1].startswith("test_")


def rows() -> list[str]:
    """Table rows, and list items with their wrapped continuation lines."""
    found: list[str] = []
    for line in (ROOT / "THREAT_MODEL.md").read_text().splitlines():
        if line.startswith("  ") and found:
            found[-1] += " " + line.strip()
        elif line.startswith(("|", "- ")):
            found.append(line)
    return found


def test_every_named_test_file_and_function_exists() -> None:
    missing: list[str] = []
    checked = 0
    for row in rows():
        files = [m.group(1) for m in FILE.finditer(row) if is_test_file(m.group(1))]
        if "cdk gates" in row:
            files.append(CDK_GATES)
        sources = {f: (TESTS / f).read_text() for f in files if (TESTS / f).exists()}
        for match in FILE.finditer(row):
            path, name = match.groups()
            if is_test_file(path):
                checked += 1
                if not path.startswith(PREFIXES) or not (TESTS / path).exists():
                    missing.append(path)
                elif name and f"def {name}(" not in sources[path]:
                    missing.append(f"{path}::{name}")
        for name in NAME.findall(row):
            checked += 1
            if not any(f"def {name}(" in source for source in sources.values()):
                missing.append(f"::{name} in: {row[:80]}")
    assert checked > 40
    assert missing == [], missing
