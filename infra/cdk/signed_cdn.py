"""The edge side of a CDN of signed downloads (`common.topology.SignedDownloads`): the
CloudFront distribution, its trusted key group and the parameters that tell the service
what the CDN is.

The bucket is the service's own (its stack, its region, its KMS key: declared in its
topology, scanned there by GuardDuty), read through origin access control; the service's
stack lets CloudFront distributions of this account read its served prefixes
(`infra.cdk.service.files.signed_downloads`). The edge deploys after the services, so it writes
the distribution's URL and the public key's id to SSM parameters (`.../url`,
`.../key-pair-id`, in the edge region) that the service reads at run time, as the local
runtime writes them for its CDN: no stack reads another's outputs for this.

Every response is a download: objects are stored with `Content-Disposition: attachment`
and their content type, and the response headers policy adds `nosniff` and a sandboxing
Content-Security-Policy, so nothing from this origin runs in a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from common.external_names import CDN_KEY_PAIR_PARAMETER, CDN_URL_PARAMETER
from common.topology import ServiceTopology, SignedDownloads
from infra.cdk.config import StageConfig
from infra.shape.resources import bucket_name

DOWNLOAD_CSP = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class SignedOrigin:
    """What the edge needs to know of a service's signed downloads (all deterministic)."""

    topology: ServiceTopology
    downloads: SignedDownloads

    @classmethod
    def of(cls, topologies: tuple[ServiceTopology, ...]) -> list[SignedOrigin]:
        return [cls(t, d) for t in topologies for d in t.signed_downloads]

    def bucket_name(self, stage: str, account: str) -> str:
        bucket = next(b for b in self.topology.buckets if b.name == self.downloads.bucket)
        return bucket_name(self.topology, stage, bucket, account)

    def public_key_pem(self, stage: StageConfig) -> str:
        """The public half, from the stage's context (`<service>_public_key_pem`)."""
        found = getattr(stage, f"{self.topology.service}_public_key_pem", None)
        if not isinstance(found, str) or not found:
            raise ValueError(f"stage {stage.name} has no {self.topology.service}_public_key_pem")
        return found


def download_headers(scope: Construct, stage: StageConfig) -> cloudfront.ResponseHeadersPolicy:
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "DownloadHeaders",
        response_headers_policy_name=f"scts-{stage.name}-download-headers",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                access_control_max_age=cdk.Duration.days(730),
                include_subdomains=True,
                preload=True,
                override=True,
            ),
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=DOWNLOAD_CSP, override=True
            ),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
            frame_options=cloudfront.ResponseHeadersFrameOptions(
                frame_option=cloudfront.HeadersFrameOption.DENY, override=True
            ),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
            ),
        ),
    )


def signed_distribution(
    scope: Construct,
    origin: SignedOrigin,
    *,
    stage: StageConfig,
    web_acl_arn: str,
    log_bucket: s3.IBucket,
) -> cloudfront.Distribution:
    """The distribution serving only signed URLs of the service's bucket, and the SSM
    parameters naming its URL and key pair id."""
    service = origin.topology.service
    stack = cdk.Stack.of(scope)
    bucket = s3.Bucket.from_bucket_attributes(
        scope,
        f"Origin-{service}",
        bucket_name=origin.bucket_name(stage.name, stack.account),
        region=stage.region,
    )
    secret = origin.topology.secrets
    signing = next(s for s in secret if s.name == origin.downloads.signing_key)
    public_key = cloudfront.PublicKey(
        scope,
        f"SigningKey-{service}",
        encoded_key=origin.public_key_pem(stage),
        comment=f"private half: Secrets Manager {signing.secret_id(stage.name)}",
    )
    distribution = cloudfront.Distribution(
        scope,
        f"Distribution-{service}",
        comment=f"scts-{stage.name} {service} (signed URLs only)",
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            trusted_key_groups=[
                cloudfront.KeyGroup(scope, f"KeyGroup-{service}", items=[public_key])
            ],
            response_headers_policy=download_headers(scope, stage),
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
        ),
        web_acl_id=web_acl_arn,
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        enable_logging=True,
        log_bucket=log_bucket,
        log_file_prefix=f"{service}/",
    )
    path = origin.downloads.parameter_path(stage.name, service)
    ssm.StringParameter(
        scope,
        f"CdnUrl-{service}",
        parameter_name=f"{path}/{CDN_URL_PARAMETER}",
        string_value=f"https://{distribution.distribution_domain_name}",
        description=f"Base URL of the {service} CDN (read by the service's signers).",
    )
    ssm.StringParameter(
        scope,
        f"CdnKeyPair-{service}",
        parameter_name=f"{path}/{CDN_KEY_PAIR_PARAMETER}",
        string_value=public_key.public_key_id,
        description=f"Id of the {service} CDN's trusted public key (the signing key's pair).",
    )
    return distribution
