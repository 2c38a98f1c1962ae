"""Bytecode for the Lambda package, compiled by an interpreter of the runtime's version.

Found as `SCTS_LAMBDA_PYTHON` (the pipeline installs one with uv and names it there), else
`python<version>` on PATH. It compiles into `__pycache__` with PEP 552's unchecked hashes:
the package is read-only and never changes, so a cold start loads each module's compiled
form without checking its source. Without it, every cold start compiles every module it
imports and cannot keep the result: 3x the import time measured here
(`python -m bench.cold_init --compile-each-time`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

RUNTIME_PYTHON_ENV = "SCTS_LAMBDA_PYTHON"
"""The path of a Python interpreter of the runtime's version, to compile the bytecode."""


class WrongRuntimePython(RuntimeError):
    """`SCTS_LAMBDA_PYTHON` names an interpreter of another version than the runtime's."""


def python_version(python: str | Path) -> str | None:
    """`major.minor` of an interpreter, or None when it does not run."""
    try:
        answer = subprocess.run(  # noqa: S603 - an interpreter the operator named
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except OSError:
        return None
    return answer.stdout.strip() if answer.returncode == 0 else None


def runtime_python(version: str, environ: dict[str, str] | None = None) -> Path | None:
    """An interpreter of the runtime's `version`: the one `SCTS_LAMBDA_PYTHON` names (refused
    when it is another version), else `python<version>` on PATH, else None (no bytecode)."""
    environ = dict(os.environ) if environ is None else environ
    configured = environ.get(RUNTIME_PYTHON_ENV)
    if configured:
        found = python_version(configured)
        if found != version:
            raise WrongRuntimePython(
                f"{RUNTIME_PYTHON_ENV}={configured} is Python {found or '(not runnable)'}; "
                f"the Lambda runtime is Python {version}"
            )
        return Path(configured)
    on_path = shutil.which(f"python{version}", path=environ.get("PATH"))
    if on_path is None or python_version(on_path) != version:
        return None
    return Path(on_path)


def compile_bytecode(folder: Path, python: Path) -> int:
    """Compile every module under `folder` with `python` (unchecked-hash `.pyc` files in
    `__pycache__`); the number of files that did not compile. A third-party file that does
    not compile (an example or a template shipped as `.py`) is left as source: a module
    that is never imported costs nothing, and pip itself installs it the same way."""
    answer = subprocess.run(  # noqa: S603 - the runtime's interpreter, the stdlib compiler
        [
            str(python),
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if answer.returncode not in (0, 1):
        raise RuntimeError(f"compiling {folder} failed:\n{answer.stderr}{answer.stdout}")
    return answer.stdout.count("*** Error compiling")


def bytecode_summary(python: Path | None, version: str) -> str:
    """What synthesis tells its reader about the package's bytecode."""
    if python is None:
        return (
            f"Lambda bytecode: none (no Python {version} here; set {RUNTIME_PYTHON_ENV}):"
            " every cold start in the cloud compiles the modules it imports"
        )
    return f"Lambda bytecode: compiled by {python} (Python {version})"
