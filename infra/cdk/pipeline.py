"""The delivery pipeline (CDK Pipelines) in the tooling account.

GitHub (via the organisation's CodeConnections connection) -> synth + `make test` ->
each non-production stage, then its smoke test -> manual approval -> production.
Target accounts trust the tooling account through `cdk bootstrap --trust` (the
cross-account deploy roles of the seed's Appendix I); the pipeline's artifact bucket
uses a KMS key those accounts may use (`cross_account_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import pipelines
from constructs import Construct

from common.topology import ServiceTopology
from infra.cdk.config import DeployConfig
from infra.cdk.lambda_code import LambdaCode
from infra.cdk.stage import SctsStage

SMOKE_PATH = "/v1/version"


class PipelineStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        topologies: Iterable[ServiceTopology],
        code: LambdaCode,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        topologies = tuple(topologies)
        source = pipelines.CodePipelineSource.connection(
            config.repository, config.branch, connection_arn=config.github_connection_arn
        )
        synth = pipelines.CodeBuildStep(
            "Synth",
            input=source,
            install_commands=["make install"],
            commands=["make test", "make synth"],
            primary_output_directory="cdk.out",
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            pipeline_name="scts-portal",
            synth=synth,
            cross_account_keys=True,
            enable_key_rotation=True,
            docker_enabled_for_synth=False,
            code_build_defaults=pipelines.CodeBuildOptions(
                build_environment=codebuild.BuildEnvironment(
                    build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
                    compute_type=codebuild.ComputeType.MEDIUM,
                ),
            ),
        )
        self.stages: list[SctsStage] = []
        for stage in config.stages:
            deployment = SctsStage(
                self,
                stage.name.capitalize(),
                config=config,
                stage=stage,
                topologies=topologies,
                code=code,
                env=cdk.Environment(account=stage.account, region=stage.region),
            )
            self.stages.append(deployment)
            pre: list[pipelines.Step] = []
            post: list[pipelines.Step] = []
            if stage.production:
                pre.append(
                    pipelines.ManualApprovalStep(
                        f"Promote-{stage.name}",
                        comment="Pre-production smoke tests passed; promote to production?",
                    )
                )
            post.append(self._smoke(deployment))
            self.pipeline.add_stage(deployment, pre=pre, post=post)

    def _smoke(self, deployment: SctsStage) -> pipelines.ShellStep:
        """Every service's public version endpoint answers after the deployment."""
        outputs: dict[str, cdk.CfnOutput] = {}
        for service in deployment.services:
            declares_version = any(
                route.method == "GET" and route.path == SMOKE_PATH
                for route in service.topology.routes
            )
            if service.api_url_output is not None and declares_version:
                outputs[f"{service.topology.service.upper()}_API_URL"] = service.api_url_output
        return pipelines.ShellStep(
            f"Smoke-{deployment.stage_config.name}",
            env_from_cfn_outputs=outputs,
            commands=[f'curl --fail --silent --show-error "${{{name}}}{SMOKE_PATH}"' for name in outputs],
        )
