"""The portal SPA in the synthesized app (issue 16): every HTTP API allow-lists exactly the
portal's origin, the CDN's CSP names exactly the stage's APIs and Cognito, and the built SPA
is deployed with a config.json made from the stage's own stack values."""

from __future__ import annotations

import json

import pytest

from infra.shape.cognito_pool import CODE_MAIL
from services.identity.topology import TOPOLOGY as IDENTITY
from tests.infra import gates

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def _directives(csp: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in csp.split("; "))


def test_every_http_api_allows_only_the_portal_origin(synthesized):
    for stage in synthesized.stages:
        for service, template in synthesized.service_templates(stage).items():
            apis = gates.resources(template, "AWS::ApiGatewayV2::Api").values()
            for api in apis:
                cors = gates.props(api)["CorsConfiguration"]
                assert cors["AllowOrigins"] == [stage.stage_config.portal_url], service
                assert "*" not in json.dumps(cors)
                assert cors.get("AllowCredentials") is not True
                allowed = {"authorization", "content-type", "idempotency-key"}
                assert set(cors["AllowHeaders"]) == allowed


def test_the_spa_csp_names_exactly_the_stage_apis_and_cognito(synthesized):
    """connect-src: the stage's APIs, Cognito's regional endpoint and the user pool's hosted
    UI (its /oauth2/token, called by the staff's Entra ID redirect sign-in)."""
    for stage in synthesized.stages:
        edge = synthesized.template(stage.edge)
        policies = gates.resources(edge, "AWS::CloudFront::ResponseHeadersPolicy").values()
        # the SPA's policy; the documents CDN has its own download-only one
        (policy,) = [p for p in policies if "connect-src" in json.dumps(p)]
        csp = gates.props(policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
            "ContentSecurityPolicy"
        ]["ContentSecurityPolicy"]
        parts = csp["Fn::Join"][1]
        text = "".join(p if isinstance(p, str) else "<api>" for p in parts)
        directives = _directives(text)
        region = stage.stage_config.region
        hosted_ui = (
            f"https://{stage.stage_config.cognito_domain_prefix}.auth.{region}.amazoncognito.com"
        )
        assert directives["connect-src"] == (
            "'self' "
            + " ".join(["<api>"] * len(stage.services))
            + f" https://cognito-idp.{region}.amazonaws.com"
            + f" {hosted_ui}"  # the staff redirect sign-in's token exchange (issue 17)
        )
        assert directives["script-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in text
        read = sorted(p["Fn::GetStackOutput"]["StackName"] for p in parts if isinstance(p, dict))
        assert read == sorted(s.stack_name for s in stage.services)


def test_the_built_spa_and_its_config_are_deployed_and_invalidated(synthesized):
    for stage in synthesized.stages:
        edge = synthesized.template(stage.edge)
        deployments = {
            name: gates.props(resource)
            for name, resource in gates.resources(edge, "Custom::CDKBucketDeployment").items()
        }
        assets = next(d for d in deployments.values() if d.get("DestinationBucketKeyPrefix"))
        entry = next(d for d in deployments.values() if d.get("DistributionPaths"))
        assert assets["DestinationBucketKeyPrefix"] == "assets/"
        assert "immutable" in assets["SystemMetadata"]["cache-control"]
        assert entry["SystemMetadata"]["cache-control"] == "no-cache"
        assert {"/index.html", "/config.json", "/push-worker.js"} <= set(entry["DistributionPaths"])
        assert assets["Prune"] is False
        assert entry["Prune"] is False
        markers = json.dumps(entry["SourceMarkers"])
        platform = stage.platform.stack_name
        assert markers.count(platform) == 2  # user pool id and SPA client id
        for service in stage.services:
            assert service.stack_name in markers


def test_the_edge_deploys_after_the_stacks_it_reads(synthesized):
    for stage in synthesized.stages:
        depends_on = {dependency.stack_name for dependency in stage.edge.dependencies}
        assert {stage.platform.stack_name, *(s.stack_name for s in stage.services)} <= depends_on


def test_mails_that_ask_a_person_to_sign_in_link_to_the_portal(synthesized):
    """Identity's invitations and CAM welcomes (SCTS_PORTAL_URL) and Cognito's reset code."""
    for stage in synthesized.stages:
        portal_url = stage.stage_config.portal_url
        (identity,) = (
            template
            for service, template in synthesized.service_templates(stage).items()
            if service.topology.service == IDENTITY.service
        )
        by_name = gates.by_name(identity, "AWS::Lambda::Function", "FunctionName")
        functions = [
            gates.props(by_name[IDENTITY.resource_name(stage.stage_config.name, f.name)][1])[
                "Environment"
            ]["Variables"]
            for f in IDENTITY.functions
        ]
        assert {env["SCTS_PORTAL_URL"] for env in functions} == {portal_url}
        (pool,) = gates.resources(
            synthesized.template(stage.platform), "AWS::Cognito::UserPool"
        ).values()
        template = gates.props(pool)["VerificationMessageTemplate"]
        assert template["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
        assert template["EmailMessage"] == CODE_MAIL.body(portal_url)
        assert f"Enter it at {portal_url} " in template["EmailMessage"]
        assert "{####}" in template["EmailMessage"]
