"""One synthesis of the whole CDK app per test session (synth is the slow part)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.cdk.app import build_app
from infra.cdk.config import read_cdk_json_context
from infra.cdk.lambda_code import LambdaCode, stage_source
from infra.cdk.pipeline import PipelineStack
from infra.cdk.service import ServiceStack
from infra.cdk.stage import SctsStage


@dataclass
class Synthesized:
    outdir: Path
    pipeline: PipelineStack
    seconds: float

    @property
    def stages(self) -> list[SctsStage]:
        return list(self.pipeline.stages)

    def template(self, stack: Any) -> dict[str, Any]:
        stage = stack.node.scope
        base = Path(stage.outdir) if isinstance(stage, SctsStage) else self.outdir
        template: dict[str, Any] = json.loads((base / stack.template_file).read_text())
        return template

    def service_templates(self, stage: SctsStage) -> dict[ServiceStack, dict[str, Any]]:
        return {service: self.template(service) for service in stage.services}

    def template_files(self) -> list[Path]:
        return sorted(self.outdir.rglob("*.template.json"))


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The real app (pipeline + every stage, cdk-nag gating) synthesized once.

    The dependency layer is an empty folder here: building it needs pip and the
    package index, and the templates do not depend on its contents. The web build is a
    two-file stand-in for the same reason (`make web` builds the real one for `make synth`).
    """
    import aws_cdk as cdk

    root = tmp_path_factory.mktemp("cdk")
    outdir = root / "cdk.out"
    dependencies = root / "deps"
    (dependencies / "python").mkdir(parents=True)
    web = root / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text('<script type="module" src="/assets/index.js"></script>')
    (web / "assets" / "index.js").write_text("export {};\n")
    started = time.perf_counter()
    app = cdk.App(outdir=str(outdir), context=read_cdk_json_context())
    pipeline = build_app(
        app,
        code=LambdaCode(stage_source(root / "src"), dependencies),
        web_assets=web,
    )
    app.synth()
    seconds = time.perf_counter() - started
    print(f"\nCDK synth of the whole app: {seconds:.1f} s")
    return Synthesized(outdir=outdir, pipeline=pipeline, seconds=seconds)
