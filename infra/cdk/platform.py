"""Shared platform: the event bus, identity (Cognito), and the edge (WAF, CloudFront, S3).

Two stacks because CloudFront only accepts a web ACL from us-east-1: `PlatformStack` lives
in the stage's region; `EdgeStack` (WAF, SPA and documents distributions, their buckets)
always lives in us-east-1. The platform never reads the edge's values (OAuth callbacks use
the configured portal URL). The edge reads the regional stacks' values the SPA needs (user
pool, API URLs: its config.json and CSP) as weak references (`Fn::GetStackOutput`, no
custom resources), so it deploys after them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ses as ses
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from common.topology import EDGE_REGION as COMMON_EDGE_REGION
from common.topology import ServiceTopology
from contracts.envelope import source_for
from infra.browser import OAUTH_CALLBACK_PATH
from infra.cdk.config import DeployConfig, StageConfig
from infra.cdk.nag import acknowledge
from infra.cdk.service import PlatformRefs, role_path
from infra.cdk.service.base import allow_log_groups, retention
from infra.cdk.signed_cdn import SignedOrigin, signed_distribution
from infra.cdk.waf import web_acl
from infra.cdk.web import PortalValues, deploy_portal
from infra.shape.cognito_pool import (
    CODE_MAIL,
    PASSWORD_POLICY,
    PREVENT_USER_EXISTENCE_ERRORS,
    TOKEN_VALIDITY,
)
from infra.shape.resources import (
    EVENT_ARCHIVE_RETENTION_DAYS,
    event_archive_name,
    event_archive_pattern,
    event_bus_name,
)

EDGE_REGION = COMMON_EDGE_REGION
ACCESS_TOKEN_VALIDITY = cdk.Duration.minutes(TOKEN_VALIDITY.access_minutes)
ID_TOKEN_VALIDITY = cdk.Duration.minutes(TOKEN_VALIDITY.id_minutes)
REFRESH_TOKEN_VALIDITY = cdk.Duration.hours(TOKEN_VALIDITY.refresh_hours)
ARCHIVE_RETENTION = cdk.Duration.days(EVENT_ARCHIVE_RETENTION_DAYS)
STAFF_PROVIDER_NAME = "EntraID"


def secret_name(stage: str, name: str) -> str:
    """Secrets Manager naming convention shared with the services: /{env}/scts/{name}."""
    return f"/{stage}/scts/{name}"


class PlatformStack(cdk.Stack):
    """Event bus + archive + per-service source policy, KMS key, Cognito, SES identity."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        stage: StageConfig,
        topologies: Iterable[ServiceTopology],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        topologies = tuple(topologies)
        self.stage_config = stage
        removal = cdk.RemovalPolicy.RETAIN if stage.production else cdk.RemovalPolicy.DESTROY
        self.key = kms.Key(
            self,
            "Key",
            alias=f"alias/scts-{stage.name}-platform",
            description="Encrypts the SCTS event bus and its archive.",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.event_bus = events.EventBus(
            self,
            "EventBus",
            event_bus_name=event_bus_name(stage.name),
            kms_key=self.key,
            description="SCTS domain events; each service may put only its own source.",
        )
        self.event_bus.archive(
            "Archive",
            archive_name=event_archive_name(stage.name),
            event_pattern=events.EventPattern(
                account=event_archive_pattern(self.account)["account"]
            ),
            retention=ARCHIVE_RETENTION,
            kms_key=self.key,
            description="Every event on the bus, for replay.",
        )
        for topology in topologies:
            self._restrict_source(topology.service)
        self.user_pool, self.spa_client = self._identity(config, removal)
        self.mail_identity = ses.EmailIdentity(
            self, "MailSender", identity=ses.Identity.email(stage.mail_sender)
        )
        self.refs = PlatformRefs(
            event_bus=self.event_bus,
            user_pool_id=self.user_pool.user_pool_id,
            user_pool_arn=self.user_pool.user_pool_arn,
            spa_client_id=self.spa_client.user_pool_client_id,
            mail_sender=stage.mail_sender,
            mail_identity_arn=(
                f"arn:{self.partition}:ses:{self.region}:{self.account}"
                f":identity/{stage.mail_sender}"
            ),
            portal_url=stage.portal_url,
        )
        if any(topology.ingest_routes for topology in topologies):
            self._api_gateway_logging_role()
        cdk.CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        cdk.CfnOutput(self, "SpaClientId", value=self.spa_client.user_pool_client_id)

    def _api_gateway_logging_role(self) -> None:
        """The account-wide role API Gateway REST stages need to write execution logs.

        One per account and region (AWS::ApiGateway::Account is a singleton), so it lives
        here rather than in each service stack that has an ingest API.
        """
        role = iam.Role(
            self,
            "ApiGatewayLogging",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway (REST) pushes execution logs to CloudWatch Logs.",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
                )
            ],
        )
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "The AWS-maintained policy API Gateway documents for its account-level logging "
            "role; it only creates and writes the execution log groups.",
        )
        account = apigw_v1.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn)
        account.apply_removal_policy(cdk.RemovalPolicy.RETAIN)

    def _restrict_source(self, service: str) -> None:
        """Deny any role of `service` putting an event whose source is not its own.

        Identity policies already limit PutEvents to `scts.<service>`; this resource-side
        deny holds even if a role policy is widened by mistake.
        """
        self.event_bus.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"OnlyOwnSource{service.capitalize()}",
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["events:PutEvents"],
                resources=[self.event_bus.event_bus_arn],
                conditions={
                    "ArnLike": {
                        "aws:PrincipalArn": (
                            f"arn:{self.partition}:iam::{self.account}:role"
                            f"{role_path(self.stage_config.name, service)}*"
                        )
                    },
                    "StringNotEquals": {"events:source": source_for(service)},
                },
            )
        )

    def _identity(
        self, config: DeployConfig, removal: cdk.RemovalPolicy
    ) -> tuple[cognito.UserPool, cognito.UserPoolClient]:
        stage = self.stage_config
        threat_protection = stage.threat_protection
        user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"scts-{stage.name}-users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True, username=False),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(  # shared with the local pool
                min_length=PASSWORD_POLICY.min_length,
                require_lowercase=PASSWORD_POLICY.require_lowercase,
                require_uppercase=PASSWORD_POLICY.require_uppercase,
                require_digits=PASSWORD_POLICY.require_digits,
                require_symbols=PASSWORD_POLICY.require_symbols,
                temp_password_validity=cdk.Duration.days(
                    PASSWORD_POLICY.temporary_password_validity_days
                ),
                password_history_size=12 if threat_protection else None,
            ),
            user_verification=cognito.UserVerificationConfig(  # the reset-code mail
                email_style=cognito.VerificationEmailStyle.CODE,
                email_subject=CODE_MAIL.subject,
                email_body=CODE_MAIL.body(stage.portal_url),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True, email=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=(
                cognito.FeaturePlan.PLUS if threat_protection else cognito.FeaturePlan.ESSENTIALS
            ),
            standard_threat_protection_mode=(
                cognito.StandardThreatProtectionMode.FULL_FUNCTION if threat_protection else None
            ),
            deletion_protection=stage.production,
            removal_policy=removal,
        )
        acknowledge(
            user_pool,
            "AwsSolutions-COG2",
            "MFA is per role: the identity service requires TOTP for SCTS staff and account "
            "admins before issuing access; Cognito can only say OPTIONAL pool-wide.",
        )
        if not threat_protection:
            acknowledge(
                user_pool,
                "AwsSolutions-COG8",
                f"Stage {stage.name} runs the Essentials tier (context threat_protection=false)"
                " to save the per-MAU Plus price; production runs Plus, threat protection on.",
            )
        user_pool.add_domain(
            "Domain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=stage.cognito_domain_prefix),
            managed_login_version=cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        )
        staff = cognito.UserPoolIdentityProviderOidc(
            self,
            "StaffIdentityProvider",
            user_pool=user_pool,
            name=STAFF_PROVIDER_NAME,
            issuer_url=config.entra_issuer,
            client_id=config.entra_client_id,
            client_secret=cdk.SecretValue.secrets_manager(
                secret_name(stage.name, "entra-client-secret")
            ).unsafe_unwrap(),
            scopes=["openid", "email", "profile"],
            attribute_request_method=cognito.OidcAttributeRequestMethod.GET,
            attribute_mapping=cognito.AttributeMapping(
                email=cognito.ProviderAttribute.other("email"),
                fullname=cognito.ProviderAttribute.other("name"),
            ),
        )
        client = user_pool.add_client(
            "SpaClient",
            user_pool_client_name=f"scts-{stage.name}-spa",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[
                    cognito.OAuthScope.OPENID,
                    cognito.OAuthScope.EMAIL,
                    cognito.OAuthScope.PROFILE,
                ],
                callback_urls=[f"{stage.portal_url.rstrip('/')}{OAUTH_CALLBACK_PATH}"],
                logout_urls=[f"{stage.portal_url}/"],
            ),
            supported_identity_providers=[
                cognito.UserPoolClientIdentityProvider.COGNITO,
                cognito.UserPoolClientIdentityProvider.custom(STAFF_PROVIDER_NAME),
            ],
            access_token_validity=ACCESS_TOKEN_VALIDITY,
            id_token_validity=ID_TOKEN_VALIDITY,
            refresh_token_validity=REFRESH_TOKEN_VALIDITY,
            prevent_user_existence_errors=PREVENT_USER_EXISTENCE_ERRORS,
            enable_token_revocation=True,
        )
        client.node.add_dependency(staff)
        return user_pool, client


