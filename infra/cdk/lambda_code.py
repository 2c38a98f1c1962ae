"""The Lambda deployment package, without Docker.

Code: the repo's `common/`, `contracts/` and `services/` packages copied into a staging
folder (no tests, caches, virtualenv or node_modules), one asset shared by every function.
Dependencies: a layer built from `requirements/lambda.txt` by pip for the Lambda runtime's
platform (manylinux aarch64, CPython 3.14, wheels only, so no compiler or Docker), cached
under `build/lambda-deps/<hash>` and rebuilt only when the pins change. A service that
needs more (documents: the PDF renderer) has `requirements/lambda-<service>.txt`
(`-r lambda.txt` plus its own pins): its stack's layer is built from that file instead,
so no other service ships those packages. A pinned dependency published only as source
(`SOURCE_ONLY`) is first built here into a pure-Python wheel (refused unless it is
`none-any`, i.e. runs on any platform), then installed wheels-only with the rest.

Bytecode: both are compiled by an interpreter of the runtime's version when synthesis has
one (`infra/cdk/bytecode.py`); synthesis says which it did.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.cdk.bytecode import bytecode_summary, compile_bytecode, runtime_python
from infra.cdk.config import REPO_ROOT

PACKAGES = ("common", "contracts", "services")
RUNTIME = lambda_.Runtime.PYTHON_3_14
LAMBDA_PYTHON = "3.14"
LAMBDA_PLATFORM = "manylinux2014_aarch64"
REQUIREMENTS = (
    REPO_ROOT / "requirements" / "lambda.txt",
    REPO_ROOT / "requirements" / "constraints.txt",
)
DEPS_CACHE = REPO_ROOT / "build" / "lambda-deps"
SOURCE_ONLY = ("http-ece",)
"""Pinned (constraints.txt) dependencies with no wheel on PyPI: pywebpush's RFC 8188
encryption (`http-ece`), pure Python."""
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "tests", ".mypy_cache")


def stage_source(destination: Path, python: Path | None = None) -> Path:
    """Copy the packages the handlers import into `destination` (returned), compiled by
    `python` when given."""
    for package in PACKAGES:
        shutil.copytree(REPO_ROOT / package, destination / package, ignore=_IGNORED)
    if python is not None:
        failed = compile_bytecode(destination, python)
        if failed:
            raise RuntimeError(f"{failed} of our own modules do not compile for the runtime")
    return destination


def service_requirements(service: str) -> Path | None:
    """`requirements/lambda-<service>.txt` when the service needs more than every function."""
    found = REPO_ROOT / "requirements" / f"lambda-{service}.txt"
    return found if found.is_file() else None


def dependencies_hash(requirements: Path = REQUIREMENTS[0], *, compiled: bool = False) -> str:
    layout = f"{LAMBDA_PYTHON}/{LAMBDA_PLATFORM}" + ("/bytecode" if compiled else "")
    digest = hashlib.sha256(layout.encode())
    for path in (*REQUIREMENTS, requirements):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class NotPurePython(RuntimeError):
    """A source-only dependency built a platform wheel: it cannot go into the layer."""


def build_pure_wheels(wheelhouse: Path) -> list[Path]:
    """Wheels of the `SOURCE_ONLY` pins, built on this host; each must be `none-any`."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-binary",
        ",".join(SOURCE_ONLY),
        "--wheel-dir",
        str(wheelhouse),
        "-c",
        str(REQUIREMENTS[1]),
        *SOURCE_ONLY,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"building the source-only wheels failed:\n{result.stderr}")
    wheels = sorted(wheelhouse.glob("*.whl"))
    impure = [w.name for w in wheels if not w.name.endswith("-none-any.whl")]
    if impure:
        raise NotPurePython(f"not pure-Python wheels, cannot ship for aarch64: {impure}")
    return wheels


