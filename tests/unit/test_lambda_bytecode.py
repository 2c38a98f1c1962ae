"""The Lambda package carries its bytecode, compiled by an interpreter of the runtime's
version with unchecked hashes, so a cold start loads compiled modules from a read-only
package instead of compiling them; and it fits Lambda's unzipped size quota. Checked here
with this interpreter standing in for the runtime's (this machine has no Python 3.14)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.util import cache_from_source
from pathlib import Path

import pytest

from infra.cdk.bytecode import (
    RUNTIME_PYTHON_ENV,
    WrongRuntimePython,
    bytecode_summary,
    compile_bytecode,
    runtime_python,
)
from infra.cdk.lambda_code import (
    PACKAGES,
    PackageTooLarge,
    check_package_size,
    dependencies_hash,
    stage_source,
)

pytestmark = pytest.mark.unit

THIS_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
UNCHECKED_HASH = 0b01
"""PEP 552 flags of a `.pyc`: hash-based, source not checked."""


def pyc_flags(pyc: Path) -> int:
    return int.from_bytes(pyc.read_bytes()[4:8], "little")


def test_every_staged_module_has_unchecked_hash_bytecode(tmp_path: Path) -> None:
    staged = stage_source(tmp_path / "src", Path(sys.executable))

    modules = sorted(staged.rglob("*.py"))
    assert {m.relative_to(staged).parts[0] for m in modules} == set(PACKAGES)
    for module in modules:
        pyc = Path(cache_from_source(str(module)))
        assert pyc.is_file(), module
        assert pyc_flags(pyc) == UNCHECKED_HASH, module


def test_a_compiled_module_loads_without_its_source_being_read(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "figures.py").write_text("ANSWER = 42\n")
    compile_bytecode(tmp_path, Path(sys.executable))
    (package / "figures.py").write_text("raise SystemExit('the source was compiled again')\n")

    loaded = subprocess.run(
        [sys.executable, "-c", "from pkg.figures import ANSWER; print(ANSWER)"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )

    assert loaded.stdout.strip() == "42", loaded.stderr


def test_a_third_party_file_that_does_not_compile_is_counted_and_the_rest_compiled(
    tmp_path: Path,
) -> None:
    (tmp_path / "example.py").write_text("print 'a Python 2 example'\n")
    (tmp_path / "module.py").write_text("VALUE = 1\n")

    assert compile_bytecode(tmp_path, Path(sys.executable)) == 1
    assert Path(cache_from_source(str(tmp_path / "module.py"))).is_file()


def test_without_an_interpreter_nothing_is_compiled_and_synthesis_says_so(
    tmp_path: Path,
) -> None:
    staged = stage_source(tmp_path / "src")

    assert not list(staged.rglob("*.pyc"))
    assert RUNTIME_PYTHON_ENV in bytecode_summary(None, THIS_VERSION)


def test_the_named_interpreter_must_be_of_the_runtime_version() -> None:
    named = {RUNTIME_PYTHON_ENV: sys.executable}

    assert runtime_python(THIS_VERSION, named) == Path(sys.executable)
    with pytest.raises(WrongRuntimePython):
        runtime_python("0.0", named)
    with pytest.raises(WrongRuntimePython):
        runtime_python(THIS_VERSION, {RUNTIME_PYTHON_ENV: "/nonexistent/python"})


def test_an_interpreter_of_the_runtime_version_on_path_is_found(tmp_path: Path) -> None:
    (tmp_path / f"python{THIS_VERSION}").symlink_to(sys.executable)

    assert runtime_python(THIS_VERSION, {"PATH": str(tmp_path)}) is not None
    assert runtime_python(THIS_VERSION, {"PATH": str(tmp_path / "empty")}) is None


def test_a_compiled_layer_is_cached_apart_from_an_uncompiled_one() -> None:
    assert dependencies_hash(compiled=True) != dependencies_hash(compiled=False)


def test_a_package_over_lambdas_unzipped_quota_is_refused_at_synthesis(tmp_path: Path) -> None:
    code, small_layer, large_layer = (tmp_path / n for n in ("code", "small", "large"))
    for folder, size in ((code, 300), (small_layer, 200), (large_layer, 800)):
        folder.mkdir()
        (folder / "module.py").write_bytes(b"#" * size)

    assert check_package_size(code, [small_layer], limit=1000) == 500
    with pytest.raises(PackageTooLarge):
        check_package_size(code, [small_layer, large_layer], limit=1000)
