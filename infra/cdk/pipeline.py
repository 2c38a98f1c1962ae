"""The delivery pipeline (CDK Pipelines) in the tooling account.

GitHub (via the organisation's CodeConnections connection) -> synth + `make test` ->
each non-production stage, then its smoke test -> manual approval -> production.
Target accounts trust the tooling account through `cdk bootstrap --trust` (the
cross-account deploy roles of the seed's Appendix I); the pipeline's artifact bucket
uses a KMS key those accounts may use (`cross_account_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import pipelines
from constructs import Construct

from common.topology import ServiceTopology
from infra.cdk.bytecode import RUNTIME_PYTHON_ENV
from infra.cdk.config import DeployConfig
from infra.cdk.lambda_code import LAMBDA_PYTHON, LambdaCode
from infra.cdk.nag import acknowledge, logical_id
from infra.cdk.stage import SctsStage

SMOKE_PATH = "/v1/version"
RUNTIME_PYTHON_INSTALL = (f".venv/bin/uv python install {LAMBDA_PYTHON}",)
"""The Lambda runtime's Python, for the package's bytecode (`infra/cdk/bytecode.py`): uv
(which `make install` installs) fetches a standalone build."""
SYNTH_WITH_BYTECODE = (
    f'{RUNTIME_PYTHON_ENV}="$(.venv/bin/uv python find {LAMBDA_PYTHON})" make synth'
)


class PipelineStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        topologies: Iterable[ServiceTopology],
        code: LambdaCode,
        web_assets: Path,
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
            install_commands=["make install", *RUNTIME_PYTHON_INSTALL],
            commands=["make test", SYNTH_WITH_BYTECODE],
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
                web_assets=web_assets,
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
        self.pipeline.build_pipeline()
        self._acknowledge_generated(config)

    def _acknowledge_generated(self, config: DeployConfig) -> None:
        """CDK Pipelines generates these roles and buckets; each finding below is on what
        the library itself owns (its artifact bucket and key, its CodeBuild projects)."""
        arn = f"arn:<AWS::Partition>:{{service}}:{config.tooling_region}:{config.tooling_account}"
        logs = arn.format(service="logs")
        artifacts = "CDK Pipelines' grant on its own artifact bucket/key (generated, per stage)."
        findings = {
            "AwsSolutions-IAM5[Action::s3:GetObject*]": artifacts,
            "AwsSolutions-IAM5[Action::s3:GetBucket*]": artifacts,
            "AwsSolutions-IAM5[Action::s3:List*]": artifacts,
            "AwsSolutions-IAM5[Action::s3:DeleteObject*]": artifacts,
            "AwsSolutions-IAM5[Action::s3:Abort*]": artifacts,
            "AwsSolutions-IAM5[Action::kms:ReEncrypt*]": artifacts,
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": artifacts,
            "AwsSolutions-IAM5[Resource::*]": (
                "Pipeline roles assume the cdk bootstrap deploy/publish roles of the target "
                "accounts, whose ARNs the bootstrap (not this stack) decides."
            ),
            f"AwsSolutions-IAM5[Resource::arn:*:iam::{config.tooling_account}:role/*]": (
                "Self-mutation assumes the tooling account's cdk bootstrap roles."
            ),
            f"AwsSolutions-IAM5[Resource::{arn.format(service='codebuild')}:report-group/*]": (
                "Asset publishing projects are created per asset by CDK Pipelines."
            ),
            f"AwsSolutions-IAM5[Resource::{logs}:log-group:/aws/codebuild/*]": (
                "Asset publishing projects are created per asset by CDK Pipelines."
            ),
        }
        artifact_bucket = self.pipeline.pipeline.artifact_bucket
        findings[f"AwsSolutions-IAM5[Resource::<{logical_id(artifact_bucket)}.Arn>/*]"] = artifacts
        for project in self.pipeline.node.find_all():
            if isinstance(project, codebuild.CfnProject):
                project_id = logical_id(project)
                reason = f"{project.node.path}'s own CloudWatch log streams and report groups."
                findings[
                    f"AwsSolutions-IAM5[Resource::{arn.format(service='logs')}"
                    f":log-group:/aws/codebuild/<{project_id}>:*]"
                ] = reason
                findings[
                    f"AwsSolutions-IAM5[Resource::{arn.format(service='codebuild')}"
                    f":report-group/<{project_id}>-*]"
                ] = reason
        for support in self.pipeline.pipeline.cross_region_support.values():
            bucket_name = self.resolve(support.replication_bucket.bucket_name)
            findings[f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket_name}/*]"] = (
                "Cross-region artifact replication bucket (us-east-1 edge stack), CDK-generated."
            )
            acknowledge(
                support.stack,
                "AwsSolutions-S1",
                "CDK-generated artifact replication bucket; access is in CloudTrail.",
            )
        for finding, reason in findings.items():
            acknowledge(self.pipeline, finding, reason)
        acknowledge(
            artifact_bucket,
            "AwsSolutions-S1",
            "Pipeline artifact bucket, written only by the pipeline; access is in CloudTrail.",
        )

    def _smoke(self, deployment: SctsStage) -> pipelines.ShellStep:
        """Every service's public version endpoint answers after the deployment, and every
        ingest API refuses a request without a key with 401 (its gateway responses)."""
        outputs: dict[str, cdk.CfnOutput] = {}
        commands: list[str] = []
        for service in deployment.services:
            prefix = service.topology.service.upper()
            declares_version = any(
                route.method == "GET" and route.path == SMOKE_PATH
                for route in service.topology.http_routes
            )
            if service.api_url_output is not None and declares_version:
                outputs[f"{prefix}_API_URL"] = service.api_url_output
                commands.append(
                    f'curl --fail --silent --show-error "${{{prefix}_API_URL}}{SMOKE_PATH}"'
                )
            if service.ingest_api_url_output is not None:
                route = service.topology.ingest_routes[0]
                outputs[f"{prefix}_INGEST_API_URL"] = service.ingest_api_url_output
                commands.append(
                    'test "$(curl --globoff --silent --output /dev/null '
                    "--write-out '%{http_code}' "
                    f'-X {route.method} "${{{prefix}_INGEST_API_URL}}{route.path.lstrip("/")}")'
                    '" = 401'
                )
        return pipelines.ShellStep(
            f"Smoke-{deployment.stage_config.name}",
            env_from_cfn_outputs=outputs,
            commands=commands,
        )