class EdgeStack(cdk.Stack):
    """us-east-1: WAF web ACL, SPA distribution + private bucket, the CDNs of signed
    downloads (documents: `infra.cdk.signed_cdn`, origin the service's own bucket)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageConfig,
        portal: PortalValues,
        signed_origins: Sequence[SignedOrigin] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        cdk.CrossStackReferences.of(self).consume(cdk.ReferenceStrength.WEAK)
        self.stage_config = stage
        self.web_acl = self._web_acl()
        self.log_bucket = self._log_bucket()
        headers = self._security_headers(portal.content_security_policy())
        self.spa_bucket = self._private_bucket(
            "SpaBucket", encryption=s3.BucketEncryption.S3_MANAGED
        )
        self.spa = cloudfront.Distribution(
            self,
            "SpaDistribution",
            comment=f"scts-{stage.name} portal SPA",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.spa_bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            ),
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status, response_http_status=200, response_page_path="/index.html"
                )
                for status in (403, 404)
            ],
            web_acl_id=self.web_acl.attr_arn,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix="spa/",
        )
        deploy_portal(
            self,
            bucket=self.spa_bucket,
            distribution=self.spa,
            portal=portal,
            logs_to=self._deployment_logs(),
        )
        self.signed = [
            signed_distribution(
                self,
                origin,
                stage=stage,
                web_acl_arn=self.web_acl.attr_arn,
                log_bucket=self.log_bucket,
            )
            for origin in signed_origins
        ]
        for distribution in (self.spa, *self.signed):
            acknowledge(
                distribution,
                "AwsSolutions-CFR1",
                "Counterparties trade worldwide; no geographic restriction is wanted.",
            )
            acknowledge(
                distribution,
                "AwsSolutions-CFR4",
                "Until the custom domain certificate is attached the default CloudFront "
                "certificate is used, which cannot pin TLSv1.2; the policy is set for then.",
            )
        cdk.CfnOutput(self, "SpaUrl", value=f"https://{self.spa.distribution_domain_name}")
        for origin, distribution in zip(signed_origins, self.signed, strict=True):
            cdk.CfnOutput(
                self,
                f"{origin.topology.service.capitalize()}Url",
                value=f"https://{distribution.distribution_domain_name}",
            )

    def _web_acl(self) -> wafv2.CfnWebACL:
        return web_acl(
            self,
            "WebAcl",
            name=f"scts-{self.stage_config.name}-edge",
            waf_scope="CLOUDFRONT",
            rate_limit_per_ip=self.stage_config.waf_rate_limit_per_ip,
        )

    def _security_headers(self, csp: str) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=f"scts-{self.stage_config.name}-security-headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(730),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=csp, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )

    def _deployment_logs(self) -> logs.LogGroup:
        """Where CDK's bucket-deployment function logs (it runs while deploying): KMS-encrypted,
        with the stage's retention, as every function's logs."""
        stage = self.stage_config
        removal = cdk.RemovalPolicy.RETAIN if stage.production else cdk.RemovalPolicy.DESTROY
        key = kms.Key(
            self,
            "LogsKey",
            alias=f"alias/scts-{stage.name}-edge-logs",
            description="Encrypts the logs of the edge stack's deployment function.",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        allow_log_groups(key, self, sid="AllowEdgeLogGroups")
        return logs.LogGroup(
            self,
            "PortalDeploymentLogs",
            retention=retention(stage.log_retention_days),
            encryption_key=key,
            removal_policy=removal,
        )

    def _log_bucket(self) -> s3.Bucket:
        """CloudFront standard logs need ACLs (bucket-owner-preferred) and SSE-S3."""
        bucket = s3.Bucket(
            self,
            "AccessLogBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            bucket, "AwsSolutions-S1", "This is the access-log bucket; it does not log itself."
        )
        return bucket

    def _private_bucket(
        self, construct_id: str, *, encryption: s3.BucketEncryption, key: kms.IKey | None = None
    ) -> s3.Bucket:
        return s3.Bucket(
            self,
            construct_id,
            encryption=encryption,
            encryption_key=key,
            bucket_key_enabled=key is not None,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix=f"s3/{construct_id}/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