def build_dependencies(
    cache: Path = DEPS_CACHE, requirements: Path = REQUIREMENTS[0], python: Path | None = None
) -> Path:
    """The layer folder (`<dir>/python/...`) for pinned Lambda requirements (every
    function's by default, or a service's file), compiled by `python` when given."""
    target = cache / dependencies_hash(requirements, compiled=python is not None)
    if (target / "python").is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=cache, prefix=".building-"))
    wheelhouse = building / "wheelhouse"
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        LAMBDA_PYTHON,
        "--platform",
        LAMBDA_PLATFORM,
        "--find-links",
        str(wheelhouse),
        "--target",
        str(building / "python"),
        "-r",
        str(requirements),
        "-c",
        str(REQUIREMENTS[1]),
    ]
    try:
        build_pure_wheels(wheelhouse)
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(f"building the Lambda dependency layer failed:\n{result.stderr}")
        shutil.rmtree(wheelhouse)
        if python is not None and (failed := compile_bytecode(building / "python", python)):
            print(f"{failed} third-party files do not compile: left as source", file=sys.stderr)
        building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def build_service_dependencies(
    services: Iterable[str], python: Path | None = None
) -> dict[str, Path]:
    """The layer folders of the services with their own requirements file."""
    found = {service: service_requirements(service) for service in services}
    return {
        service: build_dependencies(requirements=path, python=python)
        for service, path in found.items()
        if path is not None
    }


UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
"""Lambda's quota for a function's code and all its layers, unzipped."""


class PackageTooLarge(RuntimeError):
    """A function's code and layer would exceed Lambda's unzipped size quota."""


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def check_package_size(
    source_dir: Path, layer_dirs: Iterable[Path], limit: int = UNZIPPED_LIMIT_BYTES
) -> int:
    """The largest code + layer size (bytes) of any function; refused over Lambda's quota,
    at synthesis rather than at deployment (bytecode adds ~20% to a layer)."""
    code = folder_bytes(source_dir)
    largest = code + max((folder_bytes(layer) for layer in layer_dirs), default=0)
    if largest > limit:
        raise PackageTooLarge(
            f"a function's code and layer unzip to {largest / 2**20:.0f} MB;"
            f" Lambda allows {limit / 2**20:.0f} MB"
        )
    return largest


class LambdaCode:
    """One code asset and one dependency layer per stack, handed to each stack that needs
    them; `service_dependencies` holds the layers of services with their own requirements."""

    def __init__(
        self,
        source_dir: Path,
        dependencies_dir: Path,
        service_dependencies: dict[str, Path] | None = None,
    ) -> None:
        self.source_dir = source_dir
        self.dependencies_dir = dependencies_dir
        self.service_dependencies = dict(service_dependencies or {})
        self._layers: dict[str, lambda_.LayerVersion] = {}

    def code(self) -> lambda_.Code:
        """A fresh AssetCode per function (an asset binds to one stack); staging is shared."""
        return lambda_.Code.from_asset(str(self.source_dir))

    def layer(self, scope: Construct, service: str | None = None) -> lambda_.LayerVersion:
        stack = cdk.Stack.of(scope)
        if stack.node.path not in self._layers:
            folder = self.service_dependencies.get(service or "", self.dependencies_dir)
            source = f"lambda-{service}.txt" if folder != self.dependencies_dir else "lambda.txt"
            self._layers[stack.node.path] = lambda_.LayerVersion(
                stack,
                "Dependencies",
                code=lambda_.Code.from_asset(str(folder)),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[lambda_.Architecture.ARM_64],
                description=f"Pinned third-party packages from requirements/{source}.",
            )
        return self._layers[stack.node.path]


def build_packages(staging: Path, services: Iterable[str]) -> LambdaCode:
    """Stage the code, build the layers (compiled when the runtime's Python is here) and
    check their size; says on stderr what it did."""
    python = runtime_python(LAMBDA_PYTHON)
    print(bytecode_summary(python, LAMBDA_PYTHON), file=sys.stderr)
    packages = LambdaCode(
        stage_source(staging, python),
        build_dependencies(python=python),
        build_service_dependencies(services, python),
    )
    largest = check_package_size(
        packages.source_dir, [packages.dependencies_dir, *packages.service_dependencies.values()]
    )
    print(f"largest function package: {largest / 2**20:.0f} MB unzipped", file=sys.stderr)
    return packages
