"""One deployment of the whole portal into one infrastructure account."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from common.topology import ServiceTopology
from infra.browser import StaffSignIn, cognito_hosted_ui
from infra.cdk.config import DeployConfig, StageConfig
from infra.cdk.lambda_code import LambdaCode
from infra.cdk.observability import ObservabilityStack
from infra.cdk.platform import EDGE_REGION, STAFF_PROVIDER_NAME, EdgeStack, PlatformStack
from infra.cdk.service import ServiceStack
from infra.cdk.signed_cdn import SignedOrigin
from infra.cdk.web import PortalValues


class SctsStage(cdk.Stage):
    """Platform + one stack per service + Edge (us-east-1; reads their values for the SPA)
    + Observability."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        stage: StageConfig,
        topologies: Iterable[ServiceTopology],
        code: LambdaCode,
        web_assets: Path,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        topologies = tuple(topologies)
        self.stage_config = stage
        env = cdk.Environment(account=stage.account, region=stage.region)
        tags = {"scts:stage": stage.name, "scts:project": "counterparty-portal"}
        for key, value in tags.items():
            cdk.Tags.of(self).add(key, value)
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
        self.edge = EdgeStack(
            self,
            "Edge",
            stack_name=f"scts-{stage.name}-edge",
            stage=stage,
            signed_origins=SignedOrigin.of(topologies),
            portal=PortalValues(
                stage=stage.name,
                region=stage.region,
                user_pool_id=self.platform.user_pool.user_pool_id,
                client_id=self.platform.spa_client.user_pool_client_id,
                api_urls={
                    service.topology.service: service.resources.api.api_endpoint
                    for service in self.services
                    if service.resources.api is not None
                },
                assets=web_assets,
                staff_sign_in=StaffSignIn(
                    domain=cognito_hosted_ui(stage.cognito_domain_prefix, stage.region),
                    portal_url=stage.portal_url,
                    identity_provider=STAFF_PROVIDER_NAME,
                ),
            ),
            env=cdk.Environment(account=stage.account, region=EDGE_REGION),
            termination_protection=stage.production,
        )
        self.observability = ObservabilityStack(
            self,
            "Observability",
            stack_name=f"scts-{stage.name}-observability",
            stage=stage,
            services=self.services,
            env=env,
        )
