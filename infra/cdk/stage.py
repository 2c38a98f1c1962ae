"""One deployment of the whole portal into one infrastructure account."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from common.topology import ServiceTopology
from infra.cdk.config import DeployConfig, StageConfig
from infra.cdk.lambda_code import LambdaCode
from infra.cdk.observability import ObservabilityStack
from infra.cdk.platform import EDGE_REGION, EdgeStack, PlatformStack
from infra.cdk.service import ServiceStack
from infra.cdk.signed_cdn import SignedOrigin


class SctsStage(cdk.Stage):
    """Edge (us-east-1) + Platform + one stack per service + Observability."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        stage: StageConfig,
        topologies: Iterable[ServiceTopology],
        code: LambdaCode,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        topologies = tuple(topologies)
        self.stage_config = stage
        env = cdk.Environment(account=stage.account, region=stage.region)
        tags = {"scts:stage": stage.name, "scts:project": "counterparty-portal"}
        for key, value in tags.items():
            cdk.Tags.of(self).add(key, value)
        self.edge = EdgeStack(
            self,
            "Edge",
            stack_name=f"scts-{stage.name}-edge",
            stage=stage,
            signed_origins=SignedOrigin.of(topologies),
            env=cdk.Environment(account=stage.account, region=EDGE_REGION),
            termination_protection=stage.production,
        )
        self.platform = PlatformStack(
            self,
            "Platform",
            stack_name=f"scts-{stage.name}-platform",
            config=config,
            stage=stage,
            topologies=topologies,
            env=env,
            termination_protection=stage.production,
        )
        self.services: list[ServiceStack] = []
        for topology in topologies:
            service = ServiceStack(
                self,
                f"Service-{topology.service}",
                stack_name=f"scts-{stage.name}-{topology.service}",
                topology=topology,
                stage=stage,
                platform=self.platform.refs,
                code=code,
                version=config.version,
                git_commit=config.git_commit,
                env=env,
                termination_protection=stage.production,
            )
            self.services.append(service)
        self.observability = ObservabilityStack(
            self,
            "Observability",
            stack_name=f"scts-{stage.name}-observability",
            stage=stage,
            services=self.services,
            env=env,
        )
