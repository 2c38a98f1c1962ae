"""Cold init of every Lambda handler against a minimal baseline, measured in the same run.

    .venv/bin/python -m bench.cold_init [--runs 7] [--only portfolio] [--json]
        [--before PATH]    # another checkout (git worktree add PATH <ref>) measured alongside

A cold start's init phase is the import of the handler's module (what Lambda does before
the first invocation), so each handler is imported once per round for `--runs` rounds,
each time in a fresh interpreter, and timed from inside it (interpreter start-up is left
out: every handler pays it alike). The baseline is the smallest Lambda written the way
every handler here is: Powertools' Logger, Tracer (X-Ray) and Metrics, and a boto3 DynamoDB
table resource created at import. Prints the best (fastest) of the rounds per handler and
its ratio to the baseline's best (the target is <= 1.2x), and the median beside it: on a
shared machine, other work only ever adds time, so the best round is the steadiest figure
of what the import itself costs (medians of the same handler varied by 30% between runs).

A second reference is measured in the same rounds, because no API function can be smaller:
the minimal API, the baseline plus Powertools' HTTP resolver with validation and one route
returning one pydantic model. Each API function's ratio to it (best to best) is printed beside
its ratio to the baseline: what our code adds to what the chosen libraries cost. (PyJWT with
cryptography, which every function with user routes loads to verify tokens, is left out of
the reference: where the interpreter's one full garbage collection of the init lands
depends on what was imported before, and after the minimal API it lands in cryptography,
which then seemed to cost 80 ms more than it does in our functions.)

For a handler over the target, the packages that add most to its import over the
baseline's are named (`-X importtime` self times summed per top-level package, in ms;
that tool's own overhead inflates them).
Prints figures; not a test. With `--before`, each handler that also exists in that
checkout is imported there too, in the same rounds, and the ratio after/before is
printed: "no handler slower than before".

Bytecode: every interpreter reads and writes compiled modules in a cache of the bench's own
(`PYTHONPYCACHEPREFIX`, one per checkout under the temporary folder), filled by one
unmeasured round, so the figures do not depend on whether the caller's shell sets
PYTHONDONTWRITEBYTECODE or the installer compiled the virtualenv: without a cache,
compiling sources was about half of every figure, the baseline's too. `--compile-each-time`
measures with no cache: what a function pays when its package ships no bytecode for its
runtime's Python (ours does when synthesis has a Python 3.14: `infra/cdk/bytecode.py`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from infra.local.runtime import REPO
from infra.shape.resources import PYTHON_ENVIRONMENT

TARGET_RATIO = 1.2
BASELINE = """
import os
from aws_lambda_powertools import Logger, Metrics, Tracer
import boto3
logger = Logger(service="baseline")
tracer = Tracer(service="baseline")
metrics = Metrics(namespace="baseline")
table = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "baseline"))
def handler(event, context):
    return table.name
"""
MINIMAL_API = (
    BASELINE
    + """
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel
class Named(BaseModel):
    name: str
app = APIGatewayHttpResolver(enable_validation=True)
@app.get("/v1/name")
def name() -> Named:
    return Named(name=table.name)
"""
)
REFERENCES = {"baseline": BASELINE, "minimal API": MINIMAL_API}
"""What every handler is compared with, measured in the same rounds. The minimal API is
the floor of an API function written with the chosen libraries."""
TIMED = """
import time, importlib
started = time.perf_counter()
{body}
print(time.perf_counter() - started)
"""
ENVIRONMENT = {
    **PYTHON_ENVIRONMENT,
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_METRICS_NAMESPACE": "bench",
    "AWS_LAMBDA_FUNCTION_NAME": "cold-init-bench",
}
"""As in Lambda: Powertools' Tracer is enabled (and imports the X-Ray SDK) only there, and
the interpreter gets what every function's environment sets (`PYTHON_ENVIRONMENT`)."""


@dataclass(frozen=True)
class Figure:
    name: str
    best_ms: float
    median_ms: float
    runs_ms: list[float]
    error: str | None = None


BYTECODE_CACHE = Path(tempfile.gettempdir()) / "scts-cold-init-bytecode"


def _environment(repo: Path = REPO, *, cached: bool = True) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCTS_", "AWS_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    bytecode = (
        {"PYTHONPYCACHEPREFIX": str(BYTECODE_CACHE / hashlib.sha256(bytes(repo)).hexdigest()[:12])}
        if cached
        else {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(EMPTY_CACHE)}
    )
    return env | ENVIRONMENT | bytecode | {"PYTHONPATH": str(repo)}


EMPTY_CACHE = BYTECODE_CACHE / "never-written"
"""With --compile-each-time: a prefix with no compiled module in it (and nothing written)."""


def _once(body: str, repo: Path, *, cached: bool = True) -> tuple[float | None, str | None]:
    done = subprocess.run(  # noqa: S603 - this interpreter, code from this module
        [sys.executable, "-c", TIMED.format(body=body)],
        capture_output=True,
        text=True,
        cwd=repo,
        env=_environment(repo, cached=cached),
        check=False,
    )
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1]
    return float(done.stdout.strip().splitlines()[-1]) * 1000, None


@dataclass(frozen=True)
class Import:
    name: str
    body: str
    repo: Path = REPO


