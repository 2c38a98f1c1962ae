"""The portal SPA on the edge: its built files and config.json in the SPA bucket, and the
Content-Security-Policy the CDN sends with it.

The same build runs everywhere; what differs per stage (user pool, API base URLs) is written
to `/config.json` from stack values at deploy time (`infra.browser.spa_config`, the shape
the local web server writes too). The values live in the stage's regional stacks and the
edge stack is in us-east-1, so the edge reads them as weak cross-region references
(CloudFormation `Fn::GetStackOutput`: no custom resources) and deploys after them.

Caching: hashed files under `assets/` are immutable for a year (their names change with
their content); index.html, config.json, the favicon and the push service worker
(`push-worker.js`, which must keep its name) are revalidated on every load and invalidated
on the CDN at each deployment. Old assets are kept (no prune), so a browser
holding an older index.html still loads its chunks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.browser import StaffSignIn, cognito_origin, content_security_policy, spa_config
from infra.cdk.nag import acknowledge, logical_id

ASSETS_DIR = "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
DEPLOYMENT_MEMORY_MB = 512


@dataclass(frozen=True)
class PortalValues:
    """What the SPA needs from the stage (tokens from the regional stacks at synth time)."""

    stage: str
    region: str
    user_pool_id: str
    client_id: str
    api_urls: Mapping[str, str]
    assets: Path
    """The built web app (web/dist: `make web`)."""
    staff_sign_in: StaffSignIn | None = None
    """Entra ID redirect sign-in through the user pool's hosted UI (its token endpoint is
    called from the SPA, so its origin joins `connect-src`)."""

    def content_security_policy(self) -> str:
        hosted = [self.staff_sign_in.domain] if self.staff_sign_in else []
        return content_security_policy(
            [*self.api_urls.values(), cognito_origin(self.region), *hosted]
        )

    def config(self) -> dict[str, object]:
        return spa_config(
            stage=self.stage,
            region=self.region,
            user_pool_id=self.user_pool_id,
            client_id=self.client_id,
            services=dict(self.api_urls),
            staff_sign_in=self.staff_sign_in,
        )


def deploy_portal(
    scope: Construct,
    *,
    bucket: s3.IBucket,
    distribution: cloudfront.IDistribution,
    portal: PortalValues,
    logs_to: logs.ILogGroup,
) -> None:
    """Upload the build (assets first, then the entry files that name them). `logs_to`: the
    log group of CDK's deployment function (one per stack, shared by both deployments)."""
    if not (portal.assets / "index.html").is_file():
        raise FileNotFoundError(f"{portal.assets}/index.html is missing: run `make web` first")
    assets = s3deploy.BucketDeployment(
        scope,
        "PortalAssets",
        sources=[s3deploy.Source.asset(str(portal.assets / ASSETS_DIR))],
        destination_bucket=bucket,
        destination_key_prefix=f"{ASSETS_DIR}/",
        prune=False,
        cache_control=[s3deploy.CacheControl.from_string(IMMUTABLE)],
        memory_limit=DEPLOYMENT_MEMORY_MB,
        log_group=logs_to,
    )
    entry = s3deploy.BucketDeployment(
        scope,
        "PortalEntry",
        sources=[
            s3deploy.Source.asset(str(portal.assets), exclude=[ASSETS_DIR, f"{ASSETS_DIR}/**"]),
            s3deploy.Source.json_data("config.json", portal.config()),
        ],
        destination_bucket=bucket,
        prune=False,
        cache_control=[s3deploy.CacheControl.from_string(REVALIDATE)],
        distribution=distribution,
        distribution_paths=["/index.html", "/config.json", "/push-worker.js", "/"],
        memory_limit=DEPLOYMENT_MEMORY_MB,
        log_group=logs_to,
    )
    entry.node.add_dependency(assets)
    _acknowledge_deployment_handler(cdk.Stack.of(scope), bucket)


DEPLOYMENT_HANDLER_PREFIX = "Custom::CDKBucketDeployment"


def _acknowledge_deployment_handler(stack: cdk.Stack, bucket: s3.IBucket) -> None:
    """Findings on the function CDK's BucketDeployment brings (one singleton per stack,
    library-owned, run by CloudFormation only while deploying), one finding at a time."""
    handlers = [
        child
        for child in stack.node.children
        if child.node.id.startswith(DEPLOYMENT_HANDLER_PREFIX)
    ]
    qualifier = cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER
    staging = f"cdk-{qualifier}-assets-{stack.account}-{stack.region}"
    copy = "CDK's BucketDeployment grant: read the staged build, write the SPA bucket."
    findings = {
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AWSLambdaBasicExecutionRole]": "CDK's BucketDeployment handler only writes its own "
        "CloudWatch logs with this AWS-managed policy.",
        "AwsSolutions-IAM5[Action::s3:GetObject*]": copy,
        "AwsSolutions-IAM5[Action::s3:GetBucket*]": copy,
        "AwsSolutions-IAM5[Action::s3:List*]": copy,
        "AwsSolutions-IAM5[Action::s3:DeleteObject*]": copy,
        "AwsSolutions-IAM5[Action::s3:Abort*]": copy,
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{staging}/*]": (
            "The cdk bootstrap staging bucket's objects, where the build is uploaded first."
        ),
        f"AwsSolutions-IAM5[Resource::<{logical_id(bucket)}.Arn>/*]": (
            "Objects of the SPA bucket: the handler writes the built portal there."
        ),
        "AwsSolutions-IAM5[Resource::*]": (
            "CloudFront invalidation actions, which CDK grants on all distributions; used "
            "for the SPA distribution's index.html and config.json."
        ),
        "AwsSolutions-L1": "The BucketDeployment handler's runtime is chosen and updated by "
        "aws-cdk-lib, not by this app.",
        "Serverless-LambdaLatestVersion": "The BucketDeployment handler's runtime is chosen "
        "and updated by aws-cdk-lib, not by this app.",
        "Serverless-LambdaDLQ": "CloudFormation invokes the handler synchronously while "
        "deploying; a failure fails the deployment, there is no event to dead-letter.",
        "Serverless-LambdaTracing": "A deploy-time file copy run by CloudFormation, not a "
        "request path worth tracing.",
    }
    for handler in handlers:
        for finding, reason in findings.items():
            acknowledge(handler, finding, reason)
