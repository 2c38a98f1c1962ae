"""`make synth`: write the cloud assembly to cdk.out/ offline, without AWS credentials.

Reads cdk.json's context (the cdk CLI is not needed), builds the app, synthesizes it with
the cdk-nag gate, and prints the templates written and how long it took.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import aws_cdk as cdk

from infra.cdk.app import build_app
from infra.cdk.config import REPO_ROOT, read_cdk_json_context
from infra.cdk.lambda_code import build_packages
from services.topologies import TOPOLOGIES

OUTDIR = REPO_ROOT / "cdk.out"


def synth(outdir: Path = OUTDIR) -> cdk.cx_api.CloudAssembly:
    """A fresh cloud assembly in `outdir` (stale assets of earlier synths removed)."""
    shutil.rmtree(outdir, ignore_errors=True)
    app = cdk.App(outdir=str(outdir), context=read_cdk_json_context())
    with tempfile.TemporaryDirectory(prefix="scts-lambda-src-") as source:
        build_app(app, code=build_packages(Path(source), (t.service for t in TOPOLOGIES)))
        return app.synth()


def main() -> int:
    started = time.perf_counter()
    try:
        assembly = synth()
    except RuntimeError as error:
        print(f"synth failed: {error}", file=sys.stderr)
        return 1
    templates = sorted(OUTDIR.rglob("*.template.json"))
    for template in templates:
        print(template.relative_to(REPO_ROOT))
    seconds = time.perf_counter() - started
    print(f"{len(templates)} templates in {assembly.directory} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
