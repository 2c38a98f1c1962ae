"""The CDK app: the pipeline stack, which holds one `SctsStage` per configured stage.

`cdk` CLI entry point (cdk.json `app`); `make synth` goes through `infra.cdk.synth`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import aws_cdk as cdk

from common.topology import ServiceTopology
from infra.cdk.config import REPO_ROOT, deploy_config
from infra.cdk.lambda_code import LambdaCode, build_packages
from infra.cdk.nag import add_nag_plugins
from infra.cdk.pipeline import PipelineStack

WEB_ASSETS = REPO_ROOT / "web" / "dist"
"""The built SPA (`make web`; `make synth` builds it first)."""


def build_app(
    app: cdk.App,
    topologies: Iterable[ServiceTopology] | None = None,
    *,
    code: LambdaCode,
    web_assets: Path = WEB_ASSETS,
) -> PipelineStack:
    """Add the whole deployment to `app`, with cdk-nag gating every stack."""
    if topologies is None:
        from services.topologies import TOPOLOGIES

        topologies = TOPOLOGIES
    config = deploy_config(app.node.get_all_context())
    pipeline = PipelineStack(
        app,
        "Pipeline",
        stack_name="scts-pipeline",
        config=config,
        topologies=topologies,
        code=code,
        web_assets=web_assets,
        env=cdk.Environment(account=config.tooling_account, region=config.tooling_region),
    )
    add_nag_plugins(app)
    return pipeline


def main() -> None:
    from services.topologies import TOPOLOGIES

    app = cdk.App()
    with tempfile.TemporaryDirectory(prefix="scts-lambda-src-") as source:
        build_app(app, code=build_packages(Path(source), (t.service for t in TOPOLOGIES)))
        app.synth()


if __name__ == "__main__":
    main()