def measure_all(imports: list[Import], runs: int, *, cached: bool = True) -> list[Figure]:
    """Round after round, every import once per round: on a shared machine, load changes
    between rounds hit the baseline and every handler alike, so their ratios stay fair.
    With the bytecode cache, a first round fills it and is not counted."""
    timings: list[list[float]] = [[] for _ in imports]
    errors: list[str | None] = [None for _ in imports]
    for round_ in range(runs + cached):
        for index, spec in enumerate(imports):
            if errors[index] is None:
                took, errors[index] = _once(spec.body, spec.repo, cached=cached)
                if took is not None and (round_ or not cached):
                    timings[index].append(took)
    return [
        Figure(spec.name, min(t, default=0.0), statistics.median(t) if t else 0.0, t, error)
        for spec, t, error in zip(imports, timings, errors, strict=True)
    ]


def import_self_times(body: str) -> dict[str, float]:
    """Milliseconds each top-level package's own modules took to import (`-X importtime`
    self times, summed per package: what the package costs, not what it pulls in)."""
    done = subprocess.run(  # noqa: S603 - this interpreter, code from this module
        [sys.executable, "-X", "importtime", "-c", body],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_environment(),
        check=False,
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        root = parts[2].strip().split(".")[0]
        own = int(parts[0].rsplit(":", 1)[1])
        totals[root] = totals.get(root, 0.0) + own / 1000
    return totals


def heaviest_imports(
    module: str, baseline: dict[str, float], count: int = 4
) -> list[tuple[str, float]]:
    """The packages that add the most to a handler's import over the baseline's (ms)."""
    added = {
        name: ms - baseline.get(name, 0.0)
        for name, ms in import_self_times(f"import {module}").items()
    }
    return sorted(added.items(), key=lambda item: -item[1])[:count]


@dataclass(frozen=True)
class Handler:
    name: str
    module: str
    attribute: str
    api: bool
    """Serves routes: cannot go below the minimal API."""


def handlers(only: str | None) -> list[Handler]:
    from services.topologies import TOPOLOGIES

    found = []
    for topology in TOPOLOGIES:
        if only is not None and topology.service != only:
            continue
        for function in topology.functions:
            api = any(r.function == function.name for r in topology.routes)
            module, attribute = function.handler.rsplit(".", 1)
            found.append(Handler(f"{topology.service}.{function.name}", module, attribute, api))
    return sorted(found, key=lambda h: h.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", help="one service")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--before", type=Path, help="a checkout to compare with (same run)")
    parser.add_argument(
        "--compile-each-time",
        action="store_true",
        help="no bytecode cache: every import compiles its sources",
    )
    args = parser.parse_args()
    imports = [Import(name, body) for name, body in REFERENCES.items()]
    found = handlers(args.only)
    for h in found:
        body = f"getattr(importlib.import_module({h.module!r}), {h.attribute!r})"
        imports.append(Import(h.name, body))
        if args.before and (args.before / (h.module.replace(".", "/") + ".py")).exists():
            imports.append(Import(f"before:{h.name}", body, args.before))
    measured = {
        f.name: f for f in measure_all(imports, args.runs, cached=not args.compile_each_time)
    }
    baseline = measured["baseline"]
    if args.json:
        print(json.dumps(_document(measured, found), indent=2))
        return
    bytecode = "compiling every import" if args.compile_each_time else "bytecode cached"
    print(
        f"cold init, best (and median) of {args.runs} rounds, a fresh interpreter per import"
        f" ({bytecode})"
    )
    print(
        f"  baseline (Logger, Tracer, Metrics, a DynamoDB table): {baseline.best_ms:7.1f} ms"
        f" (median {baseline.median_ms:.1f})"
    )
    for name in list(REFERENCES)[1:]:
        reference = measured[name]
        print(
            f"  {name:52} {reference.best_ms:7.1f} ms (median {reference.median_ms:.1f})"
            f"  {reference.best_ms / baseline.best_ms:4.2f}x"
        )
    over = 0
    baseline_packages = import_self_times(BASELINE)
    for h in found:
        figure = measured[h.name]
        if figure.error:
            print(f"  {h.name:38} FAILED: {figure.error}")
            continue
        ratio = figure.best_ms / baseline.best_ms
        over += ratio > TARGET_RATIO
        flag = ""
        if h.api:
            flag += f"  {figure.best_ms / measured['minimal API'].best_ms:4.2f}x the minimal API"
        then = measured.get(f"before:{h.name}")
        if then and not then.error:
            flag += f"  before {then.best_ms:7.1f} ms ({figure.best_ms / then.best_ms:4.2f}x)"
        if ratio > TARGET_RATIO:
            heavy = heaviest_imports(h.module, baseline_packages)
            flag += f"  > {TARGET_RATIO}x (" + ", ".join(f"{n} {ms:.0f}" for n, ms in heavy) + ")"
        print(
            f"  {h.name:30} {figure.best_ms:7.1f} ms (median {figure.median_ms:6.1f})"
            f"  {ratio:4.2f}x{flag}"
        )
    print(f"{over} of {len(found)} handlers above {TARGET_RATIO}x the baseline")


def _document(measured: dict[str, Figure], found: list[Handler]) -> dict[str, object]:
    baseline = measured["baseline"]
    return {
        "baseline_ms": baseline.best_ms,
        "references": {
            name: {"best_ms": measured[name].best_ms, "median_ms": measured[name].median_ms}
            for name in REFERENCES
        },
        "handlers": {
            h.name: {
                "best_ms": measured[h.name].best_ms,
                "median_ms": measured[h.name].median_ms,
                "api": h.api,
                "error": measured[h.name].error,
            }
            for h in found
        },
    }


if __name__ == "__main__":
    main()
