"""`make help` names every Makefile target, one line each, and how to run one test."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
RULE = re.compile(r"^([a-z][a-z-]*):(?!=)", re.MULTILINE)


def make_help() -> list[str]:
    done = subprocess.run(
        ["make", "--no-print-directory", "help"],  # noqa: S607 - make from PATH, as a person runs it
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.splitlines()


def test_every_target_has_one_line_with_a_description() -> None:
    targets = RULE.findall((REPO / "Makefile").read_text())
    lines = make_help()

    assert {"run", "test", "help", "install", "clean"} <= set(targets)
    for target in targets:
        described = [line for line in lines if line.split()[:2] == ["make", target]]
        assert len(described) == 1, f"make help: {target} listed {len(described)} times"
        assert len(described[0].split()) > 3, f"make help: {target} has no description"


def test_the_one_test_example_runs_an_existing_test() -> None:
    example = next(line for line in make_help() if line.startswith("One test:"))
    argv = shlex.split(example.removeprefix("One test:"))
    node = next(arg for arg in argv if "::" in arg)
    path, name = node.split("::")

    assert argv[1:4] == ["-m", "pytest", node]
    assert Path(argv[0]).name == "python"
    assert re.search(rf"^def {name}\(", (REPO / path).read_text(), re.MULTILINE)
